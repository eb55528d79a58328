"""Sozialraum indicators aggregated from Gemeinden to areas (kita/indicators.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from kita.indicators import INDICATORS, area_indicators, missing_message, missing_values


@pytest.fixture
def kennzahlen(seed) -> pd.DataFrame:
    return seed["gemeinden_kennzahlen"].copy()


def aggregate(reference, seed, kennzahlen):
    return area_indicators(kennzahlen, reference.gemeinden, reference.areas, seed["kitas"]).set_index("gebiet_rs")


def test_counts_are_sums_and_shares_are_child_weighted(reference, seed, kennzahlen):
    result = aggregate(reference, seed, kennzahlen)
    area = kennzahlen["gemeinde_rs"].str[:9]
    expected_children = kennzahlen.groupby(area)["kinder_u7"].sum()
    assert result["kinder_u7"].to_dict() == pytest.approx(expected_children.to_dict())
    bg = (kennzahlen["kinder_u7"] * kennzahlen["anteil_buergergeld_u7"]).groupby(area).sum()
    assert result["kinder_buergergeld_u7"].to_dict() == pytest.approx(bg.to_dict())
    assert result["anteil_buergergeld_u7"].to_dict() == pytest.approx((bg / expected_children).to_dict())
    # Stadt Alzey is one Gemeinde: its share is the Gemeinde's own value
    alzey = kennzahlen.set_index("gemeinde_rs").loc["073310003003"]
    assert result.loc["073310003", "anteil_nichtdeutsche_familiensprache"] == pytest.approx(
        alzey["anteil_nichtdeutsche_familiensprache"])
    # a weighted share lies between the smallest and the largest Gemeinde value of the area
    for key, group in kennzahlen.groupby(area):
        share = result.loc[key, "anteil_buergergeld_u7"]
        assert group["anteil_buergergeld_u7"].min() <= share <= group["anteil_buergergeld_u7"].max()


def test_every_area_has_its_gemeinden_and_the_seed_is_flagged_demo(reference, seed, kennzahlen):
    result = aggregate(reference, seed, kennzahlen)
    assert result["gemeinden"].to_dict() == {"073310003": 1, "073315001": 24, "073315002": 5, "073315003": 7,
                                             "073315005": 8, "073315006": 13, "073315007": 11}  # DATA.md
    assert result["demo"].all() and (result["gemeinden_ohne_daten"] == 0).all()
    kennzahlen["demo"] = False
    assert not aggregate(reference, seed, kennzahlen)["demo"].any()


@pytest.mark.parametrize("key, flag", [("kitas_sozialraum", "sozialraum"), ("kitas_interkulturell", "interkulturell")])
def test_flagged_kitas_are_counted_per_area(reference, seed, kennzahlen, key, flag):
    kitas = seed["kitas"]
    expected = kitas[kitas[flag]].groupby(kitas["gemeinde_rs"].str[:9]).size()
    assert expected.sum() > 0  # the seed has such Kitas, so the test can fail
    result = aggregate(reference, seed, kennzahlen)
    assert result[key].sum() == expected.sum()
    for area, count in expected.items():
        assert result.loc[area, key] == count


def test_missing_gemeinde_and_missing_share_are_reported(reference, seed, kennzahlen):
    eppelsheim = kennzahlen.index[kennzahlen["gemeinde"] == "Eppelsheim"]
    flonheim = kennzahlen.index[kennzahlen["gemeinde"] == "Flonheim"]
    kennzahlen.loc[flonheim, "anteil_buergergeld_u7"] = None
    incomplete = kennzahlen.drop(index=eppelsheim)
    missing = missing_values(incomplete, reference.gemeinden)
    assert missing["kinder_u7"] == ["Eppelsheim"]
    assert missing["anteil_buergergeld_u7"] == ["Eppelsheim", "Flonheim"]
    message = missing_message("anteil_buergergeld_u7", missing)
    assert "2 Gemeinde(n): Eppelsheim, Flonheim" in message
    assert missing_message("kitas_sozialraum", missing) is None
    result = aggregate(reference, seed, incomplete)
    assert result.loc["073315001", "gemeinden_ohne_daten"] == 2
    # the share is taken over the children whose Gemeinde has a value, not diluted by the gap
    rest = incomplete[(incomplete["gemeinde_rs"].str[:9] == "073315001") & incomplete["anteil_buergergeld_u7"].notna()]
    expected = (rest["kinder_u7"] * rest["anteil_buergergeld_u7"]).sum() / rest["kinder_u7"].sum()
    assert result.loc["073315001", "anteil_buergergeld_u7"] == pytest.approx(expected)


def test_complete_seed_has_no_missing_message(reference, kennzahlen):
    missing = missing_values(kennzahlen, reference.gemeinden)
    assert all(missing_message(key, missing) is None for key in INDICATORS)
