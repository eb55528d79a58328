"""Search by Gemeinde, Ortsteil, area, Kita or PLZ: tolerant spelling, German messages."""

import pytest

from geo.search import search
from geo import dataset


@pytest.fixture(scope="module")
def index(reference, seed):
    return dataset.search_index(reference, seed["kitas"])


def names(result):
    return [p.name for p in result.places]


@pytest.mark.parametrize("query", ["Wöllstein", "woellstein", "WOELLSTEIN", "  wöllstein ", "Wollstein"])
def test_umlaut_spellings_and_case(index, query):
    assert names(search(query, index))[0] == "Wöllstein"


@pytest.mark.parametrize("query,expected", [
    ("Woerstadt", "Wörrstadt"),  # umlaut as oe and one r missing
    ("Flonhiem", "Flonheim"),
    ("Osthoffen", "Osthofen"),
    ("gau odernheim", "Gau-Odernheim"),
    ("Dittelsheim-Hessloch", "Dittelsheim-Heßloch"),
])
def test_small_typos(index, query, expected):
    assert names(search(query, index))[0] == expected


def test_plz_returns_every_gemeinde_behind_it(index, reference):
    result = search("55234", index)
    assert len(result.places) == 23
    areas = {p.gebiet_rs for p in result.places}
    assert areas == {"073315001", "073315005", "073315007"}  # Alzey-Land, Wöllstein, Wonnegau
    assert names(search("67294", index)) == ["Mauchenheim"]  # centre of 67294 lies outside the district
    assert all(p.kind == "gemeinde" for p in result.places)


def test_ortsteil_area_and_kita(index, seed):
    weinheim = search("Weinheim", index).places[0]
    assert (weinheim.kind, weinheim.gemeinde, weinheim.gebiet_rs) == ("ortsteil", "Alzey", "073310003")
    assert search("Wonnegau", index).places[0].gebiet_rs == "073315007"
    assert search("VG Eich", index).places[0].kind == "gebiet"
    kita = seed["kitas"].iloc[0]
    found = search(kita["name"], index).places[0]
    assert (found.kind, found.kita_id) == ("kita", kita["id"])


def test_hamm_is_hamm_am_rhein(index):
    assert search("Hamm", index).places[0].gemeinde == "Hamm am Rhein"


@pytest.mark.parametrize("query,message", [
    ("", "Bitte einen Ort"),
    ("12345", "gehört nicht zum Landkreis"),
    ("5523", "fünf Ziffern"),
    ("Berlin", "Kein Ort"),
    ("<img src=x onerror=alert(1)>", "Kein Ort"),
    ("x" * 200, "zu lang"),
    ("!!!", "keinen Ortsnamen"),
])
def test_bad_input_gives_german_message(index, query, message):
    result = search(query, index)
    assert result.places == [] and message in result.message


def test_suggestions_for_a_near_miss(index):
    result = search("Monsheimer", index)
    assert result.places or "Monsheim" in result.suggestions
