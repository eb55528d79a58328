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
    assert len(at.get("download_button")) == 4  # CSV and Excel, twice


def test_before_summer_2024_monsheim_has_no_coverage(app, seed):
    at = app(page=PAGE).run()
    at.radio(key="stand").set_value("vor Sommer 2024").run()
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
    at.radio(key="stand").set_value("anderes Datum").run()
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
