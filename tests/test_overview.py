"""Coverage figures at several dates, the Stand checks and the map's class bounds (reports/overview.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kita.coverage import COVERED, NONE, UNDER, classify, coverage_at
from kita.errors import DataError
from reports import overview
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

THRESHOLD = 600.0


def fte_at(seed, stand, positions=None) -> dict[str, float]:
    positions = seed["fachkraefte"] if positions is None else positions
    return coverage_at(stand, pd.DataFrame({"gebiet_rs": sorted(set(seed["kitas"]["gemeinde_rs"].str[:9])),
                                            "gebiet": "x"}), seed["kitas"], positions, THRESHOLD
                       ).set_index("gebiet_rs")["vze"].to_dict()


def test_position_starting_on_the_date_counts_from_that_day(seed):
    staff = seed["fachkraefte"]
    summer = staff[staff["beginn"] == AFTER_SUMMER_2024]
    assert len(summer) == 4  # the seed's summer 2024 additions
    before, after = fte_at(seed, BEFORE_SUMMER_2024), fte_at(seed, AFTER_SUMMER_2024)
    for key, group in summer.groupby("gebiet_rs"):
        assert after[key] - before[key] == pytest.approx(group["vze"].sum())
    assert before["073315003"] == 0 and after["073315003"] == pytest.approx(1.0)


def test_position_ending_on_the_date_still_counts_that_day(seed):
    staff = seed["fachkraefte"].copy()
    end = dt.date(2025, 1, 31)
    staff.loc[staff["id"] == "F500201", "ende"] = end  # VG Eich, Stelle 1 (0.75)
    on_end, day_after = fte_at(seed, end, staff), fte_at(seed, end + dt.timedelta(days=1), staff)
    assert on_end["073315002"] - day_after["073315002"] == pytest.approx(0.75)


def test_classes_at_the_threshold():
    assert classify(0, float("inf"), THRESHOLD) == NONE
    assert classify(1.0, THRESHOLD, THRESHOLD) == COVERED  # "above" the threshold is under-served
    assert classify(1.0, THRESHOLD + 0.1, THRESHOLD) == UNDER


def test_quick_dates_are_day_before_and_first_day_of_summer():
    quick = overview.quick_dates(dt.date(2024, 8, 1), dt.date(2026, 5, 5))
    assert quick == {"heute": dt.date(2026, 5, 5), "vor-sommer-2024": BEFORE_SUMMER_2024,
                     "nach-sommer-2024": AFTER_SUMMER_2024}
    assert [overview.quick_label(k) for k in [*quick, overview.OTHER_DATE]] == [
        "Heute", "vor Sommer 2024", "nach Sommer 2024", "anderes Datum"]
    assert overview.quick_label("vor-sommer-2024", "en") == "before summer 2024"


def test_stand_outside_the_data_gets_a_message(seed):
    staff, today = seed["fachkraefte"], dt.date(2026, 1, 15)
    first = min(staff["beginn"])
    assert overview.check_stand(first, staff, today) is None
    assert "keine Daten" in overview.check_stand(first - dt.timedelta(days=1), staff, today)
    assert "Zukunft" in overview.check_stand(dt.date(2099, 1, 1), staff, today)
    assert overview.check_stand(dt.date(2027, 12, 31), staff, today) is None
    assert "keine Stellen" in overview.check_stand(today, staff.iloc[0:0], today)


@pytest.mark.parametrize("text, bins", [("400; 600; 800", [400, 600, 800]), ("0,5;1,5", [0.5, 1.5]),
                                        ("1.000,5", [1000.5])])
def test_parse_bins(text, bins):
    assert overview.parse_bins(text) == bins


@pytest.mark.parametrize("text", ["", "a; b", "800; 600", "1;2;3;4;5;6", "5; 5"])
def test_bad_bins_are_refused(text):
    with pytest.raises(DataError):
        overview.parse_bins(text)


def test_figure_fill_classes_children_per_fte_with_fixed_bounds(reference, seed):
    coverage = coverage_at(BEFORE_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], THRESHOLD)
    fill = overview.figure_fill("kinder_pro_vze", coverage, coverage, "fixed", [600, 900, 1200])
    by_key = coverage.set_index("gebiet_rs")["kinder_pro_vze"]
    colours = {}
    for key, value in by_key.items():
        colours.setdefault("inf" if value == float("inf") else (value > 600, value > 900), set()).add(fill.colours[key])
    # areas in the same class share a colour; different classes differ; no staff has its own colour
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)
    assert "keine Fachkraft im Gebiet" in [label for _, label in fill.legend]


@pytest.mark.parametrize("lang,decimal,group,month", [("de", ",", ".", "März"), ("en", ".", ",", "March")])
def test_charts_format_numbers_and_months_in_the_ui_language(lang, decimal, group, month, reference, seed):
    """Vega's own locale in every chart: German axes read 0,5 and 1.000 (not 0.5 / 1,000)."""
    import datetime as dt

    from kita.coverage import coverage_at

    coverage = coverage_at(dt.date(2024, 8, 1), reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    spec = overview.children_per_fte_chart(coverage, 600, lang).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == decimal
    assert spec["config"]["locale"]["number"]["thousands"] == group
    assert month in spec["config"]["locale"]["time"]["months"]
