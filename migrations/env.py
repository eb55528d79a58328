"""Alembic environment: runs on the connection handed in by datastore.migrate (no alembic.ini, no URL here)."""

from alembic import context

from datastore.schema import all_tables

connection = context.config.attributes["connection"]
# The one MetaData (datastore/schema.py): `alembic revision --autogenerate` compares against it, and
# tests/test_schema.py checks that the migrations build exactly it.
context.configure(connection=connection, target_metadata=all_tables(), render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
