"""Reference data: published facts, inhabitants per Gemeinde, and the demo seed calibrated to them."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.build import demo_data
from kita import i18n
from kita.constants import data_folder

SEED_DIR = data_folder().seed
from geo.reference import POPULATION_TOTALS, fact_value, load_facts, load_population, population_against_totals


@pytest.fixture(scope="module")
def facts():
    return load_facts()


@pytest.fixture(scope="module")
def kitas():
    return pd.read_csv(SEED_DIR / "kitas.csv", dtype={"gemeinde_rs": str})


@pytest.fixture(scope="module")
def population():
    return load_population()


def test_every_fact_names_who_what_since_source_and_date(facts):
    assert facts["id"].is_unique
    for column in ["was", "wer", "seit", "quelle", "datum"]:
        assert (facts[column].str.strip() != "").all(), column
    assert facts["url"].eq("").sum() <= 1  # only the Jugendhilfeausschuss report has no public link here
    assert facts.loc[facts["url"] != "", "url"].str.startswith("https://").all()


def test_population_covers_each_gemeinde_once_with_a_source(reference, population):
    assert sorted(population["gemeinde_rs"]) == sorted(reference.gemeinden["gemeinde_rs"])
    assert set(population["art"]) <= {"amtlich", "veröffentlicht", "Schätzung"}
    assert (population["quelle"].str.len() > 10).all() and (population["einwohner"] > 0).all()
    district = fact_value(load_facts(), "einwohner_kreis")
    assert population["einwohner"].sum() == pytest.approx(district, rel=0.01)


def test_population_rows_add_up_to_the_published_totals_of_their_date(population):
    """An area whose rows all carry the total's date must sum to the published total exactly (VG Monsheim and VG
    Wörrstadt); an area with rows of older dates left comes within 2 % (VG Wöllstein: Gumbsheim's newest figure found
    is of 2013), and its rows of that date alone stay below."""
    checks = population_against_totals(population, load_facts())
    assert {c["gebiet"] for c in checks} == set(POPULATION_TOTALS)
    assert sum(c["complete"] for c in checks) >= 2
    for check in checks:
        if check["complete"]:
            assert check["summe_stichtag"] == check["veroeffentlicht"], check
        else:
            assert check["summe_stichtag"] < check["veroeffentlicht"], check
            assert check["summe"] == pytest.approx(check["veroeffentlicht"], rel=0.02), check


def test_population_check_finds_a_wrong_row(population):
    wrong = population.copy()
    wrong.loc[wrong["gemeinde"] == "Monsheim", "einwohner"] += 1
    monsheim = next(c for c in population_against_totals(wrong, load_facts()) if c["fakt"] == "einwohner_vg_monsheim")
    assert monsheim["complete"] and monsheim["summe_stichtag"] == monsheim["veroeffentlicht"] + 1


@pytest.mark.parametrize(("column", "fact"), [("kinder", "kita_plaetze_belegt_2020"), ("plaetze", "kita_plaetze_2020")])
def test_demo_kitas_add_up_to_the_published_district_totals(kitas, facts, column, fact):
    assert kitas[column].sum() == fact_value(facts, fact)  # exactly: README and "Über" say they do
    assert (kitas["plaetze"] >= kitas["kinder"]).all()


def test_demo_kitas_per_area_are_plausible(kitas, facts, population):
    per_area = kitas.groupby(kitas["gemeinde_rs"].str[:9]).size()
    assert per_area["073315001"] == fact_value(facts, "kitas_alzey_land")  # Bürgerbroschüre VG Alzey-Land
    assert set(per_area.index) == set(population["gemeinde_rs"].str[:9])  # every area has Kitas
    tiny = population.loc[population["einwohner"] < demo_data.MIN_INHABITANTS_FOR_KITA, "gemeinde_rs"]
    assert "073315001014" in set(tiny)  # Dintesheim, about 160 inhabitants
    assert not kitas["gemeinde_rs"].isin(tiny).any()
    villages = population.loc[population["einwohner"].between(demo_data.MIN_INHABITANTS_FOR_KITA, 599), "gemeinde_rs"]
    assert kitas["gemeinde_rs"].isin(villages).sum() >= 5  # small villages have Kitas too


def test_demo_traeger_of_the_three_towns_is_the_stadt(kitas, reference):
    towns = reference.gemeinden.loc[reference.gemeinden["gemeinde"].isin(["Alzey", "Osthofen", "Wörrstadt"])]
    assert len(towns) == 3
    municipal = kitas[kitas["traeger"].str.match(r"(Stadt|Gemeinde) ")]
    in_town = municipal["gemeinde_rs"].isin(towns["gemeinde_rs"])
    assert municipal.loc[in_town, "traeger"].str.startswith("Stadt ").all() and in_town.any()
    assert municipal.loc[~in_town, "traeger"].str.startswith("Gemeinde ").all()


def test_children_under_7_are_the_documented_share_of_inhabitants(population):
    figures = pd.read_csv(SEED_DIR / "gemeinden_kennzahlen.csv", dtype={"gemeinde_rs": str}).set_index("gemeinde_rs")
    inhabitants = population.set_index("gemeinde_rs")["einwohner"]
    expected = (inhabitants * demo_data.SHARE_UNDER_7).round()
    assert (figures["kinder_u7"] - expected.reindex(figures.index)).abs().max() == 0
    assert figures["quelle"].str.contains("6,6 %").all() and figures["demo"].all()


def test_positions_before_summer_2024_are_twelve_in_six_areas_none_in_monsheim(facts):
    staff = pd.read_csv(SEED_DIR / "fachkraefte.csv", dtype={"gebiet_rs": str})
    before = staff[staff["beginn"] < "2024-08-01"]
    assert len(before) == fact_value(facts, "zwoelf_fachkraefte")
    assert before["gebiet_rs"].nunique() == 6 and "073315003" not in set(before["gebiet_rs"])


def test_demo_phone_numbers_only_from_the_never_assigned_drama_block():
    """Bundesnetzagentur, Mitteilung 148/2021: (0)30 23125 000–999 are never assigned; no real person's number."""
    staff = pd.read_csv(SEED_DIR / "fachkraefte.csv", dtype=str, keep_default_na=False)
    kitas = pd.read_csv(SEED_DIR / "kitas.csv", dtype=str, keep_default_na=False)
    contacts = pd.read_csv(SEED_DIR / "kontakte.csv", dtype=str, keep_default_na=False).set_index("id")
    numbers = pd.concat([staff["telefon"], kitas["telefon"]])
    assert (numbers != "").all() and numbers.is_unique
    assert numbers.str.fullmatch(r"030 23125 \d{3}").all()
    assert contacts.loc["koordination", "telefon"] == "" and contacts.loc["koordination", "web"].endswith("kita-sozialarbeit")
    with pytest.raises(ValueError):
        demo_data.drama_number(1000)


def test_seed_is_what_the_generator_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(demo_data, "SEED_DIR", tmp_path)
    demo_data.main()
    for name in ["kitas.csv", "gemeinden_kennzahlen.csv", "fachkraefte.csv", "kontakte.csv"]:
        assert (tmp_path / name).read_bytes() == (SEED_DIR / name).read_bytes(), name


def test_plz_table_records_which_plz_cross_the_district_border(reference):
    from geo.reference import border_plz

    crossing = border_plz(reference.plz).set_index("plz")
    assert sorted(crossing.index) == ["55578", "67294"]
    assert crossing.loc["55578", "auch_kreis"] == "Landkreis Mainz-Bingen"
    assert {"Wolfsheim", "Sankt Johann"} <= set(crossing.loc["55578", "auch_orte"].split(", "))
    assert crossing.loc["67294", "auch_kreis"] == "Donnersbergkreis"
    outside = crossing.loc["67294", "auch_orte"].split(", ")
    inside = reference.plz.loc[reference.plz["plz"] == "67294", "gemeinde"].tolist()
    assert inside == ["Mauchenheim"] and len(outside) > len(inside)  # mostly Donnersbergkreis
    other = reference.plz[~reference.plz["plz"].isin(crossing.index)]
    assert (other["auch_kreis"] == "").all() and (other["auch_orte"] == "").all()


def test_border_note_names_the_other_district_and_places(reference):
    from geo.reference import border_note

    note = border_note(reference.plz, "55578")
    assert "Landkreis Mainz-Bingen" in note and "Wolfsheim" in note and "Sankt Johann" in note
    assert "Donnersbergkreis" in border_note(reference.plz, "67294")
    assert border_note(reference.plz, "55234") == "" and border_note(reference.plz, "99999") == ""


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_border_note_is_a_catalogue_text_in_each_language(reference, lang):
    from geo.reference import border_note, border_places

    other, places = border_places(reference.plz)["67294"]
    note = border_note(reference.plz, "67294", lang)
    assert other in note and places in note and "67294" in note  # names are never translated
    assert note != border_note(reference.plz, "67294", "de") or lang == "de"
    assert note == i18n.text("search_border_note", lang, plz="67294", orte=places, other=other)


def test_plz_builder_looks_up_outside_places_in_neighbouring_districts_only():
    from geo.build.plz import build_plz_table

    gemeinden = pd.DataFrame({"GEN": ["Wallertheim", "Mauchenheim"], "RS": ["073315006068", "073315001044"]})
    outside = pd.DataFrame({
        "name": ["Sankt Johann", "Sankt Johann", "Wolfsheim", "Bischheim"],
        "rs": ["071375003097", "073395008050", "073395008202", "073335004007"],
        "kreis": ["Landkreis Mayen-Koblenz", "Landkreis Mainz-Bingen", "Landkreis Mainz-Bingen", "Donnersbergkreis"],
    })
    plz = {"55578": ["Wallertheim", "Wolfsheim", "Sankt Johann"], "67294": ["Mauchenheim", "Bischheim"],
           "10115": ["Berlin"]}
    table = build_plz_table(plz, gemeinden, outside).set_index("plz")
    assert list(table.index) == ["55578", "67294"]
    assert table.loc["55578", "auch_kreis"] == "Landkreis Mainz-Bingen"
    assert table.loc["55578", "auch_orte"] == "Sankt Johann, Wolfsheim"
    assert table.loc["67294", "auch_kreis"] == "Donnersbergkreis"
    with pytest.raises(ValueError, match="Kreis unbekannt für Nirgendwo"):
        build_plz_table({"55578": ["Wallertheim", "Nirgendwo"]}, gemeinden, outside)


def test_search_index_knows_the_border_plz(reference):
    from geo.dataset import search_index

    index = search_index(reference, pd.DataFrame(columns=["id", "name", "gemeinde_rs", "plz"]))
    assert index.border_plz == frozenset({"55578", "67294"})


def test_search_for_a_border_plz_says_which_other_district_it_covers(reference):
    from geo.dataset import search_index
    from geo.search import search

    index = search_index(reference, pd.DataFrame(columns=["id", "name", "gemeinde_rs", "plz"]))
    result = search("55578", index)
    assert {p.name for p in result.places} == {"Gau-Weinheim", "Vendersheim", "Wallertheim"}
    assert "Landkreis Mainz-Bingen" in result.border_note and "Wolfsheim" in result.border_note
    assert [p.name for p in search("67294", index).places] == ["Mauchenheim"]
    assert "Donnersbergkreis" in search("67294 Mauchenheim", index).border_note
    assert search("55234", index).border_note == "" and search("Wöllstein", index).border_note == ""
    assert search("55578", index, "tr").border_note == i18n.text(
        "search_border_note", "tr", plz="55578", orte="Sankt Johann, Wolfsheim", other="Landkreis Mainz-Bingen")
