"""Text helpers: folding for search and sorting, numbers and dates per locale (Babel), and making text safe
for where it lands: HTML (esc), Streamlit Markdown (md) and spreadsheet cells (sheet_text)."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol

from kita.i18n import N_, locale_of
from kita import i18n

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case ASCII form for comparisons: 'Wöllstein' and 'woellstein' both give 'woellstein'.

    Hyphens, dots and spaces become single spaces, so 'Gau Odernheim' matches 'Gau-Odernheim'.
    """
    lowered = str(text).strip().lower().translate(_FOLD)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


def sort_key(text: str) -> str:
    """Sort names as a German reader expects (umlauts as their base letters, DIN 5007-1)."""
    return unicodedata.normalize("NFKD", str(text).lower()).encode("ascii", "ignore").decode()


def esc(value) -> str:
    """HTML-escape any value (None → ''), for every text that reaches a popup or tooltip."""
    return "" if value is None else html.escape(str(value), quote=True)


def number(value: float, digits: int = 1, lang: str = "de") -> str:
    """A number in the UI language ``lang`` ('de': '1.234,5', 'en': '1,234.5'); '–' if missing or infinite.

    Digits are always Latin (Babel's default numbering system), also in Arabic.
    """
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def date(day: dt.date, lang: str = "de", style: str = "medium") -> str:
    """A date in the UI language ``lang``: 'de' '26.11.2026', 'en' '26 Nov 2026' (Babel ``style``: short,
    medium, long)."""
    return format_date(day, format=style, locale=locale_of(lang))


# Every ASCII character that can start Markdown syntax in Streamlit: links/images []()!, HTML <>, emphasis,
# code, headings, lists, tables, LaTeX $, directives and icons (:red[…], :material/x:), setext underlines =,
# entities &, autolinks (the : and . of http://… and www.…, the @ of e-mail addresses).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&@/])")
# Bidi overrides and isolates can make text read differently from what it is (e.g. a reversed address); other
# control characters have no business in displayed text.
_MD_INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MD_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@)")
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
URL_PATTERN = re.compile(r"^https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~%/+-]*)?$")


def md(value) -> str:
    """Escape text for Streamlit Markdown (st.markdown, st.error, st.caption, widget labels, …), so data cannot
    add links, images, HTML, LaTeX, colour directives or formatting; line breaks stay line breaks."""
    text = _MD_INVISIBLE.sub("", "" if value is None else str(value))
    # GFM turns bare addresses into links after escapes are resolved (http://…, www.…, a@b.de): a word joiner
    # (U+2060, invisible) inside each pattern keeps them plain text.
    text = _MD_AUTOLINK.sub("\\1\u2060", text)
    return re.sub(r"\r\n?|\n", "  \n", _MD_SPECIAL.sub(r"\\\1", text))


def mail_link(address: str) -> str:
    """A markdown mailto link for a well-formed address, else the escaped text."""
    address = (address or "").strip()
    if EMAIL_PATTERN.match(address):
        return f"[{md(address)}](mailto:{address})"
    return md(address)


def phone_link(number_text: str) -> str:
    """A markdown tel: link ('06731 408-123' → tel:+496731408123), else the escaped text.

    German numbers with a leading 0 get +49, so the link dials from any phone."""
    shown = (number_text or "").strip()
    digits = re.sub(r"[^\d+]", "", shown)
    if not re.fullmatch(r"(\+\d{6,15}|0\d{5,14})", digits):
        return md(shown)
    target = "+49" + digits[1:] if digits.startswith("0") else digits
    return f"[{md(shown)}](tel:{target})"


def web_link(url: str, label: str = "") -> str:
    """A markdown link for a plain https URL, else the escaped text."""
    url = (url or "").strip()
    if URL_PATTERN.match(url):
        return f"[{md(label or url.removeprefix('https://'))}]({url})"
    return md(url)


# A spreadsheet program runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# openpyxl refuses these control characters (Excel cannot store them); Excel's limit per cell.
_SHEET_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_CELL_MAX = 32767


def sheet_text(value: str) -> str:
    """Text for a CSV or Excel cell that no spreadsheet program runs as a formula.

    Text starting with ``= + - @``, tab, CR or LF gets a leading ``'`` (so ``=HYPERLINK(…)`` stays visible
    text, also after Excel saves the file again as CSV); control characters Excel cannot store are removed
    and overlong text is cut to Excel's 32,767 characters. The one rule for every table export.
    """
    text = _SHEET_ILLEGAL.sub("", str(value))
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text[:SHEET_CELL_MAX]


_YES_NO = (N_("value_no"), N_("value_yes"))


def yes_no(value: bool, lang: str = "de") -> str:
    return i18n.text(_YES_NO[bool(value)], lang)


def csv_dialect(lang: str = "de") -> tuple[str, str]:
    """(field separator, decimal mark) of a CSV for the spreadsheet programs of ``lang``'s locale (Babel): where
    numbers are written with a decimal comma (German) fields are separated by ';', as German Excel expects;
    else by ',' with a decimal point (English)."""
    decimal = get_decimal_symbol(locale_of(lang))
    return (";" if decimal == "," else ","), decimal
