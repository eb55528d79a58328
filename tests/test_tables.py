"""Exports: CSV for German Excel, .xlsx, and the one-page plan summary (escaped HTML)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from kita.coverage import coverage_at, rule_text
from kita.planning import make_inputs, make_plan, rule_explanation
from reports import tables
from tests.conftest import BEFORE_SUMMER_2024


def coverage(reference, seed):
    return coverage_at(BEFORE_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)


def test_csv_is_excel_friendly_and_leaves_no_staff_empty(reference, seed):
    data = tables.csv_bytes(tables.coverage_table(coverage(reference, seed)))
    assert data.startswith("\ufeff".encode("utf-8"))
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns)[:4] == ["Gebiet", "Gebietsschlüssel", "VZÄ", "Stellen"]  # the key stays in a file
    monsheim = frame.set_index("Gebiet").loc["VG Monsheim"]
    assert monsheim["Kita-Kinder je VZÄ"] == ""  # no staff: no number, not "inf"
    assert "inf" not in data.decode("utf-8-sig")
    alzey_land = frame.set_index("Gebiet").loc["VG Alzey-Land"]
    assert float(alzey_land["VZÄ"]) == 1.25 and "1,25" in data.decode("utf-8-sig")
    assert "Kita" in monsheim["Kitas ohne Kita-Sozialarbeit"]  # Monsheim's Kitas have nobody before summer 2024


def test_excel_has_one_sheet_per_table_with_values(reference, seed):
    table = tables.coverage_table(coverage(reference, seed))
    book = load_workbook(io.BytesIO(tables.excel_bytes({"Versorgung": table, "Zweite": table.head(2)})))
    assert book.sheetnames == ["Versorgung", "Zweite"]
    sheet = book["Versorgung"]
    assert [c.value for c in sheet[1]][:3] == ["Gebiet", "Gebietsschlüssel", "VZÄ"]
    assert sheet.max_row == len(table) + 1
    values = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=2)}
    assert values == dict(zip(table["Gebiet"], table["VZÄ"]))


def test_plan_summary_escapes_every_text(reference, seed):
    areas = reference.areas.copy()
    areas.loc[areas["gebiet_rs"] == "073315003", "gebiet"] = "<script>alert(1)</script> & Co"
    result = make_plan(make_inputs(1, "ausgleich", BEFORE_SUMMER_2024), areas, seed["kitas"], seed["fachkraefte"],
                       seed["gemeinden_kennzahlen"], reference.gemeinden, 600, 20)
    html = tables.plan_html(result, rule_text(600), rule_explanation("ausgleich", 600), True, dt.datetime(2025, 3, 1, 9, 30))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "0,5 VZÄ → &lt;script&gt;" in html  # the step sentence, escaped
    assert "Beispieldaten" in html and "01.03.2025 09:30" in html
    assert html.count("<table>") == 2


def test_plan_steps_csv_says_ja_nein_for_manual_steps(reference, seed):
    result = make_plan(make_inputs(1, "ausgleich", BEFORE_SUMMER_2024, overrides={2: "073310003"}), reference.areas,
                       seed["kitas"], seed["fachkraefte"], seed["gemeinden_kennzahlen"], reference.gemeinden, 600, 20)
    frame = pd.read_csv(io.BytesIO(tables.csv_bytes(result.steps_table())), sep=";", encoding="utf-8-sig")
    assert list(frame["von Hand"]) == ["nein", "ja"]
    assert list(frame["Gebiet"]) == ["VG Monsheim", "Stadt Alzey"]


def test_format_number_is_german_and_dashes_missing_values():
    assert [tables.format_number(v) for v in [1020.8, 0.75, 2.0, 1234, float("inf"), None, float("nan")]] == [
        "1.020,8", "0,75", "2", "1.234", "–", "–", "–"]


def test_german_style_shows_dashes_but_keeps_numbers_that_sort_by_meaning(reference, seed):
    table = tables.coverage_table(coverage(reference, seed))
    styled = tables.german_style(table)
    data = styled.data.set_index("Gebiet")
    column = data["Kita-Kinder je VZÄ"]
    assert column.dtype.kind == "f"  # a number column: the table widget sorts it as numbers, right-aligned
    # no staff is the largest need: it sorts first in descending order, not alphabetically between numbers
    assert column.sort_values(ascending=False).index[0] == "VG Monsheim"
    assert list(column.sort_values().dropna().index[:-1]) == list(column[column != float("inf")].sort_values().index)
    html = styled.to_html()
    alzey_land = table.set_index("Gebiet").loc["VG Alzey-Land", "Kita-Kinder je VZÄ"]
    assert tables.format_number(alzey_land) in html and "1,25" in html
    assert html.count(">–<") >= 2  # Monsheim: Kitas and children per VZÄ
    assert "inf" not in html


def test_files_stand_alone_with_date_rule_threshold_data_stand_and_source(reference, seed):
    from kita.coverage import rule_text

    info = tables.ExportInfo("Versorgung je Gebiet", "31.07.2024", rule_text(750), 750, "letzte Änderung 01.03.2025 09:30",
                             tables.source_text(True, reference.attribution, "2017-03"))
    table = tables.coverage_table(coverage(reference, seed))
    text = tables.csv_bytes(table, info).decode("utf-8-sig")
    head = dict(line.split(";", 1) for line in text.split("\r\n\r\n")[0].split("\r\n"))
    assert head["Stichtag"] == "31.07.2024" and "750" in head["Regel Versorgung"]
    assert head["Schwelle unterversorgt"] == "mehr als 750 Kita-Kinder je VZÄ"
    assert head["Datenstand"] == "letzte Änderung 01.03.2025 09:30"
    assert "Beispieldaten" in head["Quelle"] and "GeoBasis-DE" in head["Quelle"]
    frame = tables.read_export_csv(tables.csv_bytes(table, info)).set_index("Gebietsschlüssel")
    assert frame.loc["073315001", "VZÄ"] == "1,25" and len(frame) == 7

    book = load_workbook(io.BytesIO(tables.excel_bytes({"Versorgung": table}, info)))
    assert book.sheetnames == ["Versorgung", "Angaben"]
    angaben = {row[0].value: row[1].value for row in book["Angaben"].iter_rows(min_row=2)}
    assert angaben["Stichtag"] == "31.07.2024" and angaben["Datenstand"].startswith("letzte Änderung")
    sheet = book["Versorgung"]
    header = [c.value for c in sheet[1]]
    formats = {name: sheet.cell(row=2, column=i + 1).number_format for i, name in enumerate(header)}
    assert formats["VZÄ"] == "#,##0.00" and formats["Kita-Kinder je VZÄ"] == "#,##0.0"
    assert formats["Kitas"] == "#,##0" and formats["Gebiet"] == "General"


def test_plan_sheets_have_german_titles_and_dates_without_time(reference, seed):
    result = make_plan(make_inputs(1, "ausgleich", BEFORE_SUMMER_2024), reference.areas, seed["kitas"],
                       seed["fachkraefte"], seed["gemeinden_kennzahlen"], reference.gemeinden, 600, 20)
    book = load_workbook(io.BytesIO(tables.excel_bytes({"Neue Stellen": result.positions})))
    sheet = book["Neue Stellen"]
    header = [c.value for c in sheet[1]]
    assert "Stellen-ID" in header and "Beginn" in header and "bezeichnung" not in header
    cell = sheet.cell(row=2, column=header.index("Beginn") + 1)
    assert cell.number_format == "DD.MM.YYYY" and cell.value.date() == BEFORE_SUMMER_2024
    csv_text = tables.csv_bytes(result.positions).decode("utf-8-sig")
    assert "31.07.2024" in csv_text and "00:00" not in csv_text


def test_english_files_have_english_titles_sheets_and_header_block(reference, seed):
    info = tables.ExportInfo("Coverage per area", "31 Jul 2024", rule_text(750, "en"), 750, "last changed 1 Mar 2025 09:30",
                             tables.source_text(True, reference.attribution, "2017-03", "en"), lang="en")
    table = tables.coverage_table(coverage(reference, seed), "en")
    text = tables.csv_bytes(table, info).decode("utf-8-sig")
    # English Excel: ',' between fields and a decimal point (German: ';' and a decimal comma)
    head = dict(next(csv.reader([line])) for line in text.split("\r\n\r\n")[0].split("\r\n"))
    assert head["Reference date"] == "31 Jul 2024" and "750" in head["Coverage rule"]
    assert head["Under-served threshold"] == "more than 750 Kita children per FTE"
    assert "sample data" in head["Source"] and "Beispieldaten" not in text
    rows = list(csv.reader(io.StringIO(text.split("\r\n\r\n", 1)[1], newline="")))
    assert rows[0][:4] == ["Area", "Area key", "FTE", "Positions"] and all(len(row) == len(rows[0]) for row in rows)
    frame = tables.read_export_csv(tables.csv_bytes(table, info), "en")
    assert list(frame.columns)[:4] == ["Area", "Area key", "FTE", "Positions"]  # the key stays in a file
    assert frame.set_index("Area key").loc["073315001", "FTE"] == "1.25"
    numbers = pd.read_csv(io.StringIO(text.split("\r\n\r\n", 1)[1]), sep=",").set_index("Area key")
    assert numbers.loc[73315001, "FTE"] == 1.25 and numbers["Kita children per FTE"].dtype == float
    book = load_workbook(io.BytesIO(tables.excel_bytes({"Coverage": table}, info)))
    assert book.sheetnames == ["Coverage", "About"]
    assert [c.value for c in book["About"][1]] == ["Item", "Value"]
    sheet = book["Coverage"]
    header = [c.value for c in sheet[1]]
    formats = {name: sheet.cell(row=2, column=i + 1).number_format for i, name in enumerate(header)}
    assert formats["FTE"] == "#,##0.00" and formats["Kita children per FTE"] == "#,##0.0"
    classes = {sheet.cell(row=r, column=header.index("Coverage") + 1).value for r in range(2, sheet.max_row + 1)}
    assert classes <= {"no coverage", "under-served", "covered"} and "no coverage" in classes


def test_english_csv_numbers_and_dates_read_in_any_locale(reference, seed):
    result = make_plan(make_inputs(1, "ausgleich", BEFORE_SUMMER_2024), reference.areas, seed["kitas"],
                       seed["fachkraefte"], seed["gemeinden_kennzahlen"], reference.gemeinden, 600, 20, "en")
    info = tables.ExportInfo("Plan", "31 Jul 2024", rule_text(600, "en"), 600, "–", "–", lang="en")
    positions = tables.read_export_csv(tables.csv_bytes(result.positions, info), "en")
    assert positions.iloc[0]["Start"] == "2024-07-31" and positions.iloc[0]["FTE"] in {"0.5", "1"}
    assert tables.csv_dialect("en") == (",", ".") and tables.csv_dialect("de") == (";", ",")
    steps = tables.csv_bytes(pd.DataFrame({"Kita": ["=1+1"], "FTE": [0.25]}), info).decode("utf-8-sig")
    assert steps.endswith("'=1+1,0.25\r\n")  # formula text stays neutral with the English separator


def test_english_plan_summary_and_steps(reference, seed):
    result = make_plan(make_inputs(1, "ausgleich", BEFORE_SUMMER_2024), reference.areas, seed["kitas"],
                       seed["fachkraefte"], seed["gemeinden_kennzahlen"], reference.gemeinden, 600, 20, "en")
    html = tables.plan_html(result, rule_text(600, "en"), rule_explanation("ausgleich", 600, "en"), True,
                            dt.datetime(2025, 3, 1, 9, 30))
    assert '<html lang="en">' in html and "Kita social work plan: 1.0 new FTE" in html
    assert "<h2>Steps</h2>" in html and "Sample data" in html and "Beispieldaten" not in html
    assert list(result.steps_table().columns) == ["Step", "Area", "FTE", "FTE before", "FTE after", "by hand", "Reason"]
    assert "FTE →" in result.steps[0].begruendung and "VZÄ" not in result.steps[0].begruendung
