"""Saved planning scenarios: the inputs of a plan under a name, in the app's database.

A scenario stores only what determines a plan (``PlanInputs``): the plan itself is recomputed from
the current data, so it is always consistent with the store. Applying a scenario writes its planned
positions and marks the scenario as applied in one transaction (change log group ``plan-…``), so it
cannot be written twice, and is refused when the data changed since the confirmation was shown.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from geo.errors import StoreError
from geo.planning import PlanInputs, PlanningError, PlanResult
from geo.store import Store, lock, new_group, scenario_table

MAX_NAME = 80
PAST_NOTE = "Beginn in der Vergangenheit"


@dataclass
class Scenario:
    name: str
    angelegt: dt.datetime
    wer: str
    inputs: PlanInputs
    angewendet: dt.datetime | None
    stellen: str


class Scenarios:
    """Scenario storage on the store's engine (its own table, created on first use)."""

    def __init__(self, engine: Engine):
        self.engine = engine  # the table comes with the store's migrations

    def all(self) -> list[Scenario]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(scenario_table).order_by(scenario_table.c.angelegt)).mappings().all()
        return [_scenario(row) for row in rows]

    def get(self, name: str) -> Scenario:
        with self.engine.connect() as conn:
            row = conn.execute(select(scenario_table).where(scenario_table.c.name == name)).mappings().first()
        if row is None:
            raise PlanningError(f"Ein Szenario „{name}“ gibt es nicht.")
        return _scenario(row)

    def save(self, name: str, inputs: PlanInputs, who: str, read_only: bool = False) -> str:
        """Save under a new name (trimmed, 1–80 characters); an existing name is refused."""
        if read_only:
            raise StoreError("Diese Instanz ist nur zum Lesen eingerichtet; nichts gespeichert.")
        name = " ".join(str(name).split())
        if not name:
            raise PlanningError("Bitte dem Szenario einen Namen geben.")
        if len(name) > MAX_NAME:
            raise PlanningError(f"Der Name ist zu lang (höchstens {MAX_NAME} Zeichen).")
        if name in {s.name for s in self.all()}:
            raise PlanningError(f"Ein Szenario „{name}“ gibt es schon. Bitte einen anderen Namen wählen.")
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(scenario_table), {
                    "name": name, "angelegt": dt.datetime.now(), "wer": who,
                    "eingaben": json.dumps(inputs.to_dict(), ensure_ascii=False, sort_keys=True),
                    "angewendet": None, "stellen": "",
                })
        except SQLAlchemyError as exc:
            raise StoreError(f"Szenario nicht gespeichert: {exc.__class__.__name__}.") from exc
        return name

    def delete(self, name: str, read_only: bool = False) -> None:
        if read_only:
            raise StoreError("Diese Instanz ist nur zum Lesen eingerichtet; nichts gelöscht.")
        if self.get(name).angewendet:
            raise PlanningError(f"Szenario „{name}“ ist schon übernommen und bleibt zur Nachvollziehbarkeit erhalten.")
        with self.engine.begin() as conn:
            conn.execute(delete(scenario_table).where(scenario_table.c.name == name))

    def apply(self, name: str, result: PlanResult, store: Store, who: str, shown_version: int,
              shown_ids: list[str], today: dt.date, confirm_past: bool = False) -> list[str]:
        """Write the plan's positions (as planned, not yet filled) and mark the scenario as applied, in ONE
        transaction. Returns the new ids.

        Refused, with nothing written, when the scenario is already applied (also by another tab or
        process), when the data changed since the confirmation was shown (``shown_version`` is the data
        version then, ``shown_ids`` the positions shown), or when the start lies in the past without
        ``confirm_past``; such a start is flagged in the change log.
        """
        scenario = self.get(name)
        if scenario.angewendet:
            raise PlanningError(
                f"Szenario „{name}“ wurde schon am {scenario.angewendet:%d.%m.%Y %H:%M} übernommen; nichts geschrieben."
            )
        if result.inputs != scenario.inputs:
            raise PlanningError("Der berechnete Plan gehört nicht zu diesem Szenario; nichts geschrieben.")
        if scenario.inputs.replace_new:
            raise PlanningError(
                f"Szenario „{name}“ ist ein Vergleich ohne die ab {scenario.inputs.beginn:%d.%m.%Y} beginnenden "
                "Stellen; es würde Stellen doppelt zählen und kann nicht übernommen werden. Nichts geschrieben."
            )
        if result.positions.empty:
            raise PlanningError("Der Plan enthält keine neuen Stellen (0 VZÄ); nichts geschrieben.")
        if list(result.positions["id"]) != list(shown_ids):
            raise PlanningError("Der Plan ist nicht mehr der angezeigte; bitte neu prüfen. Nichts geschrieben.")
        past = scenario.inputs.beginn < today
        if past and not confirm_past:
            raise PlanningError(
                f"Der Beginn {scenario.inputs.beginn:%d.%m.%Y} liegt in der Vergangenheit: die Übernahme ändert, was "
                "für vergangene Stichtage gilt. Bitte das ausdrücklich bestätigen. Nichts geschrieben.")
        note = f"Szenario: {name}" + (f" | {PAST_NOTE}" if past else "")
        positions = result.positions.copy()
        positions["besetzt"] = False  # planned: parents see it once the Daten page marks it filled
        try:
            with self.engine.begin() as conn:
                current = lock(conn)
                if current != shown_version:
                    raise PlanningError(
                        "Die Daten wurden geändert, seit dieser Plan zur Bestätigung angezeigt wurde; nichts geschrieben. "
                        "Bitte den neu berechneten Plan prüfen und erneut bestätigen.")
                ids = store.insert_positions(conn, positions, who, new_group("plan"), note)
                _mark_applied(conn, name, ids)
        except SQLAlchemyError as exc:
            raise StoreError(f"Übernahme fehlgeschlagen, nichts geschrieben: {exc.__class__.__name__}.") from exc
        return ids


def _mark_applied(conn: Connection, name: str, ids: list[str]) -> None:
    """The second step of an apply, in the same transaction: only a scenario not yet applied is marked,
    so of two applies racing each other the second writes nothing."""
    marked = conn.execute(
        update(scenario_table).where(and_(scenario_table.c.name == name, scenario_table.c.angewendet.is_(None)))
        .values(angewendet=dt.datetime.now(), stellen=";".join(ids))
    )
    if marked.rowcount != 1:
        raise PlanningError(f"Szenario „{name}“ wurde inzwischen übernommen oder gelöscht; nichts geschrieben.")


def _scenario(row) -> Scenario:
    return Scenario(
        name=row["name"], angelegt=row["angelegt"], wer=row["wer"],
        inputs=PlanInputs.from_dict(json.loads(row["eingaben"])), angewendet=row["angewendet"],
        stellen=row["stellen"] or "",
    )
