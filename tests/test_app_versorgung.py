"""AppTest of the coordinators' page "Versorgung": dates, figures, comparison, bad input."""

from __future__ import annotations

import datetime as dt

PAGE = "pages/versorgung.py"


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_default_shows_table_maps_and_downloads(app):
    at = app(page=PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Versorgung mit Kita-Sozialarbeit"
    assert any(s.value.startswith("Versorgung je Gebiet am ") for s in at.header)
    table = at.dataframe[0].value
    assert len(table) == 7 and "Kita-Kinder je VZÄ" in table.columns
    assert len(at.get("component_instance")) == 3  # map + before + after
    assert len(at.get("download_button")) == 8  # CSV and Excel: table, comparison, over time, Kitas


def test_before_summer_2024_monsheim_has_no_coverage(app, seed):
    at = app(page=PAGE).run()
    at.radio(key="stand").set_value("vor-sommer-2024").run()
    assert not at.exception
    assert any(s.value == "Versorgung je Gebiet am 31.07.2024" for s in at.header)
    table = at.dataframe[0].value.set_index("Gebiet")
    assert table.loc["VG Monsheim", "Versorgung"] == "keine Versorgung"
    assert metric(at, "keine Versorgung") == "1"
    monsheim_kitas = seed["kitas"]["gemeinde_rs"].str.startswith("073315003").sum()
    assert metric(at, "Kitas ohne Kita-Sozialarbeit") == str(monsheim_kitas)


def test_comparison_reports_the_summer_additions(app, seed):
    at = app(page=PAGE).run()
    staff = seed["fachkraefte"]
    summer = staff[staff["beginn"] == dt.date(2024, 8, 1)]
    text = "\n".join(m.value for m in at.markdown)
    expected = f"{summer['vze'].sum():.2f}".replace(".", ",")
    assert f"Vom 31.07.2024 zum 01.08.2024: {expected} VZÄ Änderung, in {summer['gebiet_rs'].nunique()} Gebiet(en)" in text
    change = at.dataframe[2].value.set_index("Gebiet")
    assert change.loc["VG Monsheim", "Änderung VZÄ"] == 1.0


def test_date_outside_the_data_gives_message_and_no_table(app):
    at = app(page=PAGE).run()
    at.radio(key="stand").set_value("anderes-datum").run()
    at.date_input(key="stand_datum").set_value(dt.date(2019, 1, 1)).run()
    assert not at.exception
    assert any("keine Daten" in e.value for e in at.error)
    assert not at.dataframe


def test_indicator_layer_with_fixed_bounds_and_bad_bounds(app):
    at = app(page=PAGE).run()
    at.selectbox(key="kennzahl").set_value("anteil_buergergeld_u7").run()
    at.radio(key="schema").set_value("fixed").run()
    assert not at.exception and not at.error
    assert any("Schätzungen" in c.value for c in at.caption)
    at.text_input(key="schwellen_anteil_buergergeld_u7").input("viel; wenig").run()
    assert not at.exception
    assert any("keine Zahlen" in e.value for e in at.error)


def test_before_later_than_after_is_refused_with_a_message(app):
    at = app(page=PAGE).run()
    at.radio(key="vorher").set_value("nach-sommer-2024").run()
    at.radio(key="nachher").set_value("vor-sommer-2024").run()
    assert not at.exception
    # the message is escaped for Markdown (kita.text.md): compare the text a reader sees
    assert any("„Vorher“ (01.08.2024) liegt nach „Nachher“ (31.07.2024)" in e.value.replace("\\", "") for e in at.error)
    assert not any("Änderung VZÄ" in d.value.columns for d in at.dataframe)  # no comparison with a negative step


def test_fixed_bounds_with_german_thousands_are_accepted(app):
    at = app(page=PAGE).run()
    at.selectbox(key="kennzahl").set_value("kinder_pro_vze").run()
    at.radio(key="schema").set_value("fixed").run()
    at.text_input(key="schwellen_kinder_pro_vze").input("400; 600; 1.000").run()
    assert not at.exception and not at.error
    assert at.query_params["schwellen"] == "400; 600; 1.000"


def test_view_in_the_url_round_trip(app):
    at = app(page=PAGE).run()
    at.radio(key="stand").set_value("vor-sommer-2024").run()
    at.radio(key="nachher").set_value("anderes-datum").run()
    at.date_input(key="nachher_datum").set_value(dt.date(2025, 3, 1)).run()
    at.selectbox(key="kennzahl").set_value("kinder_pro_vze").run()
    at.radio(key="schema").set_value("quantiles").run()
    assert not at.exception
    query = dict(at.query_params)
    assert query == {"stand": "vor-sommer-2024", "vorher": "vor-sommer-2024", "nachher": "2025-03-01",
                     "kennzahl": "kinder_pro_vze", "klassen": "quantiles"}
    shared = app(page=PAGE, query={**query, "lang": "en"}).run()  # someone opens the link
    assert not shared.exception
    assert shared.radio(key="stand").value == "vor-sommer-2024"
    assert shared.radio(key="nachher").value == "anderes-datum"
    assert shared.date_input(key="nachher_datum").value == dt.date(2025, 3, 1)
    assert shared.selectbox(key="kennzahl").value == "kinder_pro_vze"
    assert shared.radio(key="schema").value == "quantiles"
    assert shared.query_params["lang"] == "en"  # the language stays in the link


def test_view_survives_a_page_change(app):
    at = app(page=PAGE).run()
    at.radio(key="stand").set_value("vor-sommer-2024").run()
    at.selectbox(key="kennzahl").set_value("vze").run()
    at.switch_page("pages/ueber.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.radio(key="stand").value == "vor-sommer-2024"
    assert at.selectbox(key="kennzahl").value == "vze"


def test_bad_link_values_are_ignored_with_a_warning(app):
    at = app(page=PAGE, query={"stand": "gestern", "kennzahl": "<b>x</b>"}).run()
    assert not at.exception
    assert at.radio(key="stand").value == "heute"
    assert any("kein Datum" in w.value for w in at.warning)
    assert any("unbekannten Wert" in w.value for w in at.warning)


def test_coverage_over_time_and_per_kita_table(app, seed):
    at = app(page=PAGE).run()
    series = next(d.value for d in at.dataframe if "Stichtag" in d.value.columns)
    first = min(seed["fachkraefte"]["beginn"])
    assert series["Stichtag"].min() == (first if first.day == 1 else None)
    assert series.groupby("Stichtag").size().eq(7).all()
    monsheim = series[series["Gebiet"] == "VG Monsheim"].set_index("Stichtag")
    assert monsheim.loc[dt.date(2024, 7, 1), "Versorgung"] == "keine Versorgung"
    assert monsheim.loc[dt.date(2024, 8, 1), "VZÄ"] > 0  # the summer-2024 step
    at.radio(key="stand").set_value("vor-sommer-2024").run()
    assert not at.exception
    at.checkbox(key="kita_ohne").check().run()
    assert not at.exception
    kitas = next(d.value for d in at.dataframe if "betreut von" in d.value.columns)
    expected = seed["kitas"]["gemeinde_rs"].str.startswith("073315003").sum()
    assert len(kitas) == expected and set(kitas["betreut von"]) == {"ohne"}
    at.checkbox(key="kita_ohne").uncheck().run()
    assert not at.exception
    at.text_input(key="kita_suche").input("woellstein").run()  # a filtered table: its export has its own title
    assert not at.exception
    kitas = next(d.value for d in at.dataframe if "betreut von" in d.value.columns)
    text = kitas["Kita"] + " " + kitas["Gemeinde"] + " " + kitas["betreut von"]
    assert len(kitas) > 0 and text.str.contains("Wöllstein").all()


def test_whole_page_in_english(app):
    from tests.ui_language import german_left, shown_texts

    at = app(page=PAGE, query={"lang": "en"}).run()
    assert not at.exception
    # some of everything: the view with an indicator layer, fixed classes and a comparison
    at.selectbox(key="kennzahl").set_value("anteil_buergergeld_u7").run()
    at.radio(key="schema").set_value("fixed").run()
    assert not at.exception
    shown = shown_texts(at)
    assert any(s.startswith("Coverage per area on ") for s in shown)
    assert "Kita children per FTE" in at.dataframe[0].value.columns
    assert "before summer 2024" in at.radio(key="vorher").options
    assert not german_left(at), german_left(at)
    # the check itself finds German: the same page in German
    german = app(page=PAGE).run()
    assert "Versorgung je Gebiet am" in " ".join(german_left(german))


def test_area_choices_say_their_empty_state_in_german(app):
    """No English "Choose options" in an empty multiselect."""
    at = app(page=PAGE).run()
    for key in ("verlauf_gebiete", "kita_gebiete"):
        assert at.multiselect(key=key).proto.placeholder == "Alle Gebiete – zum Eingrenzen wählen"
