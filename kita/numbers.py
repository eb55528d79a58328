"""Numbers a coordinator types, read and echoed back in the UI language (Babel): ``1,5``, ``1.000``,
``0,25`` in German, ``1.5``, ``1,000`` in English. One place, so every input field reads alike."""

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
