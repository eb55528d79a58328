"""Saved planning scenarios: the inputs of a plan under a name, in the app's database.

A scenario stores only what determines a plan (``PlanInputs``): the plan itself is recomputed from
the current data, so it is always consistent with the store. Applying a scenario writes its planned
positions through ``Store.add_positions`` (one transaction, change log) and marks the scenario as
applied, so it cannot be written twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from geo.errors import StoreError
from geo.planning import PlanInputs, PlanningError, PlanResult
from geo.store import Store

MAX_NAME = 80
metadata = MetaData()
scenario_table = Table(
    "planung_szenarien",
    metadata,
    Column("name", String(MAX_NAME), primary_key=True),
    Column("angelegt", DateTime, nullable=False),
    Column("wer", String(120), nullable=False),
    Column("eingaben", Text, nullable=False),  # JSON of PlanInputs.to_dict()
    Column("angewendet", DateTime),  # when its positions were written to the store
    Column("stellen", Text),  # ids of the positions written, ";"-separated
)


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
        self.engine = engine
        try:
            metadata.create_all(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"Tabelle für Szenarien kann nicht angelegt werden: {exc.__class__.__name__}.") from exc

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

    def save(self, name: str, inputs: PlanInputs, who: str) -> str:
        """Save under a new name (trimmed, 1–80 characters); an existing name is refused."""
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

    def delete(self, name: str) -> None:
        if self.get(name).angewendet:
            raise PlanningError(f"Szenario „{name}“ ist schon übernommen und bleibt zur Nachvollziehbarkeit erhalten.")
        with self.engine.begin() as conn:
            conn.execute(delete(scenario_table).where(scenario_table.c.name == name))

    def apply(self, name: str, result: PlanResult, store: Store, who: str) -> list[str]:
        """Write the plan's positions to the store, then mark the scenario as applied. Returns the new ids."""
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
        store.add_positions(result.positions, who=f"{who} (Szenario „{name}“)")
        ids = list(result.positions["id"])
        with self.engine.begin() as conn:
            conn.execute(
                update(scenario_table).where(scenario_table.c.name == name)
                .values(angewendet=dt.datetime.now(), stellen=";".join(ids))
            )
        return ids


def _scenario(row) -> Scenario:
    return Scenario(
        name=row["name"], angelegt=row["angelegt"], wer=row["wer"],
        inputs=PlanInputs.from_dict(json.loads(row["eingaben"])), angewendet=row["angewendet"],
        stellen=row["stellen"] or "",
    )
