"""Import of messy spreadsheets: encodings, separators, German headers, derived Gemeinde and location,
the dry run's added/changed/removed and problems by row and column; export that imports back unchanged."""

import io

import pandas as pd
import pytest

from datastore import imports
from datastore.editing import describe, editor_changes
from datastore.store import ROW_VERSION, Store
from kita.errors import DataError

MESSY = (
    "Name der Einrichtung;Träger;Straße;PLZ;Ort;Anzahl Kinder;Telefon;E-Mail\n"
    "Kita Sonnenschein;Gemeinde Flonheim;Hauptstr. 1;55237;Flonheim;45;06734 1234;kita@flonheim.example\n"
    "Kita Regenbogen;Ev. Kirche;Am Markt 2;55234;Framersheim;1.020;0 67 33/99;keine-mail\n"
)


@pytest.fixture
def places(reference):
    return imports.Places(reference.gemeinden, reference.areas, reference.plz, reference.ortsteile)


@pytest.fixture
def store(db_url, reference):
    store = Store(db_url, gemeinden=reference.gemeinden)
    yield store
    store.close()


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_in_every_encoding_and_separator(encoding, bom, separator):
    text = MESSY.replace(";", separator)
    if separator == ",":
        text = text.replace("Hauptstr. 1", "Hauptstr. 1").replace("1.020", "1020")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    frame, notes = imports.read_upload("kitas.csv", data)
    assert list(frame.columns)[:2] == ["Name der Einrichtung", "Träger"]  # no BOM in the first header (D7)
    assert frame.iloc[0]["Träger"] == "Gemeinde Flonheim" and len(frame) == 2
    assert any("Trennzeichen" in n for n in notes)


def test_headers_mapped_and_gemeinde_location_and_ids_derived(places, store):
    raw, _ = imports.read_upload("kitas.csv", MESSY.encode("cp1252"))
    prepared, notes = imports.prepare("kitas", raw, places, store.read("kitas"))
    first = prepared.iloc[0]
    assert first["name"] == "Kita Sonnenschein" and first["ort"] == "Flonheim"
    flonheim = places.gemeinden.set_index("gemeinde").loc["Flonheim", "gemeinde_rs"]
    assert first["gemeinde_rs"] == flonheim and first["lage_ungefaehr"] == "ja" and first["lat"]
    assert first["id"].startswith("K") and prepared["id"].nunique() == 2
    assert prepared.iloc[1]["kinder"] == "1020"  # German thousands separator
    assert any("Lage ungefähr" in n for n in notes) and any("„Name der Einrichtung“ → Name" in n for n in notes)


def test_dry_run_lists_problems_by_row_and_column_and_changes(places, store):
    raw, _ = imports.read_upload("kitas.csv", MESSY.encode("utf-8"))
    current = store.read("kitas")
    prepared, _ = imports.prepare("kitas", raw, places, current)
    result = imports.dry_run("kitas", prepared, current, store.check)
    assert [(p.row, p.column) for p in result.problems] == [(3, "E-Mail")]
    assert "keine gültige E-Mail" in result.problems[0].message
    prepared.loc[1, "email"] = "kita@framersheim.example"  # fixed in the preview
    result = imports.dry_run("kitas", prepared, current, store.check)
    assert not result.problems and len(result.added) == 2 and len(result.removed) == len(current)
    before = len(current)
    group = store.save_changes("kitas", result.changes(store.read_for_edit("kitas"), remove=False), who="Anna",
                               expected_version=store.version())
    assert len(store.read("kitas")) == before + 2
    store.undo_group(group, who="Anna")
    assert len(store.read("kitas")) == before


def test_changed_rows_and_stale_dry_run(places, store):
    current = store.read_for_edit("kitas")
    file_rows = current.drop(columns=[ROW_VERSION]).head(3).copy()
    old_phone = file_rows.loc[0, "telefon"]  # the seed's demo number (or none)
    file_rows.loc[0, "telefon"] = "06731 555"
    data = imports.csv_bytes(file_rows)
    raw, _ = imports.read_upload("export.csv", data)
    prepared, _ = imports.prepare("kitas", raw, places, current)
    result = imports.dry_run("kitas", prepared, current.drop(columns=[ROW_VERSION]), store.check)
    assert result.changed == [(file_rows.iloc[0]["id"], "Telefon", old_phone, "06731 555")] and result.unchanged == 2
    shown = store.version()
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"hinweis": "zwischendurch"}, who="Berta")
    with pytest.raises(DataError, match="seit dem Probelauf"):
        store.save_changes("kitas", result.changes(current, remove=False), who="Anna", expected_version=shown)
    assert store.read("kitas").iloc[0]["telefon"] == current.iloc[0]["telefon"]


def test_positions_from_german_spreadsheet(places, store):
    text = ("Stelle;Stellenanteil;Verbandsgemeinde;Beginn;Ende;Status\n"
            "Kita-Sozialarbeit Monsheim;50 %;VG Monsheim;01.08.2025;;geplant\n"
            "Kita-Sozialarbeit Eich;0,75;Eich;1.9.2025;31.08.2024;besetzt\n")
    raw, _ = imports.read_upload("stellen.csv", text.encode("utf-8"))
    prepared, _ = imports.prepare("fachkraefte", raw, places, store.read("fachkraefte"))
    assert list(prepared["gebiet_rs"]) == ["073315003", "073315002"] and prepared.iloc[0]["vze"] == "0.5"
    result = imports.dry_run("fachkraefte", prepared, store.read("fachkraefte"), store.check)
    assert [(p.row, p.column) for p in result.problems] == [(3, "Ende")]
    assert result.rows.iloc[0]["besetzt"] is False or not result.rows.iloc[0]["besetzt"]


def test_excel_and_geopackage_round_trip(places, store):
    tables = store.read_all()
    book = imports.excel_bytes(tables)
    raw = pd.read_excel(io.BytesIO(book), sheet_name="Kitas", dtype=str, keep_default_na=False)
    assert len(raw) == len(tables["kitas"])
    frame, _ = imports.read_upload("alle.xlsx", book)
    prepared, _ = imports.prepare("kitas", frame, places, tables["kitas"])
    result = imports.dry_run("kitas", prepared, tables["kitas"], store.check)
    assert not result.problems and not result.added and not result.changed
    gpkg = imports.geopackage_bytes(tables)
    for name in ["kitas", "fachkraefte"]:
        frame, notes = imports.read_upload("alle.gpkg", gpkg, name)
        prepared, _ = imports.prepare(name, frame, places, tables[name])
        result = imports.dry_run(name, prepared, tables[name], store.check)
        assert not result.problems and not result.changed and not result.added, name


def test_export_cells_are_formula_neutral_and_import_back(places, store):
    row = store.read("kitas").iloc[0].to_dict()
    frame = pd.DataFrame([row | {"name": '=HYPERLINK("http://evil.example","x")', "telefon": "+49 6731 1"}])
    csv_text = imports.csv_bytes(frame).decode("utf-8-sig")
    assert ';"\'=HYPERLINK' in csv_text and ";'+49 6731 1" in csv_text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(imports.excel_bytes({"kitas": frame}))).active
    assert all(cell.data_type == "s" for cells in sheet.iter_rows(min_row=2) for cell in cells if cell.value)
    raw, _ = imports.read_upload("x.csv", csv_text.encode("utf-8"))
    prepared, _ = imports.prepare("kitas", raw, places, store.read("kitas"))
    assert prepared.iloc[0]["telefon"] == "+49 6731 1"


@pytest.mark.parametrize("name,data,message", [
    ("x.exe", b"MZ", "nicht unterstützt"),
    ("x.csv", b"", "leer"),
    ("x.csv", b"a;b\n" + b"\x00" * 20, "nicht wie eine Text"),
    ("x.xlsx", b"PK\x03\x04kaputt", "Excel-Datei ist nicht lesbar"),
    ("x.gpkg", b"SQLite format 3\x00kaputt", "GeoPackage"),
    ("x.geojson", b'{"type": "FeatureCollection", "features": [', "GeoPackage/GeoJSON"),
    ("x.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
    ("x.csv", b"a;b\n" + b"1;2\n" * 6000, "höchstens"),
])
def test_hostile_files_give_german_messages(name, data, message):
    with pytest.raises(DataError, match=message):
        imports.read_upload(name, data)


def test_editor_changes_carry_the_shown_versions(store):
    base = store.read_for_edit("kontakte")
    state = {"edited_rows": {0: {"telefon": "06731 1"}}, "added_rows": [{"id": "n", "rolle": "R", "name": "N"}],
             "deleted_rows": [1]}
    changes = editor_changes("kontakte", base, state)
    assert changes.upserts[0]["telefon"] == "06731 1" and changes.upserts[0][ROW_VERSION] == base.iloc[0][ROW_VERSION]
    assert changes.upserts[1][ROW_VERSION] is None and changes.deletes == [(base.iloc[1]["id"], 1)]
    with pytest.raises(DataError, match="kann nicht geändert werden"):
        editor_changes("kontakte", base, {"edited_rows": {0: {"id": "anders"}}})
    assert describe('{"telefon": "1"}', '{"telefon": "2"}') == "telefon: 1 → 2"
    assert describe(float("nan"), '{"id": "x"}') == "neu: id=x"  # pandas gives NaN for a missing old row


@pytest.mark.parametrize("lang,separator,yes_no", [("de", ";", {"ja", "nein"}), ("en", ",", {"yes", "no"})])
@pytest.mark.parametrize("name", ["kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen"])
def test_export_in_each_language_has_its_separator_and_imports_back(places, store, name, lang, separator, yes_no):
    """German Excel wants ';', English Excel ',' (the decimal point of the stored numbers fits English); a share
    like 0.194 is not read as German thousands on the way back."""
    import csv

    table = store.read_for_edit(name)
    data = imports.csv_bytes(table, lang)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=separator))
    assert rows[0] == [c for c in table.columns if c != ROW_VERSION] and all(len(r) == len(rows[0]) for r in rows)
    cells = {column: [row[i] for row in rows[1:]] for i, column in enumerate(rows[0])}
    assert set(cells["demo"]) <= yes_no
    if name == "fachkraefte":
        assert all(cell.replace(".", "", 1).isdigit() for cell in cells["vze"]) and "1.0" in cells["vze"]
    raw, notes = imports.read_upload(f"{name}.csv", data)
    assert f"Trennzeichen: {separator}" in notes
    prepared, _ = imports.prepare(name, raw, places, table.drop(columns=[ROW_VERSION]))
    result = imports.dry_run(name, prepared, table.drop(columns=[ROW_VERSION]), store.check)
    assert not result.problems and not result.added and not result.changed and not result.removed


def test_english_excel_export_names_sheets_in_english_and_imports_back(places, store):
    from openpyxl import load_workbook

    tables = store.read_all()
    book = imports.excel_bytes(tables, "en")
    sheets = load_workbook(io.BytesIO(book))
    assert sheets.sheetnames == [imports.table_title(name, "en") for name in tables]
    assert "Fachkräfte" not in sheets.sheetnames and {c.value for c in sheets.worksheets[0]["Q"][1:]} <= {"yes", "no"}
    frame, _ = imports.read_upload("all.xlsx", book)
    prepared, _ = imports.prepare("kitas", frame, places, tables["kitas"])
    result = imports.dry_run("kitas", prepared, tables["kitas"], store.check)
    assert not result.problems and not result.added and not result.changed


def test_english_preview_fills_english_words_and_the_dry_run_reads_them(places, store):
    """A coordinator with the UI in English: English headers (the editor's field titles) are recognised, and the
    words the import fills into the preview are English."""
    raw, _ = imports.read_upload("kitas.csv", MESSY.encode("utf-8"))
    prepared, _ = imports.prepare("kitas", raw, places, store.read("kitas"), lang="en")
    assert set(prepared["lage_ungefaehr"]) == {"yes"}
    positions = ("Title;FTE;Verbandsgemeinde;Start;End;Status\n"
                 "Kita-Sozialarbeit Monsheim;0.5;VG Monsheim;2025-08-01;;open\n"
                 "Kita-Sozialarbeit Eich;0.75;Eich;2025-09-01;;filled\n")
    raw, _ = imports.read_upload("positions.csv", positions.encode("utf-8"))
    current = store.read("fachkraefte")
    prepared, _ = imports.prepare("fachkraefte", raw, places, current, lang="en")
    assert list(prepared["besetzt"]) == ["no", "yes"]
    result = imports.dry_run("fachkraefte", prepared, current, store.check)
    assert not result.problems
    assert list(result.rows["besetzt"]) == [False, True]
