"""What an AppTest run shows a person, and which of it is German text from the catalogue although English was
chosen: for the coordinators' pages' "no German left in English" tests."""

from __future__ import annotations

import re
from functools import lru_cache

from babel.messages.pofile import read_po

from kita import i18n

# Ids whose German text may legitimately appear in English: names (never translated) and data written in German.
NAMES = {"planned_position_title"}
_TYPES = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "metric",
          "radio", "selectbox", "multiselect", "text_input", "number_input", "date_input", "checkbox", "toggle",
          "button", "expander", "tabs", "status", "dataframe", "table", "download_button", "text_area")


def _strings(lang: str) -> dict[str, str]:
    with i18n.po_path(lang).open("rb") as source:
        return {m.id: m.string for m in read_po(source, locale=lang) if m.id}


@lru_cache(maxsize=1)
def german_only() -> tuple[set[str], set[str]]:
    """(whole German texts, long German fragments between placeholders) that differ from the English text."""
    german, english = _strings("de"), _strings("en")
    whole, fragments = set(), set()
    for key, text in german.items():
        if key in NAMES or not text or text == english.get(key):
            continue
        whole.add(text.strip())
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" .,:;()–-\n")
            if len(piece) >= 14 and piece not in english.get(key, ""):
                fragments.add(piece)
    return whole, fragments


def shown_texts(at) -> list[str]:
    """Every label, option, text, message, column title and button text the run rendered (main and sidebar)."""
    shown: list[str] = []
    for kind in _TYPES:
        for element in at.get(kind):
            proto = getattr(element, "proto", None)
            for attribute in ("value", "label", "body", "help", "placeholder"):
                value = getattr(element, attribute, None) if kind not in ("dataframe", "table") else None
                if attribute in ("value",) and kind in ("radio", "selectbox", "multiselect", "checkbox", "toggle",
                                                         "date_input", "number_input", "text_input", "text_area"):
                    continue  # a widget's value is data (or a key); its options are checked below
                if isinstance(value, str):
                    shown.append(value)
            if proto is not None and getattr(proto, "label", None):
                shown.append(proto.label)
            for option in getattr(element, "options", None) or []:
                shown.append(str(option))
            if kind in ("dataframe", "table"):
                shown.extend(str(c) for c in element.value.columns)
    return shown


def table_cells(at) -> list[str]:
    """The text cells of every table the run rendered (names and data mostly; words the code puts there, such as
    yes/no, classes and problems, must be in the UI language)."""
    return [cell for element in [*at.get("dataframe"), *at.get("table")]
            for cell in element.value.to_numpy().ravel()[:5000] if isinstance(cell, str)]


def german_left(at) -> list[str]:
    """The rendered texts that are (or contain) German catalogue text with no English equivalent, and table cells
    that are such a text as a whole (a cell's parts may be names, e.g. 'Kita-Sozialarbeit VG Eich, Stelle 1')."""
    whole, fragments = german_only()
    left = []
    for text in shown_texts(at):
        stripped = text.strip()
        if stripped in whole or any(fragment in text for fragment in fragments):
            left.append(text)
    return left + [cell for cell in table_cells(at) if cell.strip() in whole]
