"""Search by Gemeinde, Ortsteil, area, Kita or PLZ: the way parents type it, German messages."""

import pytest

from geo import dataset
from geo.search import build_index, directory, search
from kita.text import sort_key


@pytest.fixture(scope="module")
def index(reference, seed):
    return dataset.search_index(reference, seed["kitas"])


def names(result):
    return [p.name for p in result.places]


@pytest.mark.parametrize("query", ["Wöllstein", "woellstein", "WOELLSTEIN", "  wöllstein ", "Wollstein", "Wöllstien"])
def test_umlaut_spellings_case_and_typos_choose_the_gemeinde(index, query):
    assert search(query, index).chosen.name == "Wöllstein"


@pytest.mark.parametrize("query,expected", [
    ("Woerstadt", "Wörrstadt"),  # umlaut as oe and one r missing
    ("Flonhiem", "Flonheim"),
    ("Osthoffen", "Osthofen"),
    ("Westhoven", "Westhofen"),
    ("gau odernheim", "Gau-Odernheim"),
    ("Gauodernheim", "Gau-Odernheim"),
    ("Dittelsheim-Hessloch", "Dittelsheim-Heßloch"),
    ("Floersheim Dalsheim", "Flörsheim-Dalsheim"),
    ("Wachenheim (Pfrimm)", "Wachenheim"),
])
def test_spelling_variants_and_small_typos(index, query, expected):
    result = search(query, index)
    assert result.chosen is not None and result.chosen.name == expected


def test_a_corrected_typo_is_marked(index):
    assert search("Flonhiem", index).corrected and not search("Flonheim", index).corrected


@pytest.mark.parametrize("query,title", [
    ("Alzey-Dautenheim", "Dautenheim, Stadt Alzey"),
    ("Alzey Weinheim", "Weinheim, Stadt Alzey"),
    ("Dautenheim, Stadt Alzey", "Dautenheim, Stadt Alzey"),
    ("Schafhausen", "Schafhausen, Stadt Alzey"),
    ("Nieder Flörsheim", "Niederflörsheim, Gemeinde Flörsheim-Dalsheim"),
    ("Niederfloersheim", "Niederflörsheim, Gemeinde Flörsheim-Dalsheim"),
    ("Obersaulheim", "Ober-Saulheim, Gemeinde Saulheim"),
    ("Monsheim-Kriegsheim", "Kriegsheim, Gemeinde Monsheim"),
    ("Schimsheim", "Schimsheim, Gemeinde Armsheim"),
])
def test_ortsteil_alone_or_with_its_gemeinde_is_named_on_the_card(index, query, title):
    chosen = search(query, index).chosen
    assert chosen.kind == "ortsteil" and chosen.title == title


def test_plz_with_name_narrows_to_the_place(index):
    assert search("55237 Flonheim", index).chosen.name == "Flonheim"
    assert search("Albig 55234", index).chosen.name == "Albig"
    # A PLZ whose name does not fit offers the PLZ's places instead of a wrong guess.
    result = search("55237 Wöllstein", index)
    assert result.chosen is None and "Flonheim" in names(result)


def test_plz_spanning_several_areas_asks_and_labels_name_the_area(index):
    result = search("55234", index)
    assert len(result.places) == 23 and result.chosen is None
    assert {p.gebiet_rs for p in result.places} == {"073315001", "073315005", "073315007"}
    labels = {p.label for p in result.places}
    assert "Albig · VG Alzey-Land" in labels and "Hangen-Weisheim · VG Wonnegau" in labels
    assert search("55232", index).chosen is None  # Alzey and Ensheim
    # 67294 is mostly Donnersbergkreis (plz_gemeinden.csv auch_kreis): Mauchenheim is offered, never assumed.
    border = search("67294", index)
    assert names(border) == ["Mauchenheim"] and border.chosen is None and border.border_plz == "67294"
    assert "Donnersbergkreis" in border.border_note


def test_same_name_in_two_areas_asks(index):
    result = search("Bermersheim", index)
    # 'Bermersheim' is exact for VG Wonnegau's Bermersheim; its namesake vor der Höhe is found as a prefix only.
    assert result.chosen.name == "Bermersheim"
    flo = search("Flörsheim", index)
    assert flo.chosen is None and {"Flörsheim-Dalsheim", "Ober-Flörsheim"} <= set(names(flo))


def test_gemeinde_wins_over_its_area_and_area_names(index, seed):
    assert search("Eich", index).chosen.kind == "gemeinde"
    assert search("Wonnegau", index).chosen.gebiet_rs == "073315007"
    assert search("VG Eich", index).chosen.kind == "gebiet"
    kita = seed["kitas"].iloc[0]
    found = search(kita["name"], index).chosen
    assert (found.kind, found.kita_id) == ("kita", kita["id"])


def test_hamm_is_hamm_am_rhein(index):
    assert search("Hamm", index).chosen.gemeinde == "Hamm am Rhein"


@pytest.mark.parametrize("query,kreis,kreisfrei", [
    ("Worms", "Stadt Worms", True),
    ("Mainz", "Stadt Mainz", True),
    ("Nierstein", "Landkreis Mainz-Bingen", False),
    ("Bockenheim an der Weinstraße", "Landkreis Bad Dürkheim", False),
    ("Ludwigshafen", "Stadt Ludwigshafen am Rhein", True),
    ("Mainzz", "Stadt Mainz", True),
    ("Worms-Pfeddersheim", "Stadt Worms", True),
])
def test_place_outside_the_district_names_its_district(index, query, kreis, kreisfrei):
    result = search(query, index)
    assert result.places == [] and result.outside
    outside = result.outside[0]
    assert (outside.kreis, outside.kreisfrei) == (kreis, kreisfrei)
    assert "Jugendamt" in outside.answer() and kreis in outside.answer() and "nicht" in outside.answer()
    assert kreis in outside.answer("en") and "youth welfare office" in outside.answer("en")


@pytest.mark.parametrize("query,message", [
    ("", "Bitte einen Ort"),
    ("12345", "gehört nicht zum Landkreis"),
    ("5523", "fünf Ziffern"),
    ("Xyzzyqwv", "Kein Ort"),
    ("<img src=x onerror=alert(1)>", "Kein Ort"),
    ("x" * 200, "zu lang"),
    ("!!!", "keinen Ortsnamen"),
])
def test_bad_input_gives_german_message(index, query, message):
    result = search(query, index)
    assert result.places == [] and result.chosen is None and message in result.message


def test_not_found_offers_clickable_places(index):
    result = search("Pfeddersheimm", index)
    assert result.message and result.suggestions
    assert all(hasattr(p, "gebiet_rs") and p.label for p in result.suggestions)


def test_every_gemeinde_and_ortsteil_is_found_by_its_own_name(index, reference):
    for row in reference.gemeinden.itertuples():
        assert search(row.gemeinde, index).chosen.gemeinde_rs == row.gemeinde_rs, row.gemeinde
    for row in reference.ortsteile.itertuples():
        chosen = search(row.ortsteil, index).chosen
        assert chosen.gemeinde_rs == row.gemeinde_rs, row.ortsteil


def test_ortsteile_table_names_a_source_for_every_row(reference):
    table = reference.ortsteile
    assert {"quelle", "amtlich_geprueft"} <= set(table.columns)
    assert (table["quelle"].str.len() > 10).all()
    assert table["amtlich_geprueft"].isin(["ja", "nein"]).all()
    names = dict(zip(reference.gemeinden["gemeinde_rs"], reference.gemeinden["gemeinde"]))
    assert [names.get(rs) for rs in table["gemeinde_rs"]] == table["gemeinde"].tolist()


def test_outside_table_has_no_place_of_the_district(reference, index):
    outside = reference.outside
    assert len(outside) > 1000 and not outside["rs"].str.startswith("07331").any()
    assert {"Worms", "Mainz", "Bad Kreuznach"} <= set(outside["name"])
    assert search("Alzey-Worms", index).outside == []


def test_border_plz_column_is_read_when_present(reference):
    plz = reference.plz.copy()
    plz["grenz_plz"] = plz["plz"].eq("67294")
    index = build_index(reference.gemeinden, reference.areas, plz)
    assert index.border_plz == frozenset({"67294"})
    result = search("67294", index)  # Mauchenheim, but the PLZ also serves places in the Donnersbergkreis
    assert result.chosen is None and result.border_plz == "67294" and names(result) == ["Mauchenheim"]
    assert search("67294 Mauchenheim", index).chosen.name == "Mauchenheim"  # with the name it is clear


def test_directory_lists_every_area_with_its_gemeinden_and_kitas(reference, seed):
    index = build_index(reference.gemeinden, reference.areas, reference.plz, seed["kitas"], reference.ortsteile)
    entries = directory(index)
    assert [e.area.name for e in entries] == sorted(reference.areas["gebiet"], key=sort_key)
    assert [e.area.name for e in entries][-3:] == ["VG Wöllstein", "VG Wonnegau", "VG Wörrstadt"]  # as in German
    for entry in entries:
        gemeinden = reference.gemeinden[reference.gemeinden["gebiet_rs"] == entry.area.gebiet_rs]
        assert {p.gemeinde_rs for p in entry.gemeinden} == set(gemeinden["gemeinde_rs"])
        kitas = seed["kitas"][seed["kitas"]["gemeinde_rs"].str[:9] == entry.area.gebiet_rs]
        assert [p.kita_id for p in entry.kitas] and {p.kita_id for p in entry.kitas} == set(kitas["id"])
    alzey = [p.name for p in entries[0].kitas]
    assert alzey.index("Kita Alzey 2 (Beispiel)") < alzey.index("Kita Alzey 10 (Beispiel)")  # natural order
    assert sum(len(e.gemeinden) for e in entries) == len(reference.gemeinden)
    # A Land's folder: Gemeinden and Kitas only for the chosen Kreis, none before a choice.
    assert all(not e.gemeinden and not e.kitas for e in directory(index, ""))
    assert all(e.gemeinden for e in directory(index, "07331"))


def test_choice_labels_speak_the_ui_language_and_keep_the_names(index):
    weinheim = next(p for p in search("Alzey-Weinheim", index).places if p.kind == "ortsteil")
    assert weinheim.label == "Weinheim (Ortsteil von Alzey) · Stadt Alzey"
    assert weinheim.label_in("en") == "Weinheim (part of Alzey) · Stadt Alzey"
    alzey = next(p for p in search("55232", index).places if p.name == "Alzey")
    assert alzey.label == "Alzey · verbandsfreie Stadt"
    for lang in ("tr", "ar", "uk"):
        label = alzey.label_in(lang)
        assert label.startswith("Alzey · ") and "verbandsfreie" not in label
        assert "Ortsteil" not in weinheim.label_in(lang) and "Weinheim" in weinheim.label_in(lang)
