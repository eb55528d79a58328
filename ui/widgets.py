"""Widgets of the coordinators' pages: tables with German numbers, typed numbers, table downloads."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.layers import uses_demo_data
from kita.coverage import rule_text
from kita.numbers import NumberInputError, format_input, parse_number
from reports import tables as geo_tables
from ui.errors import download
from ui.loaders import data_stand, reference, settings, tables
from ui.state import lang, restore, t


def show_table(table, key: str | None = None) -> None:
    """A table with German numbers (1.020,8), '–' where there is no value, numbers right-aligned and sorted
    as numbers (no staff sorts as the largest need); key columns stay in exports, not on screen."""
    shown = geo_tables.for_display(geo_tables.titled(table, lang()))
    numeric = [c for c in shown.select_dtypes("number").columns if shown[c].dtype != bool]
    st.dataframe(
        geo_tables.german_style(shown, lang()), hide_index=True, width="stretch", key=key, placeholder="–",
        column_config={c: st.column_config.NumberColumn(alignment="right") for c in numeric},
    )


def number_text(container, label: str, key: str, value: float, digits: int = 2, help: str | None = None,
                url_value: float | None = None) -> str:
    """A text field for a number typed in the UI language (1,5 · 1.000); the caller reads it with
    kita.numbers.parse_number. A readable entry is echoed back in the standard form after Enter."""
    def echo() -> None:
        try:
            st.session_state[key] = format_input(parse_number(st.session_state[key], lang()), digits, lang())
        except NumberInputError:
            pass  # the page shows the message

    restore(key, format_input(value, digits, lang()), None if url_value is None else format_input(url_value, digits, lang()))
    return container.text_input(label, key=key, on_change=echo, help=help)


def export_info(title: str, stand: str, extra: tuple = ()):
    """What a downloaded table says about itself (date, rule, threshold, data stand, source), in the UI language."""
    ref, threshold = reference(), settings().max_children_per_fte
    return geo_tables.ExportInfo(
        title=title, stand=stand, rule=rule_text(threshold, lang()), threshold=threshold, data_stand=data_stand(),
        source=geo_tables.source_text(uses_demo_data(tables()), ref.attribution, ref.boundary_stand, lang()),
        extra=tuple(extra), created=dt.datetime.now(), lang=lang(),
    )


XLSX = geo_tables.XLSX


def table_downloads(name: str, sheets: dict, info, key: str) -> None:
    """CSV (first table) and Excel (all tables) buttons; both files carry ``info``. Made on click: a page
    with four tables built eight files on every run (a third of the Versorgung page's CPU)."""
    first = next(iter(sheets.values()))
    left, right = st.columns(2)
    download(left, t("download_table_csv"), lambda: geo_tables.csv_bytes(first, info), f"{name}.csv", "text/csv",
             key=f"{key}_csv", deferred=True)
    download(right, t("download_table_xlsx"), lambda: geo_tables.excel_bytes(sheets, info), f"{name}.xlsx", XLSX,
             key=f"{key}_xlsx", deferred=True)
