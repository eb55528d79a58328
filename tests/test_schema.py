"""The database the migrations build is exactly the one MetaData the code declares (datastore/schema.py):
a column or index changed on one side only fails here, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, create_engine

from datastore import migrate
from datastore.schema import all_tables


def _drift(url: str, metadata: MetaData) -> list:
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()


def test_migrations_build_the_declared_schema(any_db_url):
    assert _drift(any_db_url, all_tables()) == []


def test_the_check_sees_a_table_without_a_migration(tmp_path):
    extra = MetaData()
    for table in all_tables().tables.values():
        table.to_metadata(extra)
    Table("nur_im_code", extra, Column("nr", Integer, primary_key=True))
    drift = _drift(f"sqlite:///{tmp_path / 'x.sqlite'}", extra)
    assert [d[0] for d in drift] == ["add_table"] and drift[0][1].name == "nur_im_code"
