"""Cached loading: settings, reference layers, the store, its tables and coverage once per data version and
date, shared by all sessions (each caller gets its own shallow copy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from datastore.store import Store
from geo import assets, dataset
from kita.coverage import coverage_at, kita_coverage
from kita.settings import Settings, load_settings
from kita.text import date
from ui.errors import guarded
from ui.state import lang, t

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def _reference() -> dataset.Reference:
    return dataset.load_reference()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(_settings().database_url, gemeinden=_reference().gemeinden, read_only=_settings().read_only)


@st.cache_resource(show_spinner=False)
def _prepare_assets() -> bool:
    assets.copy_vendor_files()
    assets.use_local_assets()
    return True


_LOADED: set[str] = set()  # slow first loads of this process that are done (cache_resource keeps them)


def _first_load(name: str, load: Callable[[], T], message: str) -> T:
    """``load()`` with a spinner saying ``message`` the first time in this process (later calls hit the cache
    and need none; cache_resource's own spinner text could not follow the UI language)."""
    if name in _LOADED:
        return load()
    with st.spinner(message):
        value = load()
    _LOADED.add(name)
    return value


def settings() -> Settings:
    return guarded(_settings, t("step_settings"))


def reference() -> dataset.Reference:
    return guarded(lambda: _first_load("reference", _reference, t("loading_boundaries")), t("step_boundaries"))


def store() -> Store:
    return guarded(lambda: _first_load("store", lambda: _store(settings().database_url), t("loading_database")),
                   t("step_database"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _tables(url: str, version: int) -> dict:
    return store().read_all()


def _current(version: int | None) -> int:
    return store().version() if version is None else version


def _own(frame: pd.DataFrame) -> pd.DataFrame:
    """A page's own view of a shared frame: with pandas' copy-on-write a shallow copy costs nothing, and a
    change the page makes to it (a new column, a set value) copies only then and never reaches the cache."""
    return frame.copy(deep=False)


def tables(version: int | None = None) -> dict:
    """The operational tables, read from the database once per data version and shared by all sessions.

    ``store().version()`` is the database's own change counter, so an edit made through any app process
    (several behind a proxy, one PostgreSQL) shows in every process on its next run. The frames are held
    once (cache_resource, not a pickled copy per run: that was a tenth of a start-page run's CPU); each
    caller gets its own shallow copy, so a page may still change the frames it gets. ``version``: the data
    version this run has already read (saves a database round trip), else it is read here.
    """
    shared = guarded(lambda: _tables(settings().database_url, _current(version)), t("step_data"))
    return {name: _own(frame) for name, frame in shared.items()}


@st.cache_resource(show_spinner=False, max_entries=16)
def _coverage(url: str, version: int, stand: dt.date, max_children_per_fte: float):
    current = _tables(url, version)
    areas = reference().areas
    return (coverage_at(stand, areas, current["kitas"], current["fachkraefte"], max_children_per_fte),
            kita_coverage(stand, current["kitas"], current["fachkraefte"]))


def coverage(stand: dt.date, version: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(coverage per area, Kitas with ``versorgt``) at ``stand``: computed once per data version and date,
    shared like :func:`tables`."""
    per_area, per_kita = guarded(
        lambda: _coverage(settings().database_url, _current(version), stand, settings().max_children_per_fte),
        t("step_coverage"),
    )
    return _own(per_area), _own(per_kita)


@st.cache_resource(show_spinner=False, max_entries=4)
def _search_index(version: int):
    return dataset.search_index(reference(), store().read("kitas"))


def search_index():
    """The place index for the current data version (Kitas can change)."""
    return _search_index(store().version())


def today() -> dt.date:
    return dt.date.today()


def data_stand() -> str:
    """When the operational data were last changed (the change log), or that they are the shipped start data."""
    log = guarded(lambda: store().change_log(limit=1), t("step_change_log"))  # newest entry only
    if log.empty:
        return t("log_seed_unchanged")
    changed = pd.Timestamp(log["zeit"].max())
    return t("log_last_change", when=f"{date(changed.date(), lang())} {changed:%H:%M}")
