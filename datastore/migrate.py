"""Schema migrations (Alembic, folder ``migrations/``): an existing database is upgraded in place,
never recreated. ``python -m datastore.migrate`` upgrades the configured database by hand.

A database made before migrations existed (tables, no ``alembic_version``) is stamped with the
baseline revision ``0001`` first, so only the later steps run on it.
"""

from __future__ import annotations

import contextlib
import fcntl

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from kita.constants import ROOT

MIGRATIONS_DIR = ROOT / "migrations"
BASELINE = "0001"


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory.from_config(_config(None)).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextlib.contextmanager
def _file_lock(engine: Engine):
    """For a SQLite file: an exclusive lock on '<file>.lock' while migrating (SQLite runs DDL outside the
    transaction, so two processes starting at once would both create the tables)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision. On PostgreSQL an advisory lock lets only one of several app
    processes starting at once migrate; the others wait and then find the schema current."""
    with _file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(73310001)")
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables and "kitas" in tables:
            command.stamp(_config(conn), BASELINE)
        if MigrationContext.configure(conn).get_current_revision() != head():
            command.upgrade(_config(conn), "head")


def main() -> None:
    from sqlalchemy import create_engine

    from kita.settings import load_settings

    engine = create_engine(load_settings().database_url)
    before = current(engine)
    upgrade(engine)
    print(f"Datenbank: Revision {before or '(neu)'} → {current(engine)}")


if __name__ == "__main__":
    main()
