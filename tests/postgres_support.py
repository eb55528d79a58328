"""A fresh PostgreSQL database per test on the test server (tests/conftest.py's POSTGRES_URL): for what works on
whole databases (pg_dump, several app processes), where conftest's schema per test is not enough."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL


def _server():
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unter {POSTGRES_URL} nicht erreichbar (CI=true): {exc.__class__.__name__}")
        pytest.skip(f"PostgreSQL unter {POSTGRES_URL} nicht erreichbar")
    return engine


@pytest.fixture
def fresh_database():
    """Factory: URL of a new, empty database on the test server; all are dropped afterwards."""
    engine, made = None, []

    def make() -> str:
        nonlocal engine
        engine = engine or _server()
        name = f"kita_test_{uuid.uuid4().hex[:10]}"
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return engine.url.set(database=name).render_as_string(hide_password=False)

    yield make
    if engine is not None:
        with engine.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
