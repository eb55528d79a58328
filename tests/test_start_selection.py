"""The parents' selection rules (ui/selection.py) as plain functions: what a URL names, a hit, a tap."""

import pytest

from geo import dataset
from geo.search import search
from ui import selection


@pytest.fixture(scope="module")
def keys(reference, seed):
    return selection.url_keys(reference.areas, reference.gemeinden, reference.ortsteile, seed["kitas"])


@pytest.fixture(scope="module")
def index(reference, seed):
    return dataset.search_index(reference, seed["kitas"])


def test_a_kita_in_the_url_implies_its_gemeinde_and_area(keys, seed):
    kita = seed["kitas"].iloc[0]
    chosen, unknown = selection.from_query({"kita": kita["id"], "gebiet": "073315003"}, keys)
    assert chosen == {"gebiet": kita["gemeinde_rs"][:9], "gemeinde": kita["gemeinde_rs"], "ortsteil": "",
                      "kita": kita["id"]} and unknown == []


def test_unknown_values_are_named_and_dropped(keys):
    chosen, unknown = selection.from_query({"gebiet": "999999999", "gemeinde": "073310003003", "ortsteil": "Atlantis"},
                                           keys)
    assert chosen == {"gebiet": "073310003", "gemeinde": "073310003003", "ortsteil": "", "kita": ""}
    assert unknown == [("gebiet", "999999999"), ("ortsteil", "Atlantis")]
    assert selection.from_query({}, keys) == (selection.empty(), [])


def test_every_ortsteil_round_trips_through_the_url(keys, reference, index):
    for row in reference.ortsteile.itertuples():
        hit = next(p for p in search(f"{row.gemeinde} {row.ortsteil}", index).places if p.kind == "ortsteil")
        chosen = selection.of_place(hit)
        assert selection.from_query(chosen, keys) == (chosen, []), row.ortsteil
        assert selection.token(chosen) and selection.same(chosen, dict(chosen))


def test_a_tap_selects_an_area_or_a_kita_with_its_gemeinde(keys, seed):
    assert selection.of_click("gebiet", "073315003", keys) == {**selection.empty(), "gebiet": "073315003"}
    kita = seed["kitas"].iloc[-1]
    assert selection.of_click("kita", kita["id"], keys)["gemeinde"] == kita["gemeinde_rs"]
    assert selection.of_click("kita", "no-such-kita", keys) is None
    assert selection.token(selection.empty()) == ""
