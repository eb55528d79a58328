"""HOOKS H2–H4 (ui/framework/__init__.py): styles and scripts for Streamlit's own page, from the ``.css`` and
``.js`` files beside this module. Each file says which of Streamlit's DOM details (data-testid attributes, st-key classes,
the map's iframe address) it relies on."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

_HERE = Path(__file__).parent


@cache
def _file(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def _script(name: str, values: dict) -> str:
    """``<name>`` (a .js file) with its inputs as ``const kita = {...}`` in front.

    No ``<`` may stand before a letter, ``/`` or ``!`` anywhere in the script: Streamlit's HTML sanitiser
    (DOMPurify) drops a whole ``<script>`` whose text looks like markup. So the JSON writes ``<`` as ``\\u003c``
    (which also keeps data from closing the script), and the files' comments avoid tags."""
    config = json.dumps(values).replace("<", "\\u003c")
    return f"<script>{{const kita = {config};\n{_file(name)}}}</script>"


def stylesheet(name: str) -> str:
    """The text of ``<name>.css``."""
    return _file(f"{name}.css")


def page_style(name: str) -> None:
    """Add ``<name>.css`` to the page (an element of this run: it goes with the page)."""
    st.html(f"<style>{stylesheet(name)}</style>")


def document_language(lang: str, direction: str, map_title: str) -> None:
    """``<html lang>``, the writing direction of the main block and sidebar, the map frame's title, and the
    accessibility style in ``<head>``. ``lang`` and ``direction`` must be checked values (i18n.LANGUAGES)."""
    st.html(_script("page_dom.js", {"lang": lang, "dir": direction, "mapTitle": map_title,
                                    "style": stylesheet("accessible")}), unsafe_allow_javascript=True)


def show_card(key: str, token: str) -> None:
    """Bring the heading of the container with ``key`` (the parents' card) fully into view below Streamlit's fixed
    header, with what follows it, and move the keyboard focus to it (scroll_into_view.js). ``token`` (the
    selection) makes the script new for each selection, so that it runs once per card opened."""
    st.html(_script("scroll_into_view.js", {"key": key, "token": token}), unsafe_allow_javascript=True)
