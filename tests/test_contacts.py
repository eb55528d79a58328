"""Who is responsible: the contact panel for an area, a Gemeinde and a Kita."""

import datetime as dt

import pandas as pd
import pytest

from geo.contacts import build_panel
from geo.coverage import coverage_at, kita_coverage
from tests.conftest import BEFORE_SUMMER_2024


def panel_for(reference, seed, stand, positions=None, **selection):
    positions = seed["fachkraefte"] if positions is None else positions
    coverage = coverage_at(stand, reference.areas, seed["kitas"], positions, 600)
    kitas = kita_coverage(stand, seed["kitas"], positions)
    return build_panel(stand, coverage, kitas, positions, seed["kontakte"], reference.gemeinden, **selection)


def test_area_panel_lists_active_staff_and_all_kitas(reference, seed):
    panel = panel_for(reference, seed, BEFORE_SUMMER_2024, gebiet_rs="073315002")
    expected = seed["fachkraefte"][(seed["fachkraefte"]["gebiet_rs"] == "073315002")
                                   & (seed["fachkraefte"]["beginn"] <= BEFORE_SUMMER_2024)]
    assert sorted(p["id"] for p in panel.fachkraefte) == sorted(expected["id"])
    assert len(panel.kitas) == (seed["kitas"]["gemeinde_rs"].str[:9] == "073315002").sum()
    assert panel.gemeinden == ["Alsheim", "Eich", "Gimbsheim", "Hamm am Rhein", "Mettenheim"]
    assert any(c["name"] == "Katrin Leisenheimer" for c in panel.kontakte)
    assert panel.demo


def test_monsheim_before_summer_2024_has_no_staff(reference, seed):
    panel = panel_for(reference, seed, BEFORE_SUMMER_2024, gebiet_rs="073315003")
    assert panel.fachkraefte == [] and panel.klasse == "keine"
    assert not any(k["versorgt"] for k in panel.kitas)


def test_kita_panel_shows_only_positions_serving_it(reference, seed):
    kitas = seed["kitas"][seed["kitas"]["gemeinde_rs"].str[:9] == "073315002"]
    served, other = kitas.iloc[0], kitas.iloc[1]
    positions = seed["fachkraefte"].copy()
    first = positions.index[positions["gebiet_rs"] == "073315002"][0]
    positions.loc[first, "kitas"] = served["id"]  # this position serves one Kita only
    panel = panel_for(reference, seed, dt.date(2025, 1, 1), positions, gebiet_rs="073315002", kita_id=other["id"])
    assert positions.loc[first, "id"] not in [p["id"] for p in panel.fachkraefte]
    assert [k["id"] for k in panel.kitas] == [other["id"]]
    assert panel.title == other["name"] and other["plz"] in panel.subtitle


def test_gemeinde_panel(reference, seed):
    gemeinde = reference.gemeinden.set_index("gemeinde").loc["Flonheim"]
    panel = panel_for(reference, seed, BEFORE_SUMMER_2024, gebiet_rs=gemeinde["gebiet_rs"],
                      gemeinde_rs=gemeinde["gemeinde_rs"])
    assert panel.title == "Flonheim" and panel.subtitle == "Gemeinde in VG Alzey-Land"
    assert all(k["ort"] == "Flonheim" for k in panel.kitas) and panel.kitas
