"""The coverage rule at several dates, on a small hand-made case and on the shipped data."""

import datetime as dt

import pandas as pd
import pytest

from kita.coverage import (
    active_positions,
    change_between,
    classify,
    coverage_at,
    kita_coverage,
    rule_text,
    served_pairs,
)
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

AREAS = pd.DataFrame({"gebiet_rs": ["073315002", "073315003"], "gebiet": ["VG Eich", "VG Monsheim"]})
KITAS = pd.DataFrame({
    "id": ["A", "B", "C"],
    "name": ["Kita A", "Kita B", "Kita C"],
    "gemeinde_rs": ["073315002018", "073315002034", "073315003048"],
    "kinder": [300, 400, 100],
})


def positions(*rows):
    return pd.DataFrame(
        [{"id": r[0], "gebiet_rs": r[1], "vze": r[2], "beginn": r[3], "ende": r[4], "kitas": r[5] if len(r) > 5 else ""}
         for r in rows]
    )


POSITIONS = positions(
    ("P1", "073315002", 0.5, dt.date(2022, 1, 1), None),
    ("P2", "073315002", 0.5, dt.date(2024, 8, 1), dt.date(2025, 7, 31)),
    ("P3", "073315003", 0.25, dt.date(2024, 8, 1), None, "C"),
)


def test_start_and_end_days_are_inclusive():
    assert set(active_positions(POSITIONS, dt.date(2024, 7, 31))["id"]) == {"P1"}
    assert set(active_positions(POSITIONS, dt.date(2024, 8, 1))["id"]) == {"P1", "P2", "P3"}
    assert set(active_positions(POSITIONS, dt.date(2025, 7, 31))["id"]) == {"P1", "P2", "P3"}
    assert set(active_positions(POSITIONS, dt.date(2025, 8, 1))["id"]) == {"P1", "P3"}


def test_figures_and_classes_at_two_dates():
    before = coverage_at(dt.date(2024, 7, 31), AREAS, KITAS, POSITIONS, 600).set_index("gebiet_rs")
    after = coverage_at(dt.date(2024, 8, 1), AREAS, KITAS, POSITIONS, 600).set_index("gebiet_rs")
    eich_before, eich_after = before.loc["073315002"], after.loc["073315002"]
    assert (eich_before["vze"], eich_before["kinder"], eich_before["kinder_pro_vze"]) == (0.5, 700, 1400)
    assert eich_before["klasse"] == "unter" and eich_before["kitas_pro_vze"] == 4
    assert (eich_after["vze"], eich_after["kinder_pro_vze"], eich_after["klasse"]) == (1.0, 700, "unter")
    assert before.loc["073315003", "klasse"] == "keine"
    assert before.loc["073315003", "kinder_pro_vze"] == float("inf")
    assert before.loc["073315003", "kitas_ohne_versorgung"] == ["Kita C"]
    assert after.loc["073315003", "klasse"] == "versorgt"  # 100 children on 0.25 FTE = 400
    assert after.loc["073315003", "kitas_ohne_versorgung"] == []


def test_threshold_is_a_parameter():
    loose = coverage_at(dt.date(2024, 8, 1), AREAS, KITAS, POSITIONS, 700).set_index("gebiet_rs")
    assert loose.loc["073315002", "klasse"] == "versorgt"  # exactly 700 is not above 700
    assert classify(0, float("inf"), 600) == "keine"
    assert classify(1, 600.0, 600) == "versorgt" and classify(1, 600.1, 600) == "unter"
    assert "600" in rule_text(600) and "1.200" in rule_text(1200)


def test_kita_served_only_by_listed_position():
    kitas = kita_coverage(dt.date(2024, 8, 1), KITAS, POSITIONS).set_index("id")
    assert kitas.loc["C", "fachkraefte"] == ["P3"]
    assert kitas.loc["A", "fachkraefte"] == ["P1", "P2"]
    assert kita_coverage(dt.date(2024, 7, 31), KITAS, POSITIONS).set_index("id").loc["C", "versorgt"] == False  # noqa: E712


def test_shipped_data_before_and_after_summer_2024(reference, seed):
    before = coverage_at(BEFORE_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    after = coverage_at(AFTER_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    assert before["stellen"].sum() == 12
    assert before.set_index("gebiet_rs").loc["073315003", "klasse"] == "keine"
    assert after.set_index("gebiet_rs").loc["073315003", "klasse"] != "keine"
    assert before["kinder"].sum() == seed["kitas"]["kinder"].sum()
    change = change_between(before, after).set_index("gebiet_rs")
    expected = seed["fachkraefte"][seed["fachkraefte"]["beginn"] == AFTER_SUMMER_2024].groupby("gebiet_rs")["vze"].sum()
    for key, fte in expected.items():
        assert change.loc[key, "vze_differenz"] == pytest.approx(fte)


def test_served_pairs_own_list_or_whole_area_in_position_order():
    kitas = pd.DataFrame({"id": ["K1", "K2", "K3"], "gemeinde_rs": ["073310003000", "073315001001", "073315001002"]})
    active = pd.DataFrame({"id": ["P2", "P1"], "gebiet_rs": ["073315001", "073310003"], "kitas": ["", "K3; K1"]})
    pairs = served_pairs(active, kitas)
    assert list(zip(pairs["position"], pairs["kita"])) == [("P2", "K2"), ("P2", "K3"), ("P1", "K3"), ("P1", "K1")]
    assert served_pairs(active.iloc[0:0], kitas).empty


def test_series_by_hand_on_the_first_of_every_month():
    # P1 from 01.01.2022: Eich 0,5 VZÄ, 700 children → 1.400 per VZÄ (unterversorgt at 600), Monsheim none.
    # P2 and P3 start 01.08.2024: Eich 1,0 (700 per VZÄ, still unter), Monsheim 0,25 (400 per VZÄ, versorgt).
    # P2 ends 31.07.2025: from 01.08.2025 Eich is back to 0,5.
    from kita.coverage import coverage_series, month_stands

    series = coverage_series(AREAS, KITAS, POSITIONS, 600, dt.date(2025, 8, 15))
    stands = month_stands(dt.date(2022, 1, 1), dt.date(2025, 8, 15))
    assert len(stands) == 44 and stands[0] == dt.date(2022, 1, 1) and stands[-1] == dt.date(2025, 8, 1)
    assert len(series) == 44 * 2
    by = series.set_index(["stand", "gebiet"])
    expected = {
        (dt.date(2024, 7, 1), "VG Eich"): (0.5, 1400.0, "unter"),
        (dt.date(2024, 7, 1), "VG Monsheim"): (0.0, float("inf"), "keine"),
        (dt.date(2024, 8, 1), "VG Eich"): (1.0, 700.0, "unter"),
        (dt.date(2024, 8, 1), "VG Monsheim"): (0.25, 400.0, "versorgt"),
        (dt.date(2025, 7, 1), "VG Eich"): (1.0, 700.0, "unter"),
        (dt.date(2025, 8, 1), "VG Eich"): (0.5, 1400.0, "unter"),
    }
    for key, (fte, per_fte, klasse) in expected.items():
        row = by.loc[key]
        assert (row["vze"], row["kinder_pro_vze"], row["klasse"]) == (fte, per_fte, klasse), key
    # the same rule as coverage_at on every month
    for stand in [dt.date(2023, 5, 1), dt.date(2024, 8, 1), dt.date(2025, 8, 1)]:
        at = coverage_at(stand, AREAS, KITAS, POSITIONS, 600).set_index("gebiet")
        month = series[series["stand"] == stand].set_index("gebiet")
        assert month[["vze", "stellen", "klasse"]].equals(at[["vze", "stellen", "klasse"]])


def test_month_stands_start_on_the_next_first_when_a_position_starts_mid_month():
    from kita.coverage import month_stands

    assert month_stands(dt.date(2022, 12, 15), dt.date(2023, 2, 1)) == [dt.date(2023, 1, 1), dt.date(2023, 2, 1)]
    assert month_stands(dt.date(2023, 3, 2), dt.date(2023, 3, 30)) == []
