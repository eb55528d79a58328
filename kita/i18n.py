"""UI texts from gettext catalogues (Babel): ``locale/<lang>/LC_MESSAGES/messages.po``.

Message ids are symbolic keys (``"nav_map"``); German (``locale/de``) is the source language and the fallback
for a text another catalogue lacks. Pages ask with ``ui.t(key)``, ``geo/`` code with ``text(key, lang)``.
The ``.po`` files are compiled to ``.mo`` at first use (git-ignored, rebuilt when the ``.po`` is newer);
README "Texte und Sprachen" has the Babel commands. This module imports no Streamlit.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.numbers import format_decimal
from babel.messages.pofile import read_po
from babel.support import Translations

from kita import constants

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "de"
# Every catalogue under locale/, each language named in itself. The whole UI is in German and English; the
# parents' map, card and search also in Turkish, Arabic and Ukrainian (other texts fall back to German).
CATALOGUES = ("de", "en", "tr", "ar", "uk")
LANGUAGES = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "uk": "Українська"}
# Babel locale per UI language, for numbers and dates (English as used in Germany/Europe: 26 Nov 2026).
BABEL_LOCALES = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR", "ar": "ar", "uk": "uk_UA"}
RIGHT_TO_LEFT = {"ar"}

# Transitional: texts added by code written against the old dict before it moved to the catalogues. Migrated
# into locale/ on the next catalogue update; new texts go straight into locale/de and locale/en.
TEXTS: dict[str, dict[str, str]] = {}


def N_(message_id: str) -> str:  # noqa: N802 (gettext's name for the no-op marker)
    """Mark an id for extraction where it is stored (e.g. the menu); it is translated where it is shown."""
    return message_id


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogue(lang: str) -> bytes:
    """The compiled ``.mo`` of one catalogue (what ``pybabel compile`` writes; fuzzy entries left out)."""
    with po_path(lang).open("rb") as source:
        catalogue = read_po(source, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    return buffer.getvalue()


_compile_lock = threading.Lock()


def _ensure_mo(lang: str) -> Path | None:
    """Write ``messages.mo`` next to the ``.po`` if missing or older; None if the folder is read-only."""
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    with _compile_lock:
        if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            return mo
        try:
            # Atomic replace: several app processes may start at once.
            handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
            with os.fdopen(handle, "wb") as target:
                target.write(compile_catalogue(lang))
            os.chmod(temporary, 0o644)
            os.replace(temporary, mo)
        except OSError:
            return None
        return mo


@lru_cache(maxsize=32)
def _translations(lang: str, po: Path, po_mtime_ns: int) -> Translations:
    mo = _ensure_mo(lang)
    if mo is None:
        translations = Translations(io.BytesIO(compile_catalogue(lang)), domain=DOMAIN)
    else:
        with mo.open("rb") as compiled:
            translations = Translations(compiled, domain=DOMAIN)
    if lang != SOURCE_LANGUAGE:
        translations.add_fallback(translations_for(SOURCE_LANGUAGE))
    return translations


# How often a catalogue's .po is looked at for a change: a page run asks for a hundred texts, and one stat()
# each was a twentieth of its CPU.
RELOAD_CHECK_S = 2.0
_po_seen: dict[Path, tuple[float, int]] = {}  # .po → (when its mtime was read, the mtime)


def translations_for(lang: str) -> Translations:
    """The Babel translations of a language (unknown languages get German); reloaded when its .po changes
    (noticed within RELOAD_CHECK_S)."""
    lang = lang if lang in CATALOGUES else SOURCE_LANGUAGE
    po = po_path(lang)
    now = time.monotonic()
    seen = _po_seen.get(po)
    if seen is None or now - seen[0] >= RELOAD_CHECK_S:
        seen = _po_seen[po] = (now, po.stat().st_mtime_ns)
    return _translations(lang, po, seen[1])


def text(key: str, language: str = "de", **values) -> str:
    """The text of ``key`` in ``language`` (German where that catalogue lacks it), formatted with ``values``.

    An id no catalogue knows is a programming error (KeyError); the catalogue tests catch it first.
    """
    message = translations_for(language).gettext(key)
    if message == key:
        pending = TEXTS.get(key)
        if pending is None:
            raise KeyError(f"Text „{key}“ fehlt in locale/{SOURCE_LANGUAGE}/LC_MESSAGES/{DOMAIN}.po")
        message = pending.get(language) or pending[SOURCE_LANGUAGE]
    if "{kreis}" in message:  # the district's name comes from the data folder's kreis.toml, not the catalogue
        values = {"kreis": district_name(language), **values}
    if "{verwaltung}" in message:  # so does its administration ("Kreisverwaltung Alzey-Worms")
        values = {"verwaltung": constants.district().administration or district_name(language), **values}
    if values and direction(language) == "rtl":
        # Names and numbers in Latin script keep their own order inside right-to-left text (Unicode isolates).
        values = {name: f"\u2068{value}\u2069" for name, value in values.items()}
    return message.format(**values) if values else message


class Message(str):
    """A text for people given as catalogue id plus values, made in ``geo/`` and said in the reader's language
    where it is shown: ``say(message, lang)`` (pages: ``ui.say``). The object *is* its German text, so logs,
    the command line and ``str(exc)`` read German as before.

    Values that are Messages themselves (a column's label, a file named in a sentence) are said in the same
    language; ints and floats are written with Babel in that language (``1.234`` / ``1,234``); lists and tuples
    become "a, b". Text from the data (what someone typed) stays as it is.
    """

    def __new__(cls, key: str, **values):
        self = super().__new__(cls, _render(key, SOURCE_LANGUAGE, values))
        self.key, self.values = key, values
        return self

    def in_language(self, language: str) -> str:
        return _render(self.key, language, self.values)

    def __reduce__(self):  # pickled by id and values (st.cache_data, session state), not as its German text
        return _message, (self.key, self.values)


def _message(key: str, values: dict) -> Message:
    return Message(key, **values)


def _render(key: str, language: str, values: dict) -> str:
    return text(key, language, **{name: say(value, language) for name, value in values.items()})


def say(value, language: str = SOURCE_LANGUAGE) -> str:
    """Any text for people in ``language``: a :class:`Message` in that language, a number with Babel, a list
    as "a, b", anything else (text from the data) as it is."""
    if isinstance(value, Message):
        return value.in_language(language)
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return format_decimal(value, format="#,##0", locale=locale_of(language))
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0##", locale=locale_of(language))
    if isinstance(value, (list, tuple)):
        return ", ".join(say(item, language) for item in value)
    return str(value)


def district_name(language: str) -> str:
    """The district's name for a text: German and English in full, other languages its short name."""
    district = constants.district()
    return {"de": district.name, "en": district.name_en}.get(language, district.short_name)


def locale_of(language: str) -> str:
    """The Babel locale for numbers and dates in a UI language (German for an unknown one)."""
    return BABEL_LOCALES.get(language, BABEL_LOCALES[SOURCE_LANGUAGE])


def direction(language: str) -> str:
    """'rtl' for right-to-left languages (Arabic), else 'ltr'."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"
