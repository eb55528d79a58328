"""Streamlit glue shared by all pages: cached loading, error display, sidebar, language, URL state.

Rules live in ``geo/``; this module only connects them to Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from geo import assets, dataset, i18n
from geo.errors import DataError, StoreError
from geo.layers import uses_demo_data
from geo.settings import Settings, load_settings
from geo.store import Store
from geo.text import md

T = TypeVar("T")


def guarded(load: Callable[[], T], what: str) -> T:
    """Run a loading step; on bad data show a German message instead of a traceback and stop the page."""
    try:
        return load()
    except (DataError, StoreError) as exc:
        st.error(f"**{what} nicht möglich.** {exc}")
        st.stop()
        raise  # unreachable; st.stop() raises


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="Lade Grenzen …")
def _reference() -> dataset.Reference:
    return dataset.load_reference()


@st.cache_resource(show_spinner="Öffne Datenbank …")
def _store(url: str) -> Store:
    return dataset.open_store(_settings(), _reference())


@st.cache_resource(show_spinner=False)
def _prepare_assets() -> bool:
    assets.copy_vendor_files()
    assets.use_local_assets()
    return True


def settings() -> Settings:
    return guarded(_settings, "Laden der Einstellungen")


def reference() -> dataset.Reference:
    return guarded(_reference, "Laden der Grenzen")


def store() -> Store:
    return guarded(lambda: _store(settings().database_url), "Öffnen der Datenbank")


def tables() -> dict:
    """Current operational tables (read on every run: small, and edits show at once)."""
    return guarded(lambda: store().read_all(), "Lesen der Daten")


@st.cache_resource(show_spinner=False, max_entries=4)
def _search_index(version: int):
    return dataset.search_index(reference(), store().read("kitas"))


def search_index():
    """The place index for the current data version (Kitas can change)."""
    return _search_index(store().version())


def prepare_assets() -> None:
    _prepare_assets()


def lang() -> str:
    return st.session_state.get("lang", "de")


def t(key: str) -> str:
    return i18n.text(key, lang())


def today() -> dt.date:
    return dt.date.today()


def demo_notice(current_tables: dict) -> None:
    if uses_demo_data(current_tables):
        st.warning(t("demo_notice"), icon="ℹ️")


def sidebar() -> None:
    """The shared sidebar: language, data stand, sources."""
    with st.sidebar:
        st.radio(t("language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang", horizontal=True)
        ref = reference()
        st.caption(
            f"{t('boundaries')}: VG250, {t('data_stand')} {ref.boundary_stand or '–'} · {ref.attribution}  \n"
            f"{t('stand')}: {today():%d.%m.%Y}"
        )


def query_value(name: str, allowed: set[str]) -> str | None:
    """A URL query value if it is one of ``allowed``; otherwise a German warning and None."""
    value = st.query_params.get(name)
    if value is None or value == "":
        return None
    if value not in allowed:
        st.warning(f"Der Link enthält einen unbekannten Wert für „{name}“ ({md(value[:40])}). Er wird ignoriert.")
        return None
    return value
