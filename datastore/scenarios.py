"""Saved planning scenarios: the inputs of a plan under a name, in the app's database.

A scenario stores only what determines a plan (``PlanInputs``): the plan itself is recomputed from
the current data, so it is always consistent with the store. Applying a scenario writes its planned
positions and marks the scenario as applied in one transaction (change log group ``plan-…``), so it
cannot be written twice, and is refused when the data changed since the confirmation was shown.
Saving and deleting a scenario are writes too: each names its coordinator in the change log (table
``planung_szenarien``), in the same transaction as the write.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from kita.errors import DataError, StoreError
from kita.i18n import Message, text
from kita.planning import PlanInputs, PlanningError, PlanResult
from datastore.store import SCENARIO_TABLE, Store, changes, log_entry, log_note, lock, new_group, scenario_table
from kita.text import date

MAX_NAME = 80


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

    def __init__(self, engine: Engine, read_only: bool = False):
        self.engine = engine  # the table comes with the store's migrations
        self.read_only = read_only  # every write refused (a read-only instance)

    def all(self) -> list[Scenario]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(scenario_table).order_by(scenario_table.c.angelegt)).mappings().all()
        return [_scenario(row) for row in rows]

    def get(self, name: str, lang: str = "de") -> Scenario:
        with self.engine.connect() as conn:
            row = conn.execute(select(scenario_table).where(scenario_table.c.name == name)).mappings().first()
        if row is None:
            raise PlanningError(text("scenario_unknown", lang, name=name))
        return _scenario(row)

    def save(self, name: str, inputs: PlanInputs, who: str, read_only: bool = False, lang: str = "de") -> str:
        """Save under a new name (trimmed, 1–80 characters); an existing or longer name is refused (never cut)."""
        if read_only or self.read_only:
            raise StoreError(text("read_only_nothing_saved", lang))
        name = " ".join(str(name).split())
        if not name:
            raise PlanningError(text("scenario_name_missing", lang))
        if len(name) > MAX_NAME:
            raise PlanningError(text("scenario_name_too_long", lang, n=len(name), max=MAX_NAME))
        if name in {s.name for s in self.all()}:
            raise PlanningError(text("scenario_name_taken", lang, name=name))
        row = {"name": name, "angelegt": dt.datetime.now(), "wer": who,
               "eingaben": json.dumps(inputs.to_dict(), ensure_ascii=False, sort_keys=True),
               "angewendet": None, "stellen": ""}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(scenario_table), row)
                conn.execute(insert(changes), log_entry(row["angelegt"], who, SCENARIO_TABLE, name, None,
                                                        _logged(row), new_group("szenario"), None))
        except SQLAlchemyError as exc:
            raise StoreError(text("scenario_not_saved", lang, fehler=exc.__class__.__name__)) from exc
        return name

    def delete(self, name: str, who: str, read_only: bool = False, lang: str = "de") -> None:
        if read_only or self.read_only:
            raise StoreError(text("read_only_nothing_deleted", lang))
        if self.get(name, lang).angewendet:
            raise PlanningError(text("scenario_applied_kept", lang, name=name))
        try:
            with self.engine.begin() as conn:
                row = conn.execute(select(scenario_table).where(scenario_table.c.name == name)).mappings().first()
                if row is None:  # deleted by another tab meanwhile: nothing to log
                    return
                conn.execute(delete(scenario_table).where(scenario_table.c.name == name))
                conn.execute(insert(changes), log_entry(dt.datetime.now(), who, SCENARIO_TABLE, name, _logged(row),
                                                        None, new_group("szenario"), None))
        except SQLAlchemyError as exc:
            raise StoreError(text("scenario_not_deleted", lang, fehler=exc.__class__.__name__)) from exc

    def apply(self, name: str, result: PlanResult, store: Store, who: str, shown_version: int,
              shown_ids: list[str], today: dt.date, confirm_past: bool = False, lang: str = "de") -> list[str]:
        """Write the plan's positions (as planned, not yet filled) and mark the scenario as applied, in ONE
        transaction. Returns the new ids.

        Refused, with nothing written, when the scenario is already applied (also by another tab or
        process), when the data changed since the confirmation was shown (``shown_version`` is the data
        version then, ``shown_ids`` the positions shown), or when the start lies in the past without
        ``confirm_past``; such a start is flagged in the change log.
        """
        if self.read_only or store.read_only:
            raise StoreError(text("read_only_nothing_saved", lang))
        scenario = self.get(name, lang)
        if scenario.angewendet:
            raise PlanningError(text("scenario_already_applied", lang, name=name,
                                     zeit=f"{date(scenario.angewendet.date(), lang)} {scenario.angewendet:%H:%M}"))
        if result.inputs != scenario.inputs:
            raise PlanningError(text("scenario_plan_mismatch", lang))
        if scenario.inputs.replace_new:
            raise PlanningError(text("scenario_comparison_not_applied", lang, name=name,
                                     beginn=date(scenario.inputs.beginn, lang)))
        if result.positions.empty:
            raise PlanningError(text("scenario_no_positions", lang))
        if list(result.positions["id"]) != list(shown_ids):
            raise PlanningError(text("scenario_plan_not_shown", lang))
        past = scenario.inputs.beginn < today
        if past and not confirm_past:
            raise PlanningError(text("scenario_past_unconfirmed", lang, beginn=date(scenario.inputs.beginn, lang)))
        note = log_note("scenario_past" if past else "scenario", name)
        positions = result.positions.copy()
        positions["besetzt"] = False  # planned: parents see it once the Daten page marks it filled
        try:
            with self.engine.begin() as conn:
                current = lock(conn)
                if current != shown_version:
                    raise PlanningError(text("scenario_data_changed_nothing_written", lang))
                ids = store.insert_positions(conn, positions, who, new_group("plan"), note)
                _mark_applied(conn, name, ids, lang)
        except SQLAlchemyError as exc:
            raise StoreError(text("scenario_apply_failed", lang, fehler=exc.__class__.__name__)) from exc
        return ids


def _mark_applied(conn: Connection, name: str, ids: list[str], lang: str = "de") -> None:
    """The second step of an apply, in the same transaction: only a scenario not yet applied is marked,
    so of two applies racing each other the second writes nothing."""
    marked = conn.execute(
        update(scenario_table).where(and_(scenario_table.c.name == name, scenario_table.c.angewendet.is_(None)))
        .values(angewendet=dt.datetime.now(), stellen=";".join(ids))
    )
    if marked.rowcount != 1:
        raise PlanningError(text("scenario_applied_meanwhile", lang, name=name))


def _logged(row) -> dict:
    """A scenario row as the change log keeps it: its inputs as data, not as a JSON string in JSON."""
    return {"name": row["name"], "wer": row["wer"], "eingaben": json.loads(row["eingaben"])}


def _scenario(row) -> Scenario:
    return Scenario(
        name=row["name"], angelegt=row["angelegt"], wer=row["wer"],
        inputs=PlanInputs.from_dict(json.loads(row["eingaben"])), angewendet=row["angewendet"],
        stellen=row["stellen"] or "",
    )


@dataclass(frozen=True)
class ShownApply:
    """What the Planung page showed for applying a scenario: its name, the data version and the new positions'
    ids. A click is checked against what the previous run showed, so a plan recomputed on changed data is
    never written unseen (also across tabs)."""

    name: str
    version: int
    ids: tuple[str, ...]


def data_changed_since(shown: ShownApply | None, name: str, version: int) -> bool:
    """True when the same scenario was shown at another data version: the page says the plan may differ."""
    return shown is not None and shown.name == name and shown.version != version


def apply_basis(shown: ShownApply | None, name: str) -> ShownApply:
    """The confirmation an apply is checked against: what was shown for ``name``; refused when it was not."""
    if shown is None or shown.name != name:
        raise DataError(Message("scenario_check_first"))
    return shown
