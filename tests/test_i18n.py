"""The gettext catalogues (locale/): complete both ways against the code, compiled and read with Babel."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from geo.build.messages import used_ids
from kita import i18n
from kita.text import date, number

ROOT = Path(__file__).resolve().parent.parent
UPDATE = ("python -m babel.messages.frontend extract -F babel.cfg --add-location=file --sort-output "
          "-o locale/messages.pot . && python -m babel.messages.frontend update -i locale/messages.pot -d locale "
          "-D messages --no-fuzzy-matching --ignore-obsolete -w 120")
FULL_UI = ("de", "en")


def catalogue(lang: str):
    with i18n.po_path(lang).open("rb") as source:
        return read_po(source, locale=lang)


@pytest.fixture(scope="module")
def used() -> dict[str, set[str]]:
    return used_ids(ROOT)


def test_every_language_has_a_catalogue():
    assert set(i18n.LANGUAGES) <= set(i18n.CATALOGUES)
    for lang in i18n.CATALOGUES:
        assert i18n.po_path(lang).is_file(), lang


@pytest.mark.parametrize("lang", i18n.CATALOGUES)
def test_code_uses_no_id_the_catalogue_lacks(used, lang):
    ids = {m.id for m in catalogue(lang) if m.id}
    missing = sorted(set(used) - ids - set(i18n.TEXTS))
    assert not missing, f"locale/{lang} lacks {missing} (used in {[sorted(used[m]) for m in missing]}); run: {UPDATE}"


@pytest.mark.parametrize("lang", FULL_UI)
def test_whole_ui_translated_in_german_and_english(used, lang):
    strings = {m.id: m.string for m in catalogue(lang) if m.id}
    untranslated = sorted(k for k in used if k in strings and not strings[k])
    assert not untranslated, f"locale/{lang}: no text for {untranslated}"
    assert not [m.id for m in catalogue(lang) if m.id and m.fuzzy], "fuzzy entries are never shown"


# The parents' page: its own file, the rules whose texts it shows, and what the shared frame in ui.py shows there
# (menu, language, sources, "Mein Standort"; not the coordinators' login).
PARENTS_FILES = {"dashboard.py", "geo/search.py", "kita/contacts.py", "geo/maps.py"}
PARENTS_UI_PREFIXES = ("nav_", "locate_", "language", "demo_notice", "boundaries", "data_stand", "stand")


@pytest.mark.parametrize("lang", sorted(set(i18n.LANGUAGES) - set(FULL_UI)))
def test_parents_texts_translated_and_marked_unchecked(used, lang):
    entries = {m.id: m for m in catalogue(lang) if m.id}
    parents = sorted(k for k, files in used.items() if files & PARENTS_FILES or k.startswith(PARENTS_UI_PREFIXES))
    assert len(parents) > 30
    assert not [k for k in parents if not entries[k].string], f"locale/{lang}: parents' texts untranslated"
    unmarked = [k for k, m in entries.items() if m.string and not any("Ungeprüft" in c for c in m.user_comments)]
    assert not unmarked, f"locale/{lang}: translations without the 'Ungeprüft' translator comment: {unmarked}"


@pytest.mark.parametrize("lang", i18n.CATALOGUES)
def test_catalogue_has_no_id_the_code_no_longer_uses(used, lang):
    unused = sorted({m.id for m in catalogue(lang) if m.id} - set(used))
    assert not unused, f"locale/{lang} has ids no code uses: {unused}; run: {UPDATE}"


def test_extractor_finds_ids_in_f_strings_markers_and_setup_calls(tmp_path):
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    (tmp_path / "seite.py").write_text(
        "import ui\nfrom kita.i18n import N_\nui.page_setup('titel')\nMENU = [N_('menu')]\n"
        "st.markdown(f\"**{ui.t('fett')}**: {x}\")\nax.text(0, 1, 'kein Text')\nui.t(variable)\n"
        "ui.t('gefiltert' if f else 'alle')\nMessage(('a' if x else 'b') if y else (z or 'c'))\n",
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("ui.t('nur_im_test')\n", encoding="utf-8")
    assert set(used_ids(tmp_path)) == {"titel", "menu", "fett", "gefiltert", "alle", "a", "b", "c"}


def test_text_in_each_language_with_german_fallback():
    assert i18n.text("nav_map") == "Karte"
    assert i18n.text("nav_map", "en") == "Map"
    assert i18n.text("nav_map", "xx") == "Karte"
    untranslated = [m.id for m in catalogue("uk") if m.id and not m.string]
    if untranslated:
        key = untranslated[0]
        assert i18n.text(key, "uk") == i18n.text(key, "de")
    assert "27.11.2026" in i18n.text("presentation_export_hint", "de", stand="27.11.2026")
    with pytest.raises(KeyError, match="fehlt"):
        i18n.text("gibt_es_nicht", "en")


def test_catalogue_compiled_at_start_and_rebuilt_when_the_po_changes(tmp_path, monkeypatch):
    for lang in ("de", "en"):
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(i18n.po_path(lang), target / "messages.po")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "RELOAD_CHECK_S", 0)  # look at the .po on every call
    assert i18n.text("nav_map", "en") == "Map"
    mo = tmp_path / "en" / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file()
    po = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Map"', 'msgstr "Karte (en)"'), encoding="utf-8")
    earlier = po.stat().st_mtime - 5  # the .mo compiled before this edit
    os.utime(mo, (earlier, earlier))
    assert i18n.text("nav_map", "en") == "Karte (en)"
    assert mo.stat().st_mtime > earlier and mo.stat().st_mode & 0o044 == 0o044


def test_fuzzy_entries_are_not_used(tmp_path, monkeypatch):
    for lang in ("de", "en"):
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(i18n.po_path(lang), target / "messages.po")
    po = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "nav_map"', '#, fuzzy\nmsgid "nav_map"'),
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.text("nav_map", "en") == "Karte"


def test_numbers_and_dates_per_locale():
    assert number(1234.5, 1, "de") == "1.234,5"
    assert number(1234.5, 1, "en") == "1,234.5"
    assert number(0.5, 2, "ar") == "0.50"  # Latin digits in Arabic too
    assert number(float("nan"), 1, "en") == "–"
    day = dt.date(2026, 11, 26)
    assert date(day) == "26.11.2026"
    assert date(day, "en") == "26 Nov 2026"
    assert date(day, "tr", "long") == "26 Kasım 2026"


def test_names_keep_their_order_inside_arabic_text():
    assert "\u2068Alzey\u2069" in i18n.text("locate_found", "ar", gemeinde="Alzey")
    assert i18n.text("locate_found", "de", gemeinde="Alzey") == "Ihr Standort liegt in Alzey."
    assert (i18n.direction("ar"), i18n.direction("tr")) == ("rtl", "ltr")


def test_a_message_is_german_text_and_says_itself_in_any_language():
    import pickle

    from geo.layers import field_label

    message = i18n.Message("check_too_long", spalte=field_label("email"), laenge=1234, max=120)
    assert message == "E-Mail ist zu lang (1.234 Zeichen, höchstens 120)" and str(message) == message
    assert i18n.say(message, "en") == "E-mail is too long (1,234 characters, at most 120)"
    assert i18n.say(i18n.Message("check_between", spalte="VZÄ", wert="3", min=0.1, max=1.0), "en").endswith(
        "between 0.1 and 1.0")
    copy = pickle.loads(pickle.dumps(message))
    assert copy.key == "check_too_long" and copy.in_language("en") == i18n.say(message, "en")
    assert i18n.say("Kita Sonnenschein", "en") == "Kita Sonnenschein"  # data stays as it is
    with pytest.raises(KeyError):
        i18n.Message("gibt_es_nicht")
