"""Text helpers and settings."""

import datetime as dt

import pytest

from kita.errors import DataError
from kita.settings import load_settings
from kita.text import esc, fold, mail_link, md, number, web_link


def test_fold_and_escape():
    assert fold("Wöllstein") == fold("woellstein") == "woellstein"
    assert fold("Gau-Odernheim") == "gau odernheim"
    assert esc("<b>&") == "&lt;b&gt;&amp;" and esc(None) == ""
    assert number(1234.5) == "1.234,5" and number(float("inf")) == "–"


def test_markdown_links_only_for_well_formed_values():
    assert mail_link("stelle1@kita-sozialarbeit.example").startswith("[")
    assert "](" not in mail_link("x@y](javascript:alert(1))")
    assert web_link("https://s.rlp.de/kita-sozialarbeit") == "[s\\.rlp\\.de\\/kita\\-sozialarbeit](https://s.rlp.de/kita-sozialarbeit)"
    assert "](" not in web_link("javascript:alert(1)")
    assert md("[x](y)") == "\\[x\\]\\(y\\)"


def test_settings_from_file_and_environment(tmp_path):
    config = tmp_path / "k.toml"
    config.write_text('[karte]\nbasemap = "none"\n[versorgung]\nmax_kinder_pro_vze = 450\nstichtag_sommer_2024 = "2024-09-01"\n')
    settings = load_settings({"KITA_CONFIG": str(config)})
    assert (settings.basemap, settings.max_children_per_fte, settings.summer_2024) == ("none", 450, dt.date(2024, 9, 1))
    overridden = load_settings({"KITA_CONFIG": str(config), "KITA_BASEMAP": "osm", "KITA_MAX_KINDER_PRO_VZE": "500"})
    assert (overridden.basemap, overridden.max_children_per_fte) == ("osm", 500)
    assert load_settings({}).database_url.startswith("sqlite:///")


@pytest.mark.parametrize("content,message", [
    ("[versorgung\n", "fehlerhaft"),
    ("[versorgung]\nmax_kinder_pro_vze = 0\n", "größer als 0"),
    ("[versorgung]\nstichtag_sommer_2024 = 'Sommer'\n", "ungültiger Wert"),
])
def test_bad_settings_give_german_errors(tmp_path, content, message):
    config = tmp_path / "k.toml"
    config.write_text(content)
    with pytest.raises(DataError, match=message):
        load_settings({"KITA_CONFIG": str(config)})
    with pytest.raises(DataError, match="nicht gefunden"):
        load_settings({"KITA_CONFIG": str(tmp_path / "fehlt.toml")})


def test_default_basemap_sends_nothing_to_third_parties(tmp_path):
    """Privacy by default: neither kita.toml nor a config without [karte] switches OSM tiles on."""
    assert load_settings({}).basemap == "none"
    empty = tmp_path / "leer.toml"
    empty.write_text("")
    assert load_settings({"KITA_CONFIG": str(empty)}).basemap == "none"
    assert load_settings({"KITA_CONFIG": str(empty), "KITA_BASEMAP": "osm"}).basemap == "osm"  # only when asked


def test_operations_doc_quotes_the_privacy_sentence_for_osm_tiles():
    from kita.constants import ROOT
    from kita.i18n import text

    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    readme = " ".join(line.lstrip("> ").strip() for line in doc.splitlines())
    assert text("privacy_osm") in readme
    assert "`none` (Standard)" in readme


def test_bad_settings_said_in_english_where_shown(tmp_path):
    from kita.i18n import say

    config = tmp_path / "k.toml"
    config.write_text("[planung.gewichte]\nkinder_u7 = -1\n")
    with pytest.raises(DataError) as error:
        load_settings({"KITA_CONFIG": str(config)})
    assert "Gewichte müssen ≥ 0 sein" in str(error.value)
    assert say(error.value.message, "en") == ("Configuration k.toml, [planung.gewichte]: weights must be ≥ 0 and add up "
                                              "to more than 0.")
