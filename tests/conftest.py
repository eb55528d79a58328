"""Shared fixtures: reference layers, seed tables, and an AppTest factory on a temporary database."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import dataset, layers
from ui.framework import apptest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def reference() -> dataset.Reference:
    return dataset.load_reference()


@pytest.fixture(scope="session")
def seed(reference) -> dict:
    """The shipped seed tables, validated (read-only: copy before changing)."""
    return layers.read_seed(gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


# The real PostgreSQL of development and CI machines (trust authentication, database "test"); .ci/run
# starts a throwaway server when none answers. Each test gets its own schema, dropped afterwards.
POSTGRES_URL = os.environ.get("KITA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_url():
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            schema = f"t_{uuid.uuid4().hex[:12]}"
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server: skip locally, fail under CI
        engine.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unter {POSTGRES_URL} nicht erreichbar (CI=true): {exc.__class__.__name__}")
        pytest.skip(f"PostgreSQL unter {POSTGRES_URL} nicht erreichbar")
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path):
    """The same test against a SQLite file and against the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def _components():
    """Streamlit's registry of installed custom components, scanned once per test session: every AppTest
    would scan all installed packages' metadata again (about 1 s each; the installed packages do not change)."""
    return apptest.component_registry()


@pytest.fixture
def app(monkeypatch, db_url, _components):
    """Factory: AppTest of dashboard.py (optionally on one page) with a fresh database and no basemap.

    Streamlit's resource caches are process-wide, so they are cleared for every app.
    """

    def make(page: str | None = None, query: dict | None = None, env: dict | None = None) -> AppTest:
        monkeypatch.setenv("KITA_DATABASE_URL", db_url)
        monkeypatch.setenv("KITA_BASEMAP", "none")
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        apptest.use_registry(at, _components)
        apptest.fail_on_exception(at)
        if page:
            at.switch_page(page)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at

    return make


_LOGIN_COOKIE = pytest.MonkeyPatch()
BROWSER = "browser-cookie-des-tests"  # the value of http_guard.BROWSER_COOKIE in tests


@pytest.fixture(autouse=True)
def _forget_login_cookie():
    yield
    _LOGIN_COOKIE.undo()


def log_in(at: AppTest, name: str = "Anna Koordination") -> AppTest:
    """Log the AppTest's browser in as a real login does: an account and a valid login token in the app's
    database, presented as the browser's cookie (AppTest cannot send cookies, so the one function that reads
    them answers with it). The login form and the cookie route are tested in test_app_login.py and the
    browser tests."""
    return present_cookie(login_token(name), at)


def login_token(name: str = "Anna Koordination") -> str:
    """A valid login token for ``name`` (the account is made if missing) in the database of KITA_DATABASE_URL."""
    from sqlalchemy import create_engine

    from datastore import migrate
    from datastore.auth import Accounts

    engine = create_engine(os.environ["KITA_DATABASE_URL"])
    migrate.upgrade(engine)  # as the app's first run would (seeding stays with the app)
    accounts = Accounts(engine)
    if name not in {n for n, _ in accounts.names()}:
        accounts.add(name, "ein langes Passwort 1")
    token = accounts.exchange_ticket(accounts.issue_ticket(name, BROWSER), BROWSER)[0]
    engine.dispose()
    return token


def present_cookie(token: str | None, at: AppTest | None = None, browser: str | None = BROWSER):
    """From now on the AppTest's browser sends this login cookie and its browser cookie (None: no such cookie,
    e.g. another connection)."""
    import ui.login
    from ui.http_guard import BROWSER_COOKIE, LOGIN_COOKIE

    cookies = {name: value for name, value in ((LOGIN_COOKIE, token), (BROWSER_COOKIE, browser)) if value}
    _LOGIN_COOKIE.setattr(ui.login, "_request_cookies", lambda: dict(cookies))
    return at


BEFORE_SUMMER_2024 = dt.date(2024, 7, 31)
AFTER_SUMMER_2024 = dt.date(2024, 8, 1)


# Browser fixtures (live_app, browser_page) live in tests/browser_support.py.
from tests.browser_support import _browser, browser_page, live_app  # noqa: E402,F401


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (browser_page saves a screenshot on failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
