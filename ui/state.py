"""What a visitor's session and URL hold: the UI language (``lang``, ``t``, ``say``), URL query values checked
against the data, and widget values kept across page changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

import streamlit as st

from kita import i18n
from kita.errors import DataError
from kita.text import md

# The chosen language lives under this plain session key and in the URL (?lang=en). A widget's own key
# includes the page's script hash, so a widget-keyed value would reset on every page change.
LANG_KEY = "lang"


def _init_language() -> None:
    if LANG_KEY not in st.session_state:
        requested = st.query_params.get("lang", "de")
        st.session_state[LANG_KEY] = requested if requested in i18n.LANGUAGES else "de"
    keep_language_in_url()


def keep_language_in_url() -> None:
    """Put a non-default language into the URL so a reload or a shared link keeps it."""
    if lang() == "de":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang()


def set_query(params: dict[str, str]) -> None:
    """Replace the page's URL query by ``params`` (empty values dropped), keeping the language.

    One ``from_dict`` call sends one URL change, so the browser gets one history entry (not three)."""
    query = {k: v for k, v in params.items() if v}
    if lang() != "de":
        query["lang"] = lang()
    st.query_params.from_dict(query)


def _language_changed(widget_key: str) -> None:
    chosen = st.session_state.get(widget_key)
    if chosen in i18n.LANGUAGES:  # a forged widget value (any string over the websocket) changes nothing
        st.session_state[LANG_KEY] = chosen
    keep_language_in_url()


def language_choice(top: bool = False) -> None:
    """The language selection; its label names the choice in every language (a visitor may not read German)."""
    widget_key = "_lang_top" if top else "_lang_widget"
    st.session_state[widget_key] = lang()
    label = " · ".join(dict.fromkeys(i18n.text("language", code) for code in i18n.LANGUAGES))
    if top:
        with st.container(horizontal=True, horizontal_alignment="right", key="sprachwahl"):
            st.selectbox(
                label, list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key=widget_key, width=190,
                on_change=_language_changed, args=(widget_key,), label_visibility="collapsed",
            )
    else:
        st.radio(
            label, list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key=widget_key, horizontal=True,
            on_change=_language_changed, args=(widget_key,),
        )


def lang() -> str:
    """The UI language: always one of i18n.LANGUAGES (it is written into the page's script and URLs)."""
    chosen = st.session_state.get(LANG_KEY, "de")
    return chosen if isinstance(chosen, str) and chosen in i18n.LANGUAGES else "de"


def t(key: str, **values) -> str:
    """The text of ``key`` in the chosen language, formatted with ``values`` (``{stand}`` etc.)."""
    return i18n.text(key, lang(), **values)


def say(value) -> str:
    """A text made in ``geo/`` (an ``i18n.Message``, a number, text from the data) in the chosen language."""
    return i18n.say(value, lang())


def say_error(exc: Exception | str) -> str:
    """A DataError's or StoreError's message in the chosen language, each problem on a line of its own (a
    message given as text: as it is)."""
    if isinstance(exc, DataError):
        return "\n".join([say(exc.message), *(say(problem) for problem in exc.problems)])
    if isinstance(exc, Exception):
        return say(exc.args[0]) if exc.args else str(exc)
    return say(exc)


def query_value(name: str, allowed: Container[str]) -> str | None:
    """A URL query value if it is one of ``allowed``; otherwise a warning (UI language) and None."""
    value = st.query_params.get(name)
    if value is None or value == "":
        return None
    if value not in allowed:
        st.warning(t("link_unknown_value", name=md(name), value=md(value[:40])))
        return None
    return value


_KEPT = "_kept_views"  # plain session dict: widget values outlive a page change (widget state does not)


def restore(key: str, default, url_value=None) -> None:
    """Call before the widget ``key`` (created without a value): when the page is entered the widget starts
    from the link's value, else from its value when the page was last left, else from ``default``."""
    if key not in st.session_state:
        kept = st.session_state.setdefault(_KEPT, {})
        st.session_state[key] = url_value if url_value is not None else kept.get(key, default)


def remember(*keys: str) -> None:
    """Keep the current values of widgets ``keys`` for the next visit of the page."""
    kept = st.session_state.setdefault(_KEPT, {})
    for key in keys:
        if key in st.session_state:
            kept[key] = st.session_state[key]


def query_date(name: str) -> dt.date | None:
    """An ISO date (2024-08-01) from the URL, or None with a warning (UI language) when it is no date."""
    value = st.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        st.warning(t("link_not_a_date", name=md(name), value=md(value[:40])))
        return None


def query_number(name: str) -> float | None:
    """A number from the URL (written with a point, 3.25), or None with a warning (UI language)."""
    value = st.query_params.get(name)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        st.warning(t("link_not_a_number", name=md(name), value=md(value[:40])))
        return None
    return number
