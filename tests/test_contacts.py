"""Who is responsible: the parents' card and the coordinators' panel for an area, a Gemeinde and a Kita."""

import datetime as dt

import pandas as pd

from kita.contacts import build_panel, parent_card
from kita.coverage import coverage_at, kita_coverage
from kita.text import phone_link
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024


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


def card_for(reference, seed, stand, positions=None, kitas=None, contacts=None, **selection):
    positions = seed["fachkraefte"] if positions is None else positions
    kitas = kita_coverage(stand, seed["kitas"] if kitas is None else kitas, positions)
    contacts = seed["kontakte"] if contacts is None else contacts
    return parent_card(stand, kitas, positions, contacts, reference.gemeinden, reference.areas, **selection)


def test_parent_card_names_the_ortsteil_with_its_gemeinde_and_whom_to_call(reference, seed):
    alzey = "073310003003"
    card = card_for(reference, seed, AFTER_SUMMER_2024, gebiet_rs=alzey[:9], gemeinde_rs=alzey, ortsteil="Dautenheim")
    assert card.title == "Dautenheim, Stadt Alzey"
    english = card_for(reference, seed, AFTER_SUMMER_2024, gebiet_rs=alzey[:9], gemeinde_rs=alzey, ortsteil="Dautenheim",
                       lang="en")
    assert english.title == "Dautenheim, town of Alzey" and english.staff == card.staff
    serving = {pid for ids in kita_coverage(AFTER_SUMMER_2024, seed["kitas"], seed["fachkraefte"])
               .query("gemeinde_rs == @alzey")["fachkraefte"] for pid in ids}
    assert {p["id"] for p in card.staff} == serving and serving
    assert all({"bezeichnung", "telefon", "email", "demo"} <= set(p) for p in card.staff)
    assert not any("vze" in p or "kinder" in p for p in card.staff)  # no figures on the parents' card
    assert [c["id"] for c in card.coordination] == ["koordination"]  # not "ask your Kita"


def test_parent_card_for_a_kita_has_its_phone_and_only_its_staff(reference, seed):
    kitas = seed["kitas"].copy()
    target = kitas.index[kitas["gemeinde_rs"].str.startswith("073315002")][0]
    kitas.loc[target, "telefon"] = "06246 1234"
    kita = kitas.loc[target]
    positions = seed["fachkraefte"].copy()
    first = positions.index[positions["gebiet_rs"] == "073315002"][0]
    positions.loc[first, "kitas"] = "K-ANDERE"  # serves another Kita only
    card = card_for(reference, seed, AFTER_SUMMER_2024, positions, kitas, gebiet_rs="073315002", kita_id=kita["id"])
    assert card.title == kita["name"] and card.kita["telefon"] == "06246 1234"
    assert positions.loc[first, "id"] not in {p["id"] for p in card.staff}
    assert card.subtitle.endswith("VG Eich") and kita["plz"] in card.subtitle


def test_parent_card_where_no_staff_serve(reference, seed):
    monsheim = reference.gemeinden.set_index("gemeinde").loc["Monsheim"]
    card = card_for(reference, seed, BEFORE_SUMMER_2024, gebiet_rs=monsheim["gebiet_rs"],
                    gemeinde_rs=monsheim["gemeinde_rs"])
    assert card.staff == [] and card.coordination
    assert card.title == "Monsheim" and card.subtitle == "VG Monsheim"


def test_phone_links_dial_from_any_phone():
    assert phone_link("06731 408-123") == "[06731 408\\-123](tel:+496731408123)"
    assert phone_link("+49 6731 4080").endswith("(tel:+4967314080)")
    assert phone_link("bitte anrufen") == "bitte anrufen" and phone_link("") == ""
    assert "tel:" not in phone_link("<a href=x>0</a>")


def test_planned_position_reaches_parents_only_once_filled(reference, seed):
    """A position from an applied plan is planned (besetzt false): the card shows it once the Daten page marks
    it filled."""
    positions = seed["fachkraefte"].copy()
    planned = {"id": "F500399", "bezeichnung": "Kita-Sozialarbeit VG Monsheim, Stelle 9 (geplant)", "vze": 1.0,
               "telefon": "", "email": "", "gebiet_rs": "073315003", "kitas": "", "beginn": dt.date(2024, 1, 1),
               "ende": None, "demo": False, "besetzt": False}
    positions = pd.concat([positions, pd.DataFrame([planned])], ignore_index=True)

    def staff_ids(frame):
        card = parent_card(AFTER_SUMMER_2024, kita_coverage(AFTER_SUMMER_2024, seed["kitas"], frame), frame,
                           seed["kontakte"], reference.gemeinden, reference.areas, gebiet_rs="073315003")
        return {person["id"] for person in card.staff}

    assert "F500399" not in staff_ids(positions)
    positions.loc[positions["id"] == "F500399", "besetzt"] = True
    assert "F500399" in staff_ids(positions)


def test_shipped_contact_texts_in_each_language_a_rewritten_note_as_written(seed):
    from kita import i18n
    from kita.contacts import contact_in_language

    row = seed["kontakte"].set_index("id").loc["koordination"].to_dict() | {"id": "koordination"}
    for lang in i18n.LANGUAGES:
        shown = contact_in_language(row, lang)
        assert shown["hinweis"] == i18n.text("contact_note_koordination", lang)
        assert shown["rolle"] == i18n.text("contact_role_koordination", lang)
        assert shown["name"] == "Katrin Leisenheimer" and shown["organisation"] == row["organisation"]
    assert contact_in_language(row, "en")["hinweis"].startswith("Information on Kita social work")
    own = row | {"hinweis": "Sprechzeiten Mo–Fr 8–12 Uhr"}
    assert contact_in_language(own, "ar")["hinweis"] == "Sprechzeiten Mo–Fr 8–12 Uhr"
