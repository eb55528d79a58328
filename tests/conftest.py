"""Shared fixtures: reference layers, seed tables, and an AppTest factory on a temporary database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import dataset, layers

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


@pytest.fixture
def app(monkeypatch, db_url):
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
        if page:
            at.switch_page(page)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at

    return make


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
