"""The database of operational data (Kitas, Fachkräfte, Kontakte, Gemeinde-Kennzahlen, change log).

SQLite file by default, any SQLAlchemy URL (e.g. PostgreSQL) for a shared deployment. An empty
database is filled from ``data/seed/`` on first open. Every write is one transaction and leaves
a change-log row (who, when, table, record, old, new), so it can be traced and undone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from geo.constants import SEED_DIR
from geo.errors import DataError, StoreError
from geo.layers import SCHEMAS, read_seed, validate_table

metadata = MetaData()
_SQL_TYPES = {
    "int": Integer, "share": Float, "fte": Float, "lat": Float, "lon": Float, "bool": Boolean, "date": Date,
}


def _table(name: str) -> Table:
    columns = []
    for column in SCHEMAS[name]:
        is_key = column.name == ("gemeinde_rs" if name == "gemeinden_kennzahlen" else "id")
        sql_type = _SQL_TYPES.get(column.kind, Text if column.kind == "text" else String(32))
        columns.append(Column(column.name, sql_type, primary_key=is_key, nullable=not column.required))
    return Table(name, metadata, *columns)


TABLES = {name: _table(name) for name in SCHEMAS}
KEYS = {name: ("gemeinde_rs" if name == "gemeinden_kennzahlen" else "id") for name in SCHEMAS}
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
)


def _json(row: dict | None) -> str | None:
    return None if row is None else json.dumps(row, default=str, ensure_ascii=False, sort_keys=True)


class Store:
    """Access to the operational tables; all reads return validated DataFrames."""

    def __init__(self, url: str, seed_dir: Path = SEED_DIR, gemeinde_keys: set[str] | None = None):
        self.url = url
        self.seed_dir = seed_dir
        self.gemeinde_keys = gemeinde_keys or set()
        try:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url)
            metadata.create_all(self.engine)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"Datenbank {self.safe_url} kann nicht geöffnet werden: {exc.__class__.__name__}.") from exc
        if self.is_empty():
            self.seed()

    @property
    def safe_url(self) -> str:
        """The URL without password, for messages."""
        try:
            return create_engine(self.url).url.render_as_string(hide_password=True)
        except SQLAlchemyError:
            return "(ungültige Adresse)"

    def is_empty(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(TABLES["kitas"])).scalar_one() == 0
        except SQLAlchemyError as exc:
            raise StoreError(f"Datenbank {self.safe_url} kann nicht gelesen werden: {exc.__class__.__name__}.") from exc

    def seed(self) -> None:
        """Fill all tables from the seed CSVs; validated whole before anything is written."""
        tables = read_seed(self.seed_dir, self.gemeinde_keys)
        self.replace_all(tables, who="Erstbefüllung aus data/seed")

    def replace_all(self, tables: dict[str, pd.DataFrame], who: str) -> None:
        """Replace the given tables in one transaction (e.g. an import), with a log row per table."""
        now = dt.datetime.now()
        try:
            with self.engine.begin() as conn:
                for name, frame in tables.items():
                    conn.execute(delete(TABLES[name]))
                    records = _records(frame)
                    if records:
                        conn.execute(insert(TABLES[name]), records)
                    conn.execute(
                        insert(changes),
                        {"zeit": now, "wer": who, "tabelle": name, "datensatz": "*",
                         "alt": None, "neu": _json({"zeilen": len(records)}), "rueckgaengig": False},
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"Schreiben in {self.safe_url} fehlgeschlagen, nichts geändert: {exc.__class__.__name__}.") from exc

    def read(self, name: str) -> pd.DataFrame:
        table = TABLES[name]
        try:
            with self.engine.connect() as conn:
                frame = pd.read_sql(select(table).order_by(table.c[KEYS[name]]), conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"Datenbank {self.safe_url}: Tabelle {name} nicht lesbar: {exc.__class__.__name__}.") from exc
        return _typed(name, frame)

    def read_all(self) -> dict[str, pd.DataFrame]:
        return {name: self.read(name) for name in TABLES}

    def save_row(self, name: str, row: dict, who: str) -> None:
        """Insert or update one row after validating it; logs old and new values."""
        key = KEYS[name]
        known = {"gemeinden": self.gemeinde_keys}
        if name == "fachkraefte":
            known["kitas"] = set(self.read("kitas")["id"])
        checked = validate_table(name, pd.DataFrame([{k: _to_text(v) for k, v in row.items()}]), "Eingabe", known)
        new = _records(checked)[0]
        table = TABLES[name]
        try:
            with self.engine.begin() as conn:
                old = conn.execute(select(table).where(table.c[key] == new[key])).mappings().first()
                if old is None:
                    conn.execute(insert(table), new)
                else:
                    conn.execute(update(table).where(table.c[key] == new[key]), new)
                conn.execute(
                    insert(changes),
                    {"zeit": dt.datetime.now(), "wer": who, "tabelle": name, "datensatz": str(new[key]),
                     "alt": _json(dict(old) if old else None), "neu": _json(new), "rueckgaengig": False},
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"Speichern fehlgeschlagen, nichts geändert: {exc.__class__.__name__}.") from exc

    def add_positions(self, positions: pd.DataFrame, who: str) -> None:
        """Insert new Fachkraft positions in one transaction (e.g. an applied planning scenario)."""
        known = {"gemeinden": self.gemeinde_keys, "kitas": set(self.read("kitas")["id"])}
        texts = positions.map(_to_text)
        checked = validate_table("fachkraefte", texts, "Planung", known)
        existing = set(self.read("fachkraefte")["id"])
        clash = sorted(existing & set(checked["id"]))
        if clash:
            raise DataError(f"Stellen-ID(s) {', '.join(clash)} gibt es schon; nichts gespeichert.")
        now = dt.datetime.now()
        try:
            with self.engine.begin() as conn:
                for record in _records(checked):
                    conn.execute(insert(TABLES["fachkraefte"]), record)
                    conn.execute(
                        insert(changes),
                        {"zeit": now, "wer": who, "tabelle": "fachkraefte", "datensatz": record["id"],
                         "alt": None, "neu": _json(record), "rueckgaengig": False},
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"Speichern fehlgeschlagen, nichts geändert: {exc.__class__.__name__}.") from exc

    def version(self) -> int:
        """Number of the latest change: a cache key that moves with every write."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(changes.c.nr))).scalar() or 0)

    def change_log(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(select(changes).order_by(changes.c.nr.desc()), conn)

    def undo(self, number: int, who: str) -> None:
        """Undo one single-row change (restore the old row, or delete an inserted one)."""
        with self.engine.begin() as conn:
            entry = conn.execute(select(changes).where(changes.c.nr == number)).mappings().first()
            if entry is None or entry["datensatz"] == "*" or entry["rueckgaengig"]:
                raise DataError(f"Änderung {number} kann nicht rückgängig gemacht werden.")
            table, key = TABLES[entry["tabelle"]], KEYS[entry["tabelle"]]
            old = json.loads(entry["alt"]) if entry["alt"] else None
            conn.execute(delete(table).where(table.c[key] == entry["datensatz"]))
            if old is not None:
                restored = _records(validate_table(entry["tabelle"], pd.DataFrame([{k: _to_text(v) for k, v in old.items()}]), "Änderungsprotokoll"))[0]
                conn.execute(insert(table), restored)
            conn.execute(update(changes).where(changes.c.nr == number).values(rueckgaengig=True))
            conn.execute(
                insert(changes),
                {"zeit": dt.datetime.now(), "wer": who, "tabelle": entry["tabelle"], "datensatz": entry["datensatz"],
                 "alt": entry["neu"], "neu": entry["alt"], "rueckgaengig": False},
            )


def _to_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    records = []
    for row in frame.to_dict("records"):
        records.append({k: (None if (isinstance(v, float) and v != v) else v) for k, v in row.items()})
    return records


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Bring database values back to the types validate_table produces."""
    for column in SCHEMAS[name]:
        if column.kind == "date":
            frame[column.name] = [
                None if v is None or v != v else (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10]))
                for v in frame[column.name]
            ]
            frame[column.name] = frame[column.name].astype(object)
        elif column.kind == "bool":
            frame[column.name] = frame[column.name].fillna(False).astype(bool)
        elif column.kind in {"text", "id", "plz", "rs9", "rs12"}:
            frame[column.name] = frame[column.name].fillna("").astype(str)
    return frame

