"""Numbers read and written in one place (Babel): what a coordinator types, read and echoed back in the UI
language (``1,5``, ``1.000``, ``0,25`` in German, ``1.5``, ``1,000`` in English), and the numbers in table
cells of start data and imports (:func:`parse_cell`), so every input reads alike."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from kita.errors import DataError
from kita.i18n import BABEL_LOCALES


class NumberInputError(DataError):
    """A typed number could not be read (German message for people)."""


def locale_for(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["de"])


def format_input(value: float, digits: int = 2, lang: str = "de") -> str:
    """A number as a person types it in the UI language, without trailing zeros: 1,5 · 1.000 · 0,25."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(Decimal(str(round(float(value), digits))), format=pattern, locale=locale_for(lang))


def parse_number(text: str, lang: str = "de", what: str = "Der Wert") -> float:
    """The number in ``text`` read in the UI language; NumberInputError with a German hint otherwise.

    Strict: a German "1.5" is refused (it would silently become 15), with the likely meaning suggested."""
    raw = str(text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        raise NumberInputError(f"{what}: bitte eine Zahl eingeben.")
    try:
        value = float(parse_decimal(raw, locale=locale_for(lang), strict=True))
    except NumberFormatError as exc:
        hint = ""
        suggestions = [s for s in (exc.suggestions or []) if s != raw]
        if suggestions:
            hint = " Meinten Sie " + " oder ".join(f"„{s}“" for s in reversed(suggestions)) + "?"
        example = "1,5 oder 1.000" if locale_for(lang).startswith("de") else "1.5 or 1,000"
        raise NumberInputError(f"{what}: „{raw[:30]}“ ist keine Zahl (z. B. {example}).{hint}") from exc
    if not math.isfinite(value):
        raise NumberInputError(f"{what}: „{raw[:30]}“ ist keine endliche Zahl.")
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
