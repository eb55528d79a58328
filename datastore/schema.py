"""The one SQLAlchemy ``MetaData`` every table of the app's database is declared on (operational tables, change
log, scenarios and the operations table in datastore/store.py; accounts and logins in datastore/auth.py).

The database itself is made by the Alembic migrations in ``migrations/`` (datastore/migrate.py);
tests/test_schema.py upgrades an empty database and compares it with this metadata (Alembic's
``compare_metadata``), so a table changed here without a migration, or the other way round, fails.
"""

from sqlalchemy import MetaData

metadata = MetaData()


def all_tables() -> MetaData:
    """The metadata with every table declared (importing the modules that declare them)."""
    import datastore.auth  # noqa: F401
    import datastore.store  # noqa: F401

    return metadata
