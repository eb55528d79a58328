"""Numbers read and written in one place (Babel): what a coordinator types, read and echoed back in the UI
language (``1,5``, ``1.000``, ``0,25`` in German, ``1.5``, ``1,000`` in English), and the numbers in table
cells of start data and imports (:func:`parse_cell`), so every input reads alike."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from kita.errors import DataError
from kita.i18n import BABEL_LOCALES, Message


class NumberInputError(DataError):
    """A typed number could not be read. Its message is a ``kita.i18n.Message`` (German as text; pages say it in
    the reader's language with ``ui.say_error``, domain code with ``kita.i18n.say``)."""


def locale_for(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["de"])


def format_input(value: float, digits: int = 2, lang: str = "de") -> str:
    """A number as a person types it in the UI language, without trailing zeros: 1,5 · 1.000 · 0,25."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(Decimal(str(round(float(value), digits))), format=pattern, locale=locale_for(lang))


def parse_number(text: str, lang: str = "de", what: str = "Der Wert") -> float:
    """The number in ``text`` read in the UI language; NumberInputError (a Message naming ``what``) otherwise.

    Strict: a German "1.5" is refused (it would silently become 15), with the likely meaning suggested."""
    raw = str(text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        raise NumberInputError(Message("number_empty", was=what))
    try:
        value = float(parse_decimal(raw, locale=locale_for(lang), strict=True))
    except NumberFormatError as exc:
        suggestions = [s for s in (exc.suggestions or []) if s != raw][::-1]
        hint = (Message("number_suggest_two", a=suggestions[0], b=suggestions[1]) if len(suggestions) > 1
                else Message("number_suggest_one", a=suggestions[0]) if suggestions else "")
        raise NumberInputError(Message("number_invalid", was=what, eingabe=raw[:30], a=format_input(1.5, 1, lang),
                                       b=format_input(1000, 0, lang), hinweis=hint)) from exc
    if not math.isfinite(value):
        raise NumberInputError(Message("number_not_finite", was=what, eingabe=raw[:30]))
    return value


def parse_numbers(text: str, lang: str = "de", what: str = "Die Werte") -> list[float]:
    """Several numbers separated by ';' or spaces (``400; 600; 1.000``), each read with :func:`parse_number`."""
    parts = [p for p in re.split(r"[;\s]+", str(text or "")) if p]
    return [parse_number(p, lang, what) for p in parts]


_GERMAN_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_cell(text: str, count: bool = False) -> float:
    """A number in a table cell as German and English spreadsheets write it: decimal comma or point (``0,5``,
    ``0.5``); a count (``count``) also with German thousands (``1.234`` → 1234, read with Babel). Shares and
    VZÄ are never in the thousands, so their ``0.194`` is a decimal point. ValueError for anything else."""
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if count and _GERMAN_THOUSANDS.fullmatch(raw):
        return float(parse_decimal(raw, locale=locale_for("de"), strict=True))
    if raw.count(",") > 1 or ("," in raw and "." in raw):
        raise ValueError(f"not a number: {raw!r}")
    return float(raw.replace(",", "."))
