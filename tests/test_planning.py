"""The allocation of new staff (kita/planning.py) and scenarios (datastore/scenarios.py).

Expectations come from the seed through plain pandas (children per area, active FTE), or from
properties every plan must have, not from copies of the planner's output."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from datastore.scenarios import Scenarios
from datastore.store import Store
from geo.layers import validate_table
from kita import planning
from kita.coverage import COVERED, NONE, coverage_at
from kita.planning import (
    PlanInputs,
    PlanningError,
    allocate,
    check_n,
    make_inputs,
    make_plan,
)
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

THRESHOLD = 600.0
MAX_NEW = 20.0
ALL_WEIGHTS = {"kinder_u7": 1.0, "kinder_buergergeld_u7": 1.0, "kinder_nichtdeutsch_u7": 1.0, "kita_kinder": 1.0}


def plan(reference, seed, n, rule="ausgleich", beginn=BEFORE_SUMMER_2024, weights=None, overrides=None, **tables):
    inputs = make_inputs(n, rule, beginn, weights if weights is not None else ALL_WEIGHTS, overrides)
    return make_plan(
        inputs, reference.areas, tables.get("kitas", seed["kitas"]), tables.get("positions", seed["fachkraefte"]),
        tables.get("kennzahlen", seed["gemeinden_kennzahlen"]), reference.gemeinden, THRESHOLD, MAX_NEW,
    )


def seed_state(seed, stand: dt.date) -> tuple[dict[str, int], dict[str, float]]:
    """Kita children and active FTE per area, computed directly from the seed tables."""
    children = seed["kitas"].groupby(seed["kitas"]["gemeinde_rs"].str[:9])["kinder"].sum().to_dict()
    staff = seed["fachkraefte"]
    active = staff[[b <= stand and (e is None or stand <= e) for b, e in zip(staff["beginn"], staff["ende"])]]
    fte = {key: 0.0 for key in children}
    fte.update(active.groupby("gebiet_rs")["vze"].sum().to_dict())
    return children, fte


def ratio(children: int, fte: float) -> float:
    return children / fte if fte > 0 else math.inf


# --- input checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-0.5, -3, 0.3, 2.25, 20.5, 1000, "drei", float("nan"), float("inf")])
def test_absurd_n_is_refused_with_german_message(bad):
    with pytest.raises(PlanningError) as error:
        check_n(bad, MAX_NEW)
    assert any(word in str(error.value) for word in ("negativ", "Vielfaches", "mehr, als", "keine Zahl", "endliche"))


@pytest.mark.parametrize("given, expected", [(0, 0.0), (3, 3.0), ("2,5", 2.5), (20, 20.0)])
def test_valid_n(given, expected):
    assert check_n(given, MAX_NEW) == expected


def test_step_size_quarter_allows_the_real_summer_2024_addition():
    assert check_n(3.25, MAX_NEW, 0.25) == 3.25
    assert check_n("3,25", MAX_NEW, 0.25) == 3.25
    with pytest.raises(PlanningError, match="3,00 oder 3,50"):
        check_n(3.25, MAX_NEW, 0.5)
    with pytest.raises(PlanningError, match="Schrittweite"):
        check_n(3, MAX_NEW, 0.3)
    with pytest.raises(PlanningError, match="keine Zahl"):
        check_n("1.5", MAX_NEW)  # a German "1.5" is not silently 15


def test_plan_in_quarter_steps_hands_out_every_quarter(reference, seed):
    inputs = make_inputs(3.25, "ausgleich", dt.date(2024, 8, 1), replace_new=True, step=0.25)
    result = make_plan(inputs, reference.areas, seed["kitas"], seed["fachkraefte"], seed["gemeinden_kennzahlen"],
                       reference.gemeinden, THRESHOLD, MAX_NEW)
    assert len(result.steps) == 13 and all(s.vze == 0.25 for s in result.steps)
    assert sum(result.added_per_area().values()) == pytest.approx(3.25)
    assert result.steps[0].begruendung.startswith("0,25 VZÄ → ")
    assert "13 Schritt(en) zu 0,25 VZÄ" in result_summary(result)
    assert PlanInputs.from_dict(inputs.to_dict()) == inputs
    assert PlanInputs.from_dict({k: v for k, v in inputs.to_dict().items() if k != "step"}).step == 0.5


def result_summary(result):
    from kita.planning import summary_lines
    return " ".join(summary_lines(result))


@pytest.mark.parametrize("weights", [{k: 0.0 for k in ALL_WEIGHTS}, {**ALL_WEIGHTS, "kinder_u7": -1.0}])
def test_weights_that_sum_to_zero_or_are_negative_are_refused(reference, seed, weights):
    with pytest.raises(PlanningError, match="Gewicht"):
        plan(reference, seed, 3, "bedarfsindex", weights=weights)


# --- allocation -----------------------------------------------------------------------------------


def test_n_zero_gives_empty_plan_and_unchanged_coverage(reference, seed):
    result = plan(reference, seed, 0)
    assert result.steps == [] and result.positions.empty
    pd.testing.assert_frame_equal(result.before, result.after)


@pytest.mark.parametrize("rule", list(planning.RULES))
@pytest.mark.parametrize("n", [0.5, 3.0, 7.5])
def test_plan_sums_to_n_in_half_steps(reference, seed, rule, n):
    result = plan(reference, seed, n, rule)
    assert len(result.steps) == round(n / 0.5)
    assert all(step.vze == 0.5 for step in result.steps)
    assert sum(result.added_per_area().values()) == pytest.approx(n)
    assert result.positions["vze"].sum() == pytest.approx(n)
    assert result.after["vze"].sum() == pytest.approx(result.before["vze"].sum() + n)


@pytest.mark.parametrize("rule", list(planning.RULES))
def test_same_inputs_same_plan(reference, seed, rule):
    first, second = plan(reference, seed, 4, rule), plan(reference, seed, 4, rule)
    assert [(s.gebiet_rs, s.begruendung) for s in first.steps] == [(s.gebiet_rs, s.begruendung) for s in second.steps]


def test_equalise_rule_always_picks_the_highest_children_per_fte(reference, seed):
    children, fte = seed_state(seed, BEFORE_SUMMER_2024)
    result = plan(reference, seed, 6, "ausgleich")
    # Before summer 2024 Monsheim has no position at all (press release): it must come first.
    assert fte["073315003"] == 0 and result.steps[0].gebiet_rs == "073315003"
    for step in result.steps:
        assert step.vze_vorher == pytest.approx(fte[step.gebiet_rs])
        best = max(ratio(children[k], fte[k]) for k in children)
        assert ratio(children[step.gebiet_rs], fte[step.gebiet_rs]) == best
        fte[step.gebiet_rs] += 0.5


def test_uncovered_first_rule_serves_no_covered_area_while_another_is_under_served(reference, seed):
    children, fte = seed_state(seed, BEFORE_SUMMER_2024)
    result = plan(reference, seed, 10, "unversorgte_zuerst")
    assert result.steps[0].gebiet_rs == "073315003"
    for step in result.steps:
        under = [k for k in children if ratio(children[k], fte[k]) > THRESHOLD]
        if under:
            assert step.gebiet_rs in under, step.begruendung
            if any(fte[k] == 0 for k in children):
                assert fte[step.gebiet_rs] == 0
            else:  # the largest FTE gap to the threshold
                gaps = {k: children[k] / THRESHOLD - fte[k] for k in under}
                assert gaps[step.gebiet_rs] == pytest.approx(max(gaps.values()))
        fte[step.gebiet_rs] += 0.5


def test_need_index_with_only_kita_children_equals_the_equalise_rule(reference, seed):
    only_children = {k: (1.0 if k == "kita_kinder" else 0.0) for k in ALL_WEIGHTS}
    index = plan(reference, seed, 6, "bedarfsindex", weights=only_children)
    equalise = plan(reference, seed, 6, "ausgleich")
    assert [s.gebiet_rs for s in index.steps] == [s.gebiet_rs for s in equalise.steps]


def test_need_index_shares_follow_the_weights(reference, seed):
    """With all weight on children under 7, the need share is the area's share of those children."""
    kennzahlen = seed["gemeinden_kennzahlen"]
    under7 = kennzahlen.groupby(kennzahlen["gemeinde_rs"].str[:9])["kinder_u7"].sum()
    result = plan(reference, seed, 1, "bedarfsindex", beginn=AFTER_SUMMER_2024,
                  weights={k: (1.0 if k == "kinder_u7" else 0.0) for k in ALL_WEIGHTS})
    _, fte = seed_state(seed, AFTER_SUMMER_2024)
    expected = max(under7.index, key=lambda k: (under7[k] / under7.sum()) / fte[k])
    assert result.steps[0].gebiet_rs == expected
    share = under7[expected] / under7.sum() * 100
    assert f"Bedarfsanteil {share:.1f} %".replace(".", ",") in result.steps[0].begruendung


def test_missing_indicator_is_refused_unless_its_weight_is_zero(reference, seed):
    kennzahlen = seed["gemeinden_kennzahlen"]
    dropped = kennzahlen[kennzahlen["gemeinde"] == "Eppelsheim"]
    incomplete = kennzahlen.drop(index=dropped.index)
    with pytest.raises(PlanningError, match="Eppelsheim"):
        plan(reference, seed, 3, "bedarfsindex", kennzahlen=incomplete)
    only_children = {k: (1.0 if k == "kita_kinder" else 0.0) for k in ALL_WEIGHTS}
    assert len(plan(reference, seed, 3, "bedarfsindex", weights=only_children, kennzahlen=incomplete).steps) == 6


def test_override_forces_the_step_and_later_steps_are_recomputed(reference, seed):
    children, fte = seed_state(seed, BEFORE_SUMMER_2024)
    result = plan(reference, seed, 3, "ausgleich", overrides={1: "073310003"})
    first = result.steps[0]
    assert first.gebiet_rs == "073310003" and first.von_hand
    assert "von Hand" in first.begruendung and "VG Monsheim" in first.begruendung  # what the rule would have done
    fte["073310003"] += 0.5
    for step in result.steps[1:]:
        assert not step.von_hand
        assert ratio(children[step.gebiet_rs], fte[step.gebiet_rs]) == max(ratio(children[k], fte[k]) for k in children)
        fte[step.gebiet_rs] += 0.5
    assert result.steps[1].gebiet_rs == "073315003"  # Monsheim still first among the rule's choices


def test_override_beyond_the_plan_is_dropped_with_a_note_and_unknown_area_refused(reference, seed):
    result = plan(reference, seed, 1, overrides={5: "073310003"})
    assert len(result.steps) == 2 and not any(s.von_hand for s in result.steps)
    assert any("Schritt 5 entfällt" in note for note in result.notes)
    with pytest.raises(PlanningError, match="unbekanntem Gebiet"):
        plan(reference, seed, 1, overrides={1: "999999999"})


def test_ties_go_to_more_children_then_smaller_key():
    coverage = pd.DataFrame({
        "gebiet_rs": ["073315007", "073315002", "073315001"],
        "gebiet": ["C", "B", "A"],
        "vze": [1.0, 1.0, 2.0],
        "kinder": [500, 500, 1000],  # all 500 per FTE
    })
    steps, _ = allocate(make_inputs(1.0, "ausgleich", dt.date(2025, 1, 1)), coverage, THRESHOLD, MAX_NEW)
    # equal ratio: A has the most children; then B and C tie completely and B has the smaller key
    assert [s.gebiet for s in steps] == ["A", "B"]


def test_n_larger_than_any_need_still_sums_and_covers_everything(reference, seed):
    result = plan(reference, seed, 20, "unversorgte_zuerst")
    assert sum(result.added_per_area().values()) == pytest.approx(20)
    assert (result.after["klasse"] == COVERED).all()
    assert any(note.startswith("Ab Schritt") for note in result.notes)


def test_each_step_is_one_german_sentence_with_area_and_amount(reference, seed):
    result = plan(reference, seed, 1, "ausgleich")
    children, _ = seed_state(seed, BEFORE_SUMMER_2024)
    monsheim = seed["kitas"].loc[seed["kitas"]["gemeinde_rs"].str.startswith("073315003"), "kinder"].sum()
    assert children["073315003"] == monsheim  # the number in the sentence is the seed's
    assert result.steps[0].begruendung == f"0,5 VZÄ → VG Monsheim: keine Versorgung, {monsheim} Kita-Kinder."


# --- positions and after-coverage -----------------------------------------------------------------


def test_planned_positions_are_valid_unique_real_and_cover_the_area(reference, seed):
    result = plan(reference, seed, 3, "ausgleich")
    positions = result.positions
    assert not set(positions["id"]) & set(seed["fachkraefte"]["id"])
    assert positions["id"].is_unique
    assert (positions["vze"] <= 1.0).all() and not positions["demo"].any()
    assert positions["bezeichnung"].str.endswith("(geplant)").all()
    assert (positions["beginn"] == BEFORE_SUMMER_2024).all()
    texts = positions.map(lambda v: "" if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v)))
    validate_table("fachkraefte", texts, "Planung")  # raises on any problem
    per_area = positions.groupby("gebiet_rs")["vze"].sum().to_dict()
    assert per_area == pytest.approx(result.added_per_area())
    monsheim = result.after.set_index("gebiet_rs").loc["073315003"]
    assert result.before.set_index("gebiet_rs").loc["073315003", "klasse"] == NONE
    assert monsheim["vze"] == per_area["073315003"]
    expected = coverage_at(
        BEFORE_SUMMER_2024, reference.areas, seed["kitas"], pd.concat([seed["fachkraefte"], positions]), THRESHOLD
    )
    pd.testing.assert_frame_equal(result.after, expected)


def test_compare_plans_shows_difference_per_area(reference, seed):
    a = plan(reference, seed, 3, "ausgleich")
    b = plan(reference, seed, 3, "ausgleich", overrides={1: "073310003"})
    table = planning.compare_plans(a, b, "Nach Regel", "Alzey zuerst").set_index("gebiet_rs")
    difference = "Unterschied VZÄ geplant (Alzey zuerst − Nach Regel)"
    assert table[difference].sum() == pytest.approx(0)
    assert table.loc["073310003", difference] == pytest.approx(
        b.added_per_area().get("073310003", 0) - a.added_per_area().get("073310003", 0)
    )
    # the columns name the plans, not "A"/"B"
    assert "VZÄ geplant – Nach Regel" in table.columns and "Versorgung – Alzey zuerst" in table.columns
    english = planning.compare_plans(a, b, "By rule", "Alzey first", "en")
    assert "FTE planned – By rule" in english.columns and "Coverage – Alzey first" in english.columns


# --- scenarios ------------------------------------------------------------------------------------


@pytest.fixture
def store(db_url, reference):
    return Store(db_url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))


def apply(scenarios, name, result, store):
    """Apply as the page does after showing the plan (safe-apply details: tests/test_scenarios.py)."""
    return scenarios.apply(name, result, store, "test", shown_version=store.version(),
                           shown_ids=list(result.positions["id"]), today=dt.date(2024, 1, 1))


def test_scenario_save_list_and_bad_names(store, reference, seed):
    scenarios = Scenarios(store.engine)
    inputs = make_inputs(3, "bedarfsindex", AFTER_SUMMER_2024, ALL_WEIGHTS, {2: "073315003"})
    assert scenarios.save("  Plan   A ", inputs, "test") == "Plan A"
    assert [s.name for s in scenarios.all()] == ["Plan A"]
    assert scenarios.get("Plan A").inputs == inputs  # round trip through JSON
    for bad, message in [("", "Namen"), ("Plan A", "gibt es schon"), ("x" * 81, "zu lang")]:
        with pytest.raises(PlanningError, match=message):
            scenarios.save(bad, inputs, "test")


def test_apply_scenario_writes_positions_once(store, reference, seed):
    scenarios = Scenarios(store.engine)
    inputs = make_inputs(1.5, "ausgleich", dt.date(2025, 1, 1))
    scenarios.save("B", inputs, "test")
    tables = store.read_all()
    result = make_plan(inputs, reference.areas, tables["kitas"], tables["fachkraefte"],
                       tables["gemeinden_kennzahlen"], reference.gemeinden, THRESHOLD, MAX_NEW)
    version = store.version()
    ids = apply(scenarios, "B", result, store)
    stored = store.read("fachkraefte").set_index("id")
    assert set(ids) <= set(stored.index) and stored.loc[ids, "vze"].sum() == pytest.approx(1.5)
    assert store.version() > version
    assert scenarios.get("B").angewendet is not None
    count = len(stored)
    with pytest.raises(PlanningError, match="schon"):
        apply(scenarios, "B", result, store)
    assert len(store.read("fachkraefte")) == count


def test_apply_refuses_a_result_of_other_inputs_and_writes_nothing(store, reference, seed):
    scenarios = Scenarios(store.engine)
    scenarios.save("C", make_inputs(1, "ausgleich", dt.date(2025, 1, 1)), "test")
    other = plan(reference, seed, 2, "ausgleich", beginn=dt.date(2025, 1, 1))
    count = len(store.read("fachkraefte"))
    with pytest.raises(PlanningError, match="nicht zu diesem Szenario"):
        apply(scenarios, "C", other, store)
    assert len(store.read("fachkraefte")) == count and scenarios.get("C").angewendet is None


def test_need_breakdown_shares_sum_to_one_and_weights_mix_them(reference, seed):
    result = plan(reference, seed, 1, "bedarfsindex", weights={**ALL_WEIGHTS, "kinder_u7": 3.0})
    need = result.need.set_index("gebiet_rs")
    for key in ALL_WEIGHTS:
        assert need[key].sum() == pytest.approx(1.0)
    assert need["bedarfsanteil"].sum() == pytest.approx(1.0)
    mixed = (3 * need["kinder_u7"] + need["kinder_buergergeld_u7"] + need["kinder_nichtdeutsch_u7"]
             + need["kita_kinder"]) / 6
    assert need["bedarfsanteil"].to_dict() == pytest.approx(mixed.to_dict())
    children = seed["kitas"].groupby(seed["kitas"]["gemeinde_rs"].str[:9])["kinder"].sum()
    assert need["kita_kinder"].to_dict() == pytest.approx((children / children.sum()).to_dict())
    table = planning.need_table(result.need)
    assert "Bedarfsanteil (%)" in table.columns and table["Bedarfsanteil (%)"].sum() == pytest.approx(100, abs=0.05 * len(table))  # each rounded to 0,1
    assert plan(reference, seed, 1, "ausgleich").need is None


def test_replace_new_plans_the_summer_positions_again_and_compares_with_reality(reference, seed):
    staff = seed["fachkraefte"]
    summer = staff[staff["beginn"] >= AFTER_SUMMER_2024]
    result = make_plan(
        make_inputs(3, "ausgleich", AFTER_SUMMER_2024, replace_new=True), reference.areas, seed["kitas"], staff,
        seed["gemeinden_kennzahlen"], reference.gemeinden, THRESHOLD, MAX_NEW)
    _, fte_before_summer = seed_state(seed, BEFORE_SUMMER_2024)
    assert result.before.set_index("gebiet_rs")["vze"].to_dict() == pytest.approx(fte_before_summer)
    assert result.steps[0].gebiet_rs == "073315003"
    assert set(result.replaced["id"]) == set(summer["id"])
    table = planning.actual_vs_plan(result).set_index("gebiet_rs")
    assert table["VZÄ tatsächlich neu"].sum() == pytest.approx(summer["vze"].sum())
    assert table["VZÄ nach der Regel"].sum() == pytest.approx(3.0)
    assert not set(result.positions["id"]) & set(staff["id"])  # still unique against every position
    assert "kann nicht übernommen werden" in " ".join(planning.summary_lines(result))
    round_trip = planning.PlanInputs.from_dict(result.inputs.to_dict())
    assert round_trip == result.inputs and round_trip.replace_new


def test_a_what_if_scenario_cannot_be_applied(store, reference, seed):
    scenarios = Scenarios(store.engine)
    inputs = make_inputs(1, "ausgleich", AFTER_SUMMER_2024, replace_new=True)
    scenarios.save("Was wäre wenn", inputs, "test")
    tables = store.read_all()
    result = make_plan(inputs, reference.areas, tables["kitas"], tables["fachkraefte"],
                       tables["gemeinden_kennzahlen"], reference.gemeinden, THRESHOLD, MAX_NEW)
    count = len(tables["fachkraefte"])
    with pytest.raises(PlanningError, match="doppelt"):
        apply(scenarios, "Was wäre wenn", result, store)
    assert len(store.read("fachkraefte")) == count
