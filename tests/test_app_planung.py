"""AppTest of the page "Planung": a plan, overrides, bad input, scenarios saved, compared and applied."""

from __future__ import annotations

import datetime as dt

from datastore.scenarios import Scenarios
from kita import i18n
from datastore.store import Store
from tests.conftest import log_in

PAGE = "pages/planung.py"


def steps(at):
    return next(d.value for d in at.dataframe if "von Hand" in d.value.columns)


def positions_in_db(db_url):
    return Store(db_url).read("fachkraefte")


def planned_before_summer(app):
    at = log_in(app(page=PAGE)).run()
    at.date_input(key="beginn").set_value(dt.date(2024, 7, 31)).run()
    return at


def test_default_plan_has_six_explained_steps(app):
    at = app(page=PAGE).run()
    assert not at.exception and not at.error
    table = steps(at)
    assert len(table) == 6 and table["VZÄ"].sum() == 3.0
    sentences = [line for m in at.markdown for line in m.value.replace("\\", "").splitlines()
                 if " VZÄ → " in line]
    assert [s.split(". ", 1)[0] for s in sentences] == [str(n) for n in range(1, 7)]
    assert all(s.split(". ", 1)[1].startswith(f"0,5 VZÄ → {area}:") for s, area in zip(sentences, table["Gebiet"]))
    assert len(at.get("component_instance")) == 2
    assert len(at.get("download_button")) == 3


def test_each_rule_plans_three_fte(app):
    at = planned_before_summer(app)
    for rule in ["ausgleich", "unversorgte_zuerst", "bedarfsindex"]:
        at.radio(key="regel").set_value(rule).run()
        assert not at.exception and not at.error
        table = steps(at)
        assert table["VZÄ"].sum() == 3.0
        assert table.iloc[0]["Gebiet"] == "VG Monsheim"  # no staff before summer 2024: every rule starts there
    after = next(d.value for d in at.dataframe if "Versorgung nachher" in d.value.columns).set_index("Gebiet")
    assert after.loc["VG Monsheim", "Versorgung vorher"] == "keine Versorgung"
    assert after.loc["VG Monsheim", "Versorgung nachher"] != "keine Versorgung"


def test_override_a_step(app):
    at = planned_before_summer(app)
    at.selectbox(key="ueb_schritt").set_value(1)
    at.selectbox(key="ueb_gebiet").set_value("073310003")
    at.button(key="ueb_festlegen").click().run()
    assert not at.exception
    table = steps(at)
    assert table.iloc[0]["Gebiet"] == "Stadt Alzey" and table.iloc[0]["von Hand"]
    assert table.iloc[1]["Gebiet"] == "VG Monsheim"  # recomputed after the override
    at.button(key="ueb_aufheben").click().run()
    assert steps(at).iloc[0]["Gebiet"] == "VG Monsheim"


def test_bad_inputs_give_german_messages_and_write_nothing(app, db_url):
    at = app(page=PAGE).run()
    count = len(positions_in_db(db_url))
    for value, word in [("-1", "negativ"), ("2,3", "Vielfaches"), ("500", "höchstens"), ("1.5", "Meinten Sie „1,5“"),
                        ("drei", "keine Zahl")]:
        at.text_input(key="n_vze").input(value).run()
        assert not at.exception
        assert any(word in e.value for e in at.error), [e.value for e in at.error]
        assert not at.dataframe
    at.text_input(key="n_vze").input("3").run()
    at.radio(key="regel").set_value("bedarfsindex").run()
    for key in ["kinder_u7", "kinder_buergergeld_u7", "kinder_nichtdeutsch_u7", "kita_kinder"]:
        at.text_input(key=f"gewicht_{key}").input("0")
    at.run()
    assert any("ergeben zusammen 0" in e.value for e in at.error)
    at.date_input(key="beginn").set_value(dt.date(2005, 1, 1)).run()
    assert any("keine Daten" in e.value for e in at.error)
    assert len(positions_in_db(db_url)) == count
    assert Scenarios(Store(db_url).engine).all() == []


def test_save_compare_and_apply_scenarios(app, db_url):
    at = planned_before_summer(app)
    at.text_input(key="szenario_name").input("Ausgleich 3").run()
    at.button(key="szenario_speichern").click().run()
    assert any("gespeichert" in s.value for s in at.success)
    at.button(key="szenario_speichern").click().run()
    assert any("gibt es schon" in e.value for e in at.error)

    at.radio(key="regel").set_value("unversorgte_zuerst").run()
    at.text_input(key="szenario_name").input("Unversorgte 3").run()
    at.button(key="szenario_speichern").click().run()
    assert not at.exception
    comparison = at.dataframe[-2].value  # the comparison table before the positions preview
    first, second = at.selectbox(key="vergleich_a").value, at.selectbox(key="vergleich_b").value
    difference = f"Unterschied VZÄ geplant ({second} − {first})"
    assert difference in comparison.columns and comparison[difference].sum() == 0
    assert f"Versorgung – {first}" in comparison.columns  # columns named by the scenarios, not "A"/"B"

    count = len(positions_in_db(db_url))
    at.selectbox(key="uebernehmen_name").set_value("Unversorgte 3").run()
    preview = at.dataframe[-1].value
    assert preview["VZÄ"].sum() == 3.0 and preview["Bezeichnung"].str.endswith("(geplant)").all()
    assert at.button(key="uebernehmen").disabled  # not confirmed yet
    assert len(positions_in_db(db_url)) == count
    version = Store(db_url).version()
    # the start (31.07.2024) lies in the past: a second, explicit confirmation is needed
    at.checkbox(key=f"bestaetigt_Unversorgte 3_{version}").check().run()
    assert any("Vergangenheit" in w.value for w in at.warning)
    assert at.button(key="uebernehmen").disabled
    at.checkbox(key=f"vergangenheit_Unversorgte 3_{version}").check().run()
    at.button(key="uebernehmen").click().run()
    assert not at.exception
    assert any("übernommen" in s.value for s in at.success)
    stored = positions_in_db(db_url)
    assert len(stored) == count + len(preview)
    new = stored[stored["id"].isin(preview["Stellen-ID"])]
    assert new["vze"].sum() == 3.0 and not new["demo"].any() and not new["besetzt"].any()
    assert any("wurde am" in i.value for i in at.info)  # applied scenario can't be applied again
    log = Store(db_url).change_log(tabelle="fachkraefte")
    assert set(log["wer"].head(len(preview))) == {"Anna Koordination"}
    assert log["hinweis"].head(len(preview)).str.contains("Vergangenheit").all()


def test_missing_indicator_blocks_the_need_index_with_the_gemeinde_named(app, db_url, reference, seed):
    store = Store(db_url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))
    row = seed["gemeinden_kennzahlen"].set_index("gemeinde").loc["Flonheim"].to_dict()
    store.save_row("gemeinden_kennzahlen", {**row, "gemeinde": "Flonheim", "anteil_buergergeld_u7": ""}, "test")
    at = app(page=PAGE).run()
    at.radio(key="regel").set_value("bedarfsindex").run()
    assert not at.exception
    assert any("Flonheim" in e.value and "Bürgergeld" in e.value for e in at.error)
    at.text_input(key="gewicht_kinder_buergergeld_u7").input("0").run()
    assert not at.error and len(steps(at)) == 6


def test_delete_a_saved_scenario(app, db_url):
    at = log_in(app(page=PAGE)).run()
    at.text_input(key="szenario_name").input("Weg damit").run()
    at.button(key="szenario_speichern").click().run()
    at.button(key="szenario_loeschen_frage").click().run()
    assert any("wirklich löschen" in w.value for w in at.warning)
    assert len(Scenarios(Store(db_url).engine).all()) == 1  # asked, not yet deleted
    at.button(key="szenario_loeschen_abbrechen").click().run()
    assert len(Scenarios(Store(db_url).engine).all()) == 1 and not at.button(key="szenario_loeschen_frage").disabled
    at.button(key="szenario_loeschen_frage").click().run()
    at.button(key="szenario_loeschen").click().run()
    assert any("gelöscht" in s.value for s in at.success)
    assert Scenarios(Store(db_url).engine).all() == []
    log = Store(db_url).change_log(tabelle="planung_szenarien")
    assert list(log["wer"]) == ["Anna Koordination"] * 2 and set(log["datensatz"]) == {"Weg damit"}


def test_long_scenario_name_is_refused_not_cut(app, db_url):
    at = log_in(app(page=PAGE)).run()
    long_name = "Plan für den Jugendhilfeausschuss " * 3  # 102 characters
    at.text_input(key="szenario_name").input(long_name).run()
    at.button(key="szenario_speichern").click().run()
    assert any("zu lang" in e.value and "101 Zeichen, höchstens 80" in e.value for e in at.error)
    assert Scenarios(Store(db_url).engine).all() == []
    at.text_input(key="szenario_name").input(long_name[:80]).run()
    at.button(key="szenario_speichern").click().run()
    assert [s.name for s in Scenarios(Store(db_url).engine).all()] == [long_name[:80].strip()]


def test_whole_page_in_english_for_a_coordinator(app, db_url):
    from tests.ui_language import german_left

    at = log_in(app(page=PAGE, query={"lang": "en"})).run()
    assert not at.exception
    for name in ("By need", "Uncovered first"):
        at.text_input(key="szenario_name").input(name).run()
        at.button(key="szenario_speichern").click().run()
        at.radio(key="regel").set_value("bedarfsindex").run()
    at.text_input(key="gewicht_kinder_buergergeld_u7").input("0").run()
    at.button(key="szenario_loeschen_frage").click().run()
    assert not at.exception
    assert any(h.value == "Scenarios" for h in at.header)
    assert any("Step" in d.value.columns and "Area" in d.value.columns for d in at.dataframe)
    assert any("→" in m.value and "FTE" in m.value for m in at.markdown)  # the steps' reasons
    assert not german_left(at), german_left(at)


def test_what_if_for_summer_2024_shows_rule_versus_reality(app, seed):
    at = app(page=PAGE).run()
    at.date_input(key="beginn").set_value(dt.date(2024, 8, 1))
    at.checkbox(key="ersetzen").check().run()
    assert not at.exception and not at.error
    assert any(s.value == "Regel und Wirklichkeit" for s in at.subheader)
    table = next(d.value for d in at.dataframe if "VZÄ tatsächlich neu" in d.value.columns)
    staff = seed["fachkraefte"]
    assert table["VZÄ tatsächlich neu"].sum() == staff.loc[staff["beginn"] >= dt.date(2024, 8, 1), "vze"].sum()
    assert steps(at).iloc[0]["Gebiet"] == "VG Monsheim"


def test_second_tab_cannot_apply_a_plan_shown_on_older_data(app, db_url):
    """Two tabs show plans for confirmation; tab 1 applies; tab 2's click (without reload) writes nothing:
    its confirmation was shown on data that have changed since."""
    tab1 = log_in(app(page=PAGE)).run()
    for name in ["Plan A", "Plan B"]:
        tab1.text_input(key="szenario_name").input(name).run()
        tab1.button(key="szenario_speichern").click().run()
    tab2 = log_in(app(page=PAGE), "Berta Zweittab").run()
    version = Store(db_url).version()
    tab2.selectbox(key="uebernehmen_name").set_value("Plan B").run()
    tab2.checkbox(key=f"bestaetigt_Plan B_{version}").check().run()
    assert not tab2.button(key="uebernehmen").disabled

    tab1.selectbox(key="uebernehmen_name").set_value("Plan A").run()
    tab1.checkbox(key=f"bestaetigt_Plan A_{version}").check().run()
    tab1.button(key="uebernehmen").click().run()
    assert any("übernommen" in s.value for s in tab1.success)
    count = len(positions_in_db(db_url))

    tab2.button(key="uebernehmen").click().run()
    assert not tab2.exception
    assert any("seit der letzten Anzeige geändert" in w.value for w in tab2.warning)
    assert not any("übernommen:" in x.value for x in tab2.success)
    assert len(positions_in_db(db_url)) == count
    assert Scenarios(Store(db_url).engine).get("Plan B").angewendet is None


def test_german_numbers_and_quarter_steps_match_the_summer_2024_addition(app, seed):
    at = app(page=PAGE).run()
    at.text_input(key="n_vze").input("1,50").run()
    assert not at.exception and not at.error
    assert at.text_input(key="n_vze").value == "1,5"  # echoed back in the same format
    assert len(steps(at)) == 3 and steps(at)["VZÄ"].sum() == 1.5
    staff = seed["fachkraefte"]
    real = staff.loc[staff["beginn"] >= dt.date(2024, 8, 1), "vze"].sum()
    typed = f"{real:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    at.date_input(key="beginn").set_value(dt.date(2024, 8, 1))
    at.checkbox(key="ersetzen").check()
    at.text_input(key="n_vze").input(typed).run()
    if round(real / 0.5) * 0.5 != real:  # not a multiple of 0,5: the default step refuses it, 0,25 takes it
        assert any("Vielfaches" in e.value for e in at.error)
    at.selectbox(key="schritt").set_value(0.25).run()
    assert not at.exception and not at.error
    assert len(steps(at)) == round(real / 0.25)
    table = next(d.value for d in at.dataframe if "VZÄ tatsächlich neu" in d.value.columns)
    assert table["VZÄ nach der Regel"].sum() == table["VZÄ tatsächlich neu"].sum() == real  # like for like


def test_plan_view_in_the_url_round_trip_and_across_pages(app):
    at = planned_before_summer(app)
    at.text_input(key="n_vze").input("2,5").run()
    at.radio(key="regel").set_value("unversorgte_zuerst").run()
    at.selectbox(key="ueb_schritt").set_value(2)
    at.selectbox(key="ueb_gebiet").set_value("073310003")
    at.button(key="ueb_festlegen").click().run()
    assert not at.exception
    query = dict(at.query_params)
    assert query == {"n": "2.5", "schritt": "0.5", "regel": "unversorgte_zuerst", "beginn": "2024-07-31",
                     "hand": "2:073310003"}
    at.switch_page("pages/ueber.py").run()
    at.switch_page(PAGE).run()  # back again: the same plan
    assert at.text_input(key="n_vze").value == "2,5" and at.radio(key="regel").value == "unversorgte_zuerst"
    assert steps(at).iloc[1]["Gebiet"] == "Stadt Alzey" and steps(at).iloc[1]["von Hand"]

    shared = app(page=PAGE, query=query).run()  # someone else opens the link
    assert not shared.exception
    assert shared.text_input(key="n_vze").value == "2,5"
    assert shared.date_input(key="beginn").value == dt.date(2024, 7, 31)
    assert steps(shared)["VZÄ"].sum() == 2.5
    assert list(steps(shared)["Gebiet"]) == list(steps(at)["Gebiet"])
    bad = app(page=PAGE, query={"hand": "1:999", "n": "viel"}).run()
    assert not bad.exception
    assert any("ungültige Festlegungen" in w.value for w in bad.warning)
    assert any("keine Zahl" in w.value for w in bad.warning)


def test_saving_another_scenario_keeps_the_confirmation_and_raises_no_data_warning(app, db_url):
    """A scenario's save is in the change log but changes no data: no "Daten wurden geändert", the ticked
    confirmation stays."""
    at = log_in(app(page=PAGE)).run()
    at.text_input(key="szenario_name").input("Plan A").run()
    at.button(key="szenario_speichern").click().run()
    at.selectbox(key="uebernehmen_name").set_value("Plan A").run()
    version = Store(db_url).version()
    at.checkbox(key=f"bestaetigt_Plan A_{version}").check().run()
    at.text_input(key="szenario_name").input("Plan B").run()
    at.button(key="szenario_speichern").click().run()
    assert not at.exception
    assert Store(db_url).version() == version
    stale = i18n.text("scenario_data_changed")
    assert not any(stale in w.value for w in at.warning)
    assert at.checkbox(key=f"bestaetigt_Plan A_{version}").value
    assert list(Store(db_url).change_log(tabelle="planung_szenarien")["datensatz"]) == ["Plan B", "Plan A"]
