"""What the app says about the world is backed: every catalogue text marked as a fact names its row in
data/reference/fakten.csv, and every figure a text claims about the shipped data is recomputed from the file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kita import i18n
from kita.constants import data_folder

SEED_DIR = data_folder().seed
from kita.text import number

ROOT = Path(__file__).resolve().parent.parent
DEMO_TEXT_LANGUAGES = ("de", "en")  # about_demo_data is part of the coordinators' UI (German fallback elsewhere)


@pytest.fixture(scope="module")
def kitas() -> pd.DataFrame:
    return pd.read_csv(SEED_DIR / "kitas.csv", dtype={"gemeinde_rs": str})


@pytest.mark.parametrize("lang", DEMO_TEXT_LANGUAGES)
def test_demo_text_states_the_sums_of_the_shipped_kitas(kitas, lang):
    """'Über' says the demo Kitas add up to 5,267 children and 6,049 places: the file must say the same."""
    text = i18n.text("about_demo_data", lang, verwaltung="Kreisverwaltung")
    for column in ("kinder", "plaetze"):
        assert number(int(kitas[column].sum()), 0, lang) in text, (lang, column, int(kitas[column].sum()))


def test_data_doc_states_the_sums_of_the_shipped_kitas(kitas):
    readme = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("**Wie die Beispieldaten entstehen**"):]
    paragraph = paragraph[: paragraph.index("\n\n")]
    claimed = {int(n.replace(".", "")) for n in re.findall(r"\b\d\.\d{3}\b", paragraph)}
    assert {int(kitas["kinder"].sum()), int(kitas["plaetze"].sum())} <= claimed


# --- catalogue texts that state facts ----------------------------------------------------------------------------
# A catalogue text states a fact about the world when it says who is responsible, what the service is, what a source
# or a law says, or a date or figure of the district. Each such id is named in the column katalog_ids of its row in
# fakten.csv. This pattern catches new texts of that kind (German source texts) so they cannot stay unmarked.
FACT_WORDS = re.compile(
    r"Jugendamt|kostenfrei|vertraulich|Sozialraumbudget|Sommer 2024|Infoseite|Kita-Sozialarbeiterin ist|"
    r"Koordination Kita|Gebietsstand|VG Wonnegau|amtlich \(BKG\)|69 Gemeinden|belegte|genehmigte|Osterode|Eisenach|"
    r"OpenStreetMap Foundation",
)
# Texts that match the pattern but state no fact of their own: labels, rules of this app, or texts whose figures are
# the user's or the data's (tested where the data are).
NOT_A_FACT = {
    "quick_after_summer_2024", "quick_before_summer_2024", "slide_before_summer",
    "plan_replace_new", "scenario_past_warning", "series_caption",
}


@pytest.fixture(scope="module")
def fact_rows() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data/reference/fakten.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def marked(fact_rows) -> dict[str, set[str]]:
    """Catalogue id -> the fact rows that back it."""
    by_id: dict[str, set[str]] = {}
    for row in fact_rows.itertuples():
        for message_id in filter(None, row.katalog_ids.split(";")):
            by_id.setdefault(message_id, set()).add(row.id)
    return by_id


def catalogue(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with i18n.po_path(lang).open("rb") as source:
        return {m.id: m.string for m in read_po(source, locale=lang) if m.id}


@pytest.mark.parametrize("lang", i18n.CATALOGUES)
def test_every_marked_id_is_a_catalogue_text(marked, lang):
    texts = catalogue(lang)
    assert not sorted(set(marked) - set(texts)), f"locale/{lang}: fakten.csv names ids the catalogue lacks"
    if lang in DEMO_TEXT_LANGUAGES:
        assert all(texts[message_id] for message_id in marked), lang


def test_every_row_that_backs_a_text_names_its_source(fact_rows, marked):
    backing = fact_rows[fact_rows["katalog_ids"] != ""]
    assert len(backing) >= 10 and len(marked) >= 25
    for row in backing.itertuples():
        assert row.quelle.strip() and row.datum.strip(), row.id
        assert row.url.startswith("https://"), f"{row.id}: a text the app shows needs a source one can open"


def test_every_fact_stating_text_is_marked(marked):
    german = catalogue("de")
    stating = {k for k, v in german.items() if FACT_WORDS.search(v)} - NOT_A_FACT
    assert stating, "pattern finds nothing: check FACT_WORDS"
    assert not sorted(stating - set(marked)), "add these ids to katalog_ids of their fakten.csv row (or reword them)"


@pytest.mark.parametrize(
    ("message_id", "says", "must_not_say"),
    [
        # The source: "Informationen zur Kita-Sozialarbeit in den einzelnen Verbandsgemeinden" – no contacts promised.
        ("contact_note_koordination", "Informationen", ("Kontaktdaten", "Ansprechpersonen")),
        # The source: parents can ask at their Kita who the responsible worker is – not that the Kita connects them.
        ("contact_note_kita", "Kita", ("stellt den Kontakt her",)),
        ("card_alternatives", "Erziehungsfragen", ("sagt Ihnen, wer", "Sorgen um ein Kind")),
        # Large towns within a district may run their own Jugendamt (e.g. in Rhineland-Palatinate).
        ("search_outside_kreis", "Stadt", ("in der Regel",)),
        ("search_border_note", "Ihres Kreises oder Ihrer Stadt", ("dieses Kreises",)),
    ],
)
def test_texts_say_no_more_than_their_source(message_id, says, must_not_say):
    german = catalogue("de")[message_id]
    assert says in german and not [phrase for phrase in must_not_say if phrase in german], german


def test_each_referral_outside_the_district_allows_for_a_town_with_its_own_jugendamt(marked):
    for message_id in ("search_outside_kreis", "search_border_note", "search_border_plz", "search_not_found",
                       "locate_outside"):
        assert "jugendamt_zustaendigkeit" in marked[message_id]
        for lang in i18n.CATALOGUES:
            text = catalogue(lang)[message_id]
            assert not text or "{kreis}" in text or "{district}" in text, (lang, message_id)
    assert "Stadt" in catalogue("de")["search_outside_kreis"] and "Stadt" in catalogue("de")["locate_outside"]


# --- places: Ortsteile, former names, Wohnplätze ------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_index(reference, seed):
    from geo import dataset

    return dataset.search_index(reference, seed["kitas"])


def test_every_row_of_the_place_table_is_found_exactly(reference, search_index):
    """Each Ortsteil, former name and Wohnplatz is found by its own name as written – not by typo correction:
    its Gemeinde is the card, or (a name another place shares, e.g. Weinheim / Gau-Weinheim) one of the places
    the parent chooses from (issue 20: never the wrong place)."""
    from geo.search import search

    for row in reference.ortsteile.itertuples():
        result = search(row.ortsteil, search_index)
        assert not result.corrected, row.ortsteil
        if result.chosen is not None:
            assert result.chosen.gemeinde_rs == row.gemeinde_rs, row.ortsteil
        else:
            assert row.gemeinde_rs in {p.gemeinde_rs for p in result.places}, row.ortsteil


def test_place_table_years_and_kinds_as_their_sources_say(reference):
    """Each row names its source; merged, incorporated and renamed places carry the year of their source."""
    table = reference.ortsteile.set_index("ortsteil")
    assert {"Ortsbezirk", "Ortsteil", "früherer Name", "Wohnplatz"} <= set(table["art"])
    for name in ("Dittelsheim", "Heßloch"):
        assert "07.06.1969" in table.loc[name, "quelle"] and "1972" not in table.loc[name, "quelle"]
    assert "07.11.1970" in table.loc["Rommersheim", "quelle"]
    assert table.loc["Eichloch", "art"] == "früherer Name" and "1931" in table.loc["Eichloch", "quelle"]
    assert table.loc["Gau-Köngernheim", "gemeinde"] == "Gau-Odernheim" and "1969" in table.loc["Gau-Köngernheim", "quelle"]
    former = table[table["art"] == "früherer Name"]
    assert former["quelle"].str.contains(r"\b(?:1[89]|20)\d\d\b").all()
    assert table["quelle"].str.contains(r"\(.*(?:Wikipedia|tourbee|vgwoerrstadt|Wonnegau).*\)").all()  # a named source


def test_population_rows_say_their_date_kind_and_whether_they_are_the_target_date(population):
    """One official reference date is the goal (31.12.2023); every row that is not there says so in 'hinweis'."""
    target = (population["stichtag"] == "2023-12-31") & (population["art"] == "amtlich")
    assert target.sum() >= 58
    assert (population.loc[~target, "hinweis"].str.len() > 10).all()
    assert (population.loc[target, "hinweis"] == "").all()
    assert population.loc[target, "quelle"].str.contains("Bevölkerungsstand 31.12.2023").all()
    assert population["url"].str.match(r"https://").all()
    # no estimate where an official figure exists: every row is an official figure, each says its own date
    assert (population["art"] == "amtlich").all()
    for row in population.itertuples():
        day = f"{row.stichtag[8:10]}.{row.stichtag[5:7]}.{row.stichtag[:4]}"
        assert f"Bevölkerungsstand {day}" in row.quelle, row.gemeinde


@pytest.fixture(scope="module")
def population():
    from geo.reference import load_population

    return load_population()
