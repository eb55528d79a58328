"""The database of operational data (Kitas, Fachkräfte, Kontakte, Gemeinde-Kennzahlen, change log).

SQLite file by default, any SQLAlchemy URL (e.g. PostgreSQL) for a shared deployment. The schema
comes from Alembic migrations (``datastore/migrate.py``); a truly new database is filled from
``data/seed/`` once, and the "filled" mark is written in that same transaction, so an empty table
never causes a reseed. Every write is one transaction and leaves change-log rows (who, when, table,
record, old, new, group), so it can be traced and undone; a save based on stale data is refused
(each row carries a version number that every write increments).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from datastore import migrate
from datastore.schema import metadata
from geo.layers import (
    KEYS,
    SCHEMAS,
    TABLE_IDS,
    check_kita_locations,
    check_rows,
    read_seed,
    validate_table,
)
from kita import constants
from kita.errors import DataError, StoreError
from kita.i18n import N_, Message, text

_LOG = logging.getLogger("kita")
_SQL_TYPES = {
    "int": Integer, "share": Float, "fte": Float, "lat": Float, "lon": Float, "bool": Boolean, "date": Date,
}
ROW_VERSION = "zeile_version"
# Optional fields that migration 0002 added as NOT NULL with a server default (besetzt: true, lage_ungefaehr: false).
_ADDED_NOT_NULL = {"besetzt", "lage_ungefaehr"}


def _table(name: str) -> Table:
    columns = []
    for column in SCHEMAS[name]:
        sql_type = _SQL_TYPES.get(column.kind, String(32) if column.kind in {"id", "plz", "rs9", "rs12"} else Text)
        nullable = not column.required and column.name not in _ADDED_NOT_NULL
        columns.append(Column(column.name, sql_type, primary_key=column.name == KEYS[name], nullable=nullable))
    columns.append(Column(ROW_VERSION, Integer, nullable=False, default=1))
    return Table(name, metadata, *columns)


TABLES = {name: _table(name) for name in SCHEMAS}
# The operational tables and their names in messages (catalogue ``table_<name>``).
TABLE_LABELS = {name: Message(key) for name, key in TABLE_IDS.items()}
changes = Table(
    "aenderungen",
    metadata,
    Column("nr", Integer, primary_key=True, autoincrement=True),
    Column("zeit", DateTime, nullable=False),
    Column("wer", String(120), nullable=False),
    Column("tabelle", String(40), nullable=False),
    Column("datensatz", String(64), nullable=False),
    Column("alt", Text),  # JSON of the old row, null for an insert
    Column("neu", Text),  # JSON of the new row, null for a delete
    Column("rueckgaengig", Boolean, nullable=False, default=False),
    Column("vorgang", String(80)),  # group: one save, one import, one applied plan, one undo
    Column("hinweis", Text),  # e.g. "Beginn in der Vergangenheit"
)
Index("ix_aenderungen_vorgang", changes.c.vorgang)
SCENARIO_TABLE = "planung_szenarien"  # its saves and deletes are logged too (datastore/scenarios.py), never undone here
scenario_table = Table(
    SCENARIO_TABLE,
    metadata,
    Column("name", String(80), primary_key=True),
    Column("angelegt", DateTime, nullable=False),
    Column("wer", String(120), nullable=False),
    Column("eingaben", Text, nullable=False),  # JSON of PlanInputs.to_dict()
    Column("angewendet", DateTime),  # when its positions were written to the store
    Column("stellen", Text),  # ids of the positions written, ";"-separated
)
betrieb = Table("betrieb", metadata, Column("schluessel", String(40), primary_key=True), Column("wert", Text, nullable=False))
SEEDED = "befuellt"


class StaleError(DataError):
    """A row was changed by someone else since it was shown; ``current`` holds the current rows."""

    def __init__(self, message: str, problems: list[str], current: pd.DataFrame):
        super().__init__(message, problems)
        self.current = current


@dataclass
class Changes:
    """Rows to write to one table: new or changed rows (typed, with the row version they were based on;
    ``zeile_version`` None or missing = a new row) and keys to delete with their versions."""

    upserts: list[dict] = field(default_factory=list)
    deletes: list[tuple[str, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.upserts or self.deletes)


def _json(row: dict | None) -> str | None:
    if row is None:
        return None
    clean = {k: v for k, v in row.items() if k != ROW_VERSION}
    return json.dumps(clean, default=str, ensure_ascii=False, sort_keys=True)


# Notes this code writes into the change log. The log is data and keeps them in German; shown, they are said in
# the reader's language (:func:`log_note_in_language`). Kind -> (German pattern, catalogue id); {wert} is the rest.
LOG_NOTES = {
    "undo_change": ("Rückgängig: Änderung Nr. {wert}", N_("log_note_undo_change")),
    "undo_group": ("Rückgängig: Vorgang {wert}", N_("log_note_undo_group")),
    "import": ("Import {wert}", N_("log_note_import")),
    "scenario": ("Szenario: {wert}", N_("log_note_scenario")),
    "scenario_past": ("Szenario: {wert} | Beginn in der Vergangenheit", N_("log_note_scenario_past")),
}


def log_note(kind: str, value) -> str:
    """The German note of ``kind`` (LOG_NOTES) for the change log."""
    return LOG_NOTES[kind][0].format(wert=value)


# The German patterns as expressions, longest first ("Szenario: … | Beginn in der Vergangenheit" before
# "Szenario: …"); compiled once, not for every row of the log.
_LOG_NOTE_PATTERNS = [(re.compile(re.escape(pattern).replace(re.escape("{wert}"), "(.*)"), re.DOTALL), key)
                      for pattern, key in sorted(LOG_NOTES.values(), key=lambda item: -len(item[0]))]


def log_note_in_language(note: str | None, lang: str) -> str:
    """A change-log note in ``lang`` when it is one the code writes (LOG_NOTES), else as stored."""
    note = "" if note is None or note != note else str(note)
    for pattern, key in _LOG_NOTE_PATTERNS:
        match = pattern.fullmatch(note)
        if match:
            return text(key, lang, wert=match.group(1))
    return note


def new_group(kind: str) -> str:
    """A change-log group id like 'import-3f9a1c2b' (every row of one save/import/plan shares it)."""
    return f"{kind}-{uuid.uuid4().hex[:8]}"


def safe_url(url: str) -> Message | str:
    """The URL for messages people see: without password, a SQLite file by its name only (no server path);
    parsed without loading a driver."""
    try:
        parsed = make_url(url)
    except (SQLAlchemyError, ArgumentError, ValueError):
        return Message("store_url_invalid")
    if parsed.get_backend_name() == "sqlite":
        return Message("store_url_sqlite_file", datei=Path(parsed.database).name) if parsed.database else Message(
            "store_url_sqlite_memory")
    return parsed.render_as_string(hide_password=True)


class Store:
    """Access to the operational tables; all reads return validated DataFrames."""

    def __init__(self, url: str, seed_dir: Path | None = None, gemeinde_keys: set[str] | None = None,
                 gemeinden: gpd.GeoDataFrame | None = None, read_only: bool = False):
        self.url = url
        self.seed_dir = seed_dir or constants.data_folder().seed
        self.gemeinden = gemeinden
        self.gemeinde_keys = gemeinde_keys or (set(gemeinden["gemeinde_rs"]) if gemeinden is not None else set())
        self.read_only = read_only
        try:
            if url.startswith("sqlite:///") and not read_only:
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            args = {"connect_args": {"timeout": 15}} if url.startswith("sqlite") else {"pool_pre_ping": True}
            self.engine: Engine = create_engine(url, **args)
            if read_only:  # never changes the database, not even its schema: it must be ready
                if migrate.current(self.engine) != migrate.head():
                    raise StoreError(self._unavailable("Nur-Lesen-Instanz: Datenbank nicht auf dem neuesten Stand "
                                                       "(python -m datastore.migrate auf einer schreibenden Instanz)"))
            else:
                migrate.upgrade(self.engine)
        except (SQLAlchemyError, ArgumentError, ImportError, OSError, ValueError) as exc:
            raise StoreError(self._unavailable("Datenbank kann nicht geöffnet werden", exc)) from exc
        if not read_only and not self.is_seeded():
            self.seed()

    def _unavailable(self, what: str, exc: Exception | None = None) -> Message:
        """The generic message for visitors; the details (address without password, error) go to the server log."""
        _LOG.error("%s: %s (%s)", what, self.safe_url, exc.__class__.__name__ if exc else "", exc_info=exc)
        return Message("store_unavailable")

    @property
    def safe_url(self) -> Message | str:
        return safe_url(self.url)

    def close(self) -> None:
        """Close the connection pool (tests; a server keeps one store per process)."""
        self.engine.dispose()

    # --- seeding ---------------------------------------------------------------------------------

    def is_seeded(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return conn.execute(select(betrieb.c.wert).where(betrieb.c.schluessel == SEEDED)).first() is not None
        except SQLAlchemyError as exc:
            raise StoreError(self._unavailable("Datenbank kann nicht gelesen werden", exc)) from exc

    def seed(self) -> None:
        """Fill a new database from the seed CSVs, validated whole; the mark is part of the same transaction,
        and a database that carries the mark is never filled again."""
        self._writable()
        tables = read_seed(self.seed_dir, self.gemeinde_keys)
        now = dt.datetime.now()
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(betrieb.c.wert).where(betrieb.c.schluessel == SEEDED)).first():
                    return  # another process filled it meanwhile
                conn.execute(insert(betrieb), {"schluessel": SEEDED, "wert": now.isoformat(timespec="seconds")})
                for name, frame in tables.items():
                    records = _records(frame)
                    if records:
                        conn.execute(insert(TABLES[name]), records)
                    conn.execute(insert(changes), {
                        "zeit": now, "wer": "Erstbefüllung aus data/seed", "tabelle": name, "datensatz": "*",
                        "alt": None, "neu": _json({"zeilen": len(records)}), "rueckgaengig": False,
                        "vorgang": "erstbefuellung"})
        except IntegrityError:
            return  # another process filled it at the same moment (its mark came first)
        except SQLAlchemyError as exc:
            raise StoreError(self._unavailable("Erstbefüllung fehlgeschlagen", exc)) from exc

    # --- reading ---------------------------------------------------------------------------------

    def read(self, name: str) -> pd.DataFrame:
        """The table with the schema's columns and types."""
        return self.read_for_edit(name).drop(columns=[ROW_VERSION])

    def read_for_edit(self, name: str) -> pd.DataFrame:
        """The table plus each row's version (for an optimistic save)."""
        table = TABLES[name]
        try:
            with self.engine.connect() as conn:
                frame = pd.read_sql(select(table).order_by(table.c[KEYS[name]]), conn)
        except SQLAlchemyError as exc:
            raise StoreError(self._unavailable(f"Tabelle {name} nicht lesbar", exc)) from exc
        return _typed(name, frame)

    def read_all(self) -> dict[str, pd.DataFrame]:
        return {name: self.read(name) for name in TABLES}

    def version(self) -> int:
        """Number of the latest change: moves with every write (cache key, and the data version a
        confirmation was shown for)."""
        with self.engine.connect() as conn:
            return _version(conn)

    def change_log(self, tabelle: str = "", wer: str = "", datensatz: str = "", vorgang: str = "",
                   text: str = "", limit: int = 1000) -> pd.DataFrame:
        """Newest first, filtered by table, person (part of the name), record, group or any text."""
        query = select(changes).order_by(changes.c.nr.desc())
        if tabelle:
            query = query.where(changes.c.tabelle == tabelle)
        if wer:
            query = query.where(func.lower(changes.c.wer).contains(wer.lower(), autoescape=True))
        if datensatz:
            query = query.where(changes.c.datensatz == datensatz)
        if vorgang:
            query = query.where(changes.c.vorgang == vorgang)
        if text:
            needle = text.lower()
            query = query.where(func.lower(changes.c.alt).contains(needle, autoescape=True)
                                | func.lower(changes.c.neu).contains(needle, autoescape=True))
        with self.engine.connect() as conn:
            return pd.read_sql(query.limit(limit), conn)

    # --- writing ---------------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(Message("store_read_only"))

    def known(self, conn: Connection | None = None) -> dict[str, set[str]]:
        """Keys other tables may refer to: Gemeinden of the district and current Kita ids."""
        if conn is None:
            with self.engine.connect() as own:
                return self.known(own)
        kitas = {row[0] for row in conn.execute(select(TABLES["kitas"].c.id))}
        return {"gemeinden": self.gemeinde_keys, "kitas": kitas}

    def check(self, name: str, rows: pd.DataFrame, known: dict[str, set[str]] | None = None):
        """Typed rows and every problem (layers.Problem) of rows given as text cells, including a Kita's
        point inside its Gemeinde."""
        table, problems = check_rows(name, rows, known if known is not None else self.known())
        if name == "kitas" and self.gemeinden is not None and not problems:
            problems = check_kita_locations(table, self.gemeinden)
        return table, problems

    def save_changes(self, name: str, changeset: Changes, who: str, group: str | None = None,
                     note: str | None = None, expected_version: int | None = None) -> str:
        """Write the changes to one table in one transaction; returns the change-log group.

        Every row is validated first (DataError with every problem, nothing written); a row changed or
        deleted by someone else since it was read is refused (StaleError with the current rows). With
        ``expected_version`` (an import's dry run) any change to the data since then refuses the whole save.
        """
        self._writable()
        group = group or new_group("bearbeitung")
        key = KEYS[name]
        table = TABLES[name]
        try:
            with self.engine.begin() as conn:
                if expected_version is not None and lock(conn) != expected_version:
                    raise DataError(Message("store_changed_since_dry_run"))
                known = self.known(conn)
                upserts = changeset.upserts
                versions = {str(r[key]): r.get(ROW_VERSION) for r in upserts}
                if upserts:
                    text = pd.DataFrame([{c.name: _to_text(r.get(c.name)) for c in SCHEMAS[name]} for r in upserts])
                    if name == "kitas":  # ids of Kitas saved together are known to each other
                        known = known | {"kitas": known["kitas"] | set(text["id"])}
                    checked, problems = self.check(name, text, known)
                    if problems:
                        lines = [Message("store_problem_line", zeile=_row_name(text, p.row, key), spalte=p.column,
                                         problem=p.message) for p in problems]
                        raise DataError(Message("store_problems", n=len(problems)), lines)
                    records = _records(checked)
                else:
                    records = []
                deleted = {str(k) for k, _ in changeset.deletes}
                problems = self._reference_problems(conn, name, deleted)
                if problems:
                    raise DataError(Message("store_problems", n=len(problems)), problems)
                stale: list[str] = []
                now = dt.datetime.now()
                for record in records:
                    record_key = str(record[key])
                    base = versions.get(record_key)
                    old = conn.execute(select(table).where(table.c[key] == record_key)).mappings().first()
                    if base is None or base != base:  # a new row
                        if old is not None:
                            stale.append(record_key)
                            continue
                        conn.execute(insert(table), record | {ROW_VERSION: 1})
                    else:
                        result = conn.execute(
                            update(table).where(and_(table.c[key] == record_key, table.c[ROW_VERSION] == int(base)))
                            .values(**record, **{ROW_VERSION: int(base) + 1}))
                        if result.rowcount != 1:
                            stale.append(record_key)
                            continue
                    if old is not None and _same(name, dict(old), record):
                        continue
                    conn.execute(insert(changes), log_entry(now, who, name, record_key, dict(old) if old else None,
                                                       record, group, note))
                for record_key, base in changeset.deletes:
                    old = conn.execute(select(table).where(table.c[key] == str(record_key))).mappings().first()
                    result = conn.execute(delete(table).where(
                        and_(table.c[key] == str(record_key), table.c[ROW_VERSION] == int(base))))
                    if result.rowcount != 1:
                        stale.append(str(record_key))
                        continue
                    conn.execute(insert(changes), log_entry(now, who, name, str(record_key), dict(old), None, group, note))
                if stale:
                    raise _stale(name, stale, conn)
        except SQLAlchemyError as exc:
            raise StoreError(Message("store_save_failed", fehler=exc.__class__.__name__)) from exc
        return group

    def _reference_problems(self, conn: Connection, name: str, deleted: set[str]) -> list[Message]:
        """A Kita still served by a position explicitly cannot be deleted."""
        if name != "kitas" or not deleted:
            return []
        problems = []
        for pid, served in conn.execute(select(TABLES["fachkraefte"].c.id, TABLES["fachkraefte"].c.kitas)):
            used = deleted & {k.strip() for k in (served or "").split(";")}
            if used:
                problems.append(Message("store_kita_still_served", kitas=sorted(used), stelle=pid))
        return problems

    def replace_all(self, tables: dict[str, pd.DataFrame], who: str) -> list[str]:
        """Make each given table equal to its frame (rows added, changed, removed; each table one transaction,
        every row logged so it can be undone). Returns the change-log groups."""
        self._writable()
        groups = []
        for name, frame in tables.items():
            key = KEYS[name]
            current = self.read_for_edit(name)
            versions = dict(zip(current[key], current[ROW_VERSION]))
            upserts = [row | {ROW_VERSION: versions.get(row[key])} for row in frame.to_dict("records")]
            deletes = [(k, int(v)) for k, v in versions.items() if k not in set(frame[key])]
            groups.append(self.save_changes(name, Changes(upserts=upserts, deletes=deletes), who, new_group("ersetzen")))
        return groups

    def save_row(self, name: str, row: dict, who: str) -> None:
        """Insert or update one row (the row's version, if given, must be current)."""
        self._writable()
        key = KEYS[name]
        if ROW_VERSION not in row:
            current = self.read_for_edit(name)
            match = current[current[key] == row[key]]
            row = row | {ROW_VERSION: int(match.iloc[0][ROW_VERSION]) if len(match) else None}
        self.save_changes(name, Changes(upserts=[row]), who)

    def insert_positions(self, conn: Connection, positions: pd.DataFrame, who: str, group: str,
                         note: str | None = None) -> list[str]:
        """Insert new positions inside the caller's transaction (validated; an existing id is refused)."""
        self._writable()
        checked = validate_table("fachkraefte", positions.map(_to_text), Message("source_plan"), self.known(conn))
        table = TABLES["fachkraefte"]
        clash = sorted({row[0] for row in conn.execute(select(table.c.id).where(table.c.id.in_(list(checked["id"]))))})
        if clash:
            raise DataError(Message("store_position_ids_exist", ids=clash))
        now = dt.datetime.now()
        for record in _records(checked):
            conn.execute(insert(table), record | {ROW_VERSION: 1})
            conn.execute(insert(changes), log_entry(now, who, "fachkraefte", record["id"], None, record, group, note))
        return list(checked["id"])


    def undo(self, number: int, who: str) -> str:
        """Undo one change (restore the old row, delete an inserted one, re-insert a deleted one).
        Refused when the record was changed again afterwards. Returns the undo's group."""
        group = f"rueckgaengig-{number}"
        with self._undo_transaction() as conn:
            entry = conn.execute(select(changes).where(changes.c.nr == number)).mappings().first()
            if entry is None:
                raise DataError(Message("store_no_such_change", nr=str(number)))
            self._undo_entry(conn, dict(entry), who, group, log_note("undo_change", number))
        return group

    def undo_group(self, group: str, who: str) -> str:
        """Undo every change of one save, import or applied plan, newest first, in one transaction. An
        applied plan's scenario counts as not applied again."""
        undo_group = f"rueckgaengig-{group}"[:80]
        with self._undo_transaction() as conn:
            entries = conn.execute(select(changes).where(and_(changes.c.vorgang == group, changes.c.rueckgaengig.is_(False)))
                                   .order_by(changes.c.nr.desc())).mappings().all()
            if not entries:
                raise DataError(Message("store_group_nothing_to_undo", vorgang=group))
            for entry in entries:
                self._undo_entry(conn, dict(entry), who, undo_group, log_note("undo_group", group))
            if group.startswith("plan-"):
                conn.execute(update(scenario_table).where(scenario_table.c.stellen.isnot(None))
                             .where(scenario_table.c.name == _scenario_of(conn, group))
                             .values(angewendet=None, stellen=""))
        return undo_group

    def _undo_transaction(self):
        self._writable()
        return _Transaction(self.engine)

    def _undo_entry(self, conn: Connection, entry: dict, who: str, group: str, note: str) -> None:
        number = entry["nr"]
        if entry["tabelle"] == SCENARIO_TABLE:
            raise DataError(Message("store_undo_scenario", nr=str(number)))
        if entry["datensatz"] == "*" or entry["tabelle"] not in TABLES:
            raise DataError(Message("store_undo_seed", nr=str(number)))
        if entry["rueckgaengig"]:
            raise DataError(Message("store_undo_done", nr=str(number)))
        name = entry["tabelle"]
        table, key = TABLES[name], KEYS[name]
        current = conn.execute(select(table).where(table.c[key] == entry["datensatz"])).mappings().first()
        expected = json.loads(entry["neu"]) if entry["neu"] else None
        if (current is None) != (expected is None) or (
                current is not None and _json(_plain(name, dict(current))) != _json(expected)):
            raise DataError(Message("store_undo_changed_later", nr=str(number), tabelle=TABLE_LABELS[name],
                                    datensatz=entry["datensatz"]))
        old = json.loads(entry["alt"]) if entry["alt"] else None
        version = int(current[ROW_VERSION]) if current is not None else 0
        if old is None:
            conn.execute(delete(table).where(table.c[key] == entry["datensatz"]))
            restored = None
        else:
            text = pd.DataFrame([{c.name: _to_text(old.get(c.name)) for c in SCHEMAS[name]}])
            restored = _records(validate_table(name, text, Message("source_change_log")))[0]
            if current is None:
                conn.execute(insert(table), restored | {ROW_VERSION: 1})
            else:
                conn.execute(update(table).where(table.c[key] == entry["datensatz"])
                             .values(**restored, **{ROW_VERSION: version + 1}))
        conn.execute(update(changes).where(changes.c.nr == number).values(rueckgaengig=True))
        conn.execute(insert(changes), log_entry(dt.datetime.now(), who, name, entry["datensatz"],
                                           dict(current) if current else None, restored, group, note))


class _Transaction:
    """engine.begin() that turns database errors into StoreError."""

    def __init__(self, engine: Engine):
        self._context = engine.begin()

    def __enter__(self) -> Connection:
        return self._context.__enter__()

    def __exit__(self, kind, exc, tb):
        try:
            return self._context.__exit__(kind, exc, tb)
        except SQLAlchemyError as error:
            raise StoreError(Message("store_write_failed", fehler=error.__class__.__name__)) from error


def _scenario_of(conn: Connection, group: str) -> str | None:
    row = conn.execute(select(changes.c.hinweis).where(changes.c.vorgang == group)).first()
    marker = "Szenario: "
    if row and row[0] and marker in row[0]:
        return row[0].split(marker, 1)[1].split(" | ")[0]
    return None


def _version(conn: Connection) -> int:
    """The data version: the latest change of the operational tables. A scenario's save or delete is logged too,
    but changes no data, so it does not move the version (no false "data changed" on the planning page)."""
    return int(conn.execute(select(func.max(changes.c.nr)).where(changes.c.tabelle != SCENARIO_TABLE)).scalar() or 0)


def lock(conn: Connection) -> int:
    """Serialise writers that depend on the whole data version (apply, import): take the lock row,
    then return the current data version."""
    conn.execute(update(betrieb).where(betrieb.c.schluessel == SEEDED).values(wert=betrieb.c.wert))
    return _version(conn)


def log_entry(now, who, name, record_key, old, new, group, note) -> dict:
    """One change-log row (``old``/``new`` as dicts, None for an insert/delete)."""
    return {"zeit": now, "wer": who[:120], "tabelle": name, "datensatz": str(record_key)[:64], "alt": _json(old),
            "neu": _json(new), "rueckgaengig": False, "vorgang": group, "hinweis": note}


def _plain(name: str, row: dict) -> dict:
    """A database row as the typed values validate_table gives (for comparing with the log's JSON)."""
    frame = _typed(name, pd.DataFrame([row]))
    return _records(frame.drop(columns=[ROW_VERSION], errors="ignore"))[0]


def _same(name: str, old: dict, new: dict) -> bool:
    return _json(_plain(name, old)) == _json(new)


def _stale(name: str, keys: list[str], conn: Connection) -> StaleError:
    table, key = TABLES[name], KEYS[name]
    rows = conn.execute(select(table).where(table.c[key].in_(keys))).mappings().all()
    current = _typed(name, pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in table.columns]))
    gone = sorted(set(keys) - set(current[key]))
    lines = [Message("store_stale_changed", tabelle=TABLE_LABELS[name], datensatz=k) for k in sorted(set(current[key]))]
    lines += [Message("store_stale_gone", tabelle=TABLE_LABELS[name], datensatz=k) for k in gone]
    return StaleError(Message("store_stale"), lines, current)


def _row_name(text: pd.DataFrame, row: int, key: str) -> Message | str:
    index = row - 2
    if 0 <= index < len(text) and str(text.iloc[index][key]).strip():
        return f"{key} {text.iloc[index][key]}"
    return Message("store_row", zeile=str(row))


def _to_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10]
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    records = []
    for row in frame.to_dict("records"):
        records.append({k: (None if (isinstance(v, float) and v != v) or v is pd.NaT else v) for k, v in row.items()})
    return records


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Bring database values back to the types validate_table produces."""
    for column in SCHEMAS[name]:
        if column.name not in frame.columns:
            continue
        if column.kind == "date":
            frame[column.name] = [
                None if v is None or v != v else (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10]))
                for v in frame[column.name]
            ]
            frame[column.name] = frame[column.name].astype(object)
        elif column.kind == "bool":
            default = bool(column.default) if column.default is not None else False
            frame[column.name] = frame[column.name].astype(object).where(frame[column.name].notna(), default).astype(bool)
        elif column.kind in {"text", "note", "id", "plz", "rs9", "rs12", "email", "phone", "url"}:
            frame[column.name] = frame[column.name].fillna("").astype(str)
    return frame
