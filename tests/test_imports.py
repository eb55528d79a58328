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


def changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[str, str]]:
    """(record, column) of every cell that differs between two reads of a table indexed by key (75 = 75.0)."""
    assert list(before.index) == list(after.index)
    return [(key, column) for key in before.index for column in before.columns
            if imports._differs(before.loc[key, column], after.loc[key, column])]


def dry(name, data, places, store, table="kitas", **options):
    """The dry run of a file as the Daten page makes it."""
    raw, _ = imports.read_upload(name, data, table)
    rows, _ = imports.file_rows(table, raw)
    return imports.plan(table, rows, places, store.read_for_edit(table), store.check, **options)


def test_headers_mapped_and_gemeinde_location_and_ids_derived(places, store):
    raw, _ = imports.read_upload("kitas.csv", MESSY.encode("cp1252"))
    rows, notes = imports.file_rows("kitas", raw)
    assert set(rows.columns) == {"name", "traeger", "strasse", "plz", "ort", "kinder", "telefon", "email"}
    assert any("„Name der Einrichtung“ → Name" in n for n in notes)
    result = imports.plan("kitas", rows, places, store.read_for_edit("kitas"), store.check)
    first = result.typed.iloc[0]
    flonheim = places.gemeinden.set_index("gemeinde").loc["Flonheim", "gemeinde_rs"]
    assert first["name"] == "Kita Sonnenschein" and first["gemeinde_rs"] == flonheim and first["lage_ungefaehr"]
    assert result.typed.iloc[1]["kinder"] == 1020  # German thousands separator
    assert [r.key for r in result.rows] == [f"K-{flonheim}-01", "K-" + result.typed.iloc[1]["gemeinde_rs"] + "-01"]
    assert {r.rule for r in result.rows} == {"new"}
    derived = [str(m) for m in result.rows[0].derived]
    assert derived == ["Gemeinde aus Ort", "Lage ungefähr (Mitte der Gemeinde)", f"ID K-{flonheim}-01 neu vergeben"]


def test_dry_run_lists_problems_by_row_and_column_and_applies_what_it_showed(places, store):
    raw, _ = imports.read_upload("kitas.csv", MESSY.encode("utf-8"))
    rows, _ = imports.file_rows("kitas", raw)
    result = imports.plan("kitas", rows, places, store.read_for_edit("kitas"), store.check)
    assert [(p.row, p.column) for p in result.problems] == [(3, "E-Mail")]
    assert "keine gültige E-Mail" in result.problems[0].message and not result.changes()
    rows.loc[1, "email"] = "kita@framersheim.example"  # fixed in the preview
    result = imports.plan("kitas", rows, places, store.read_for_edit("kitas"), store.check)
    assert not result.problems and len(result.added) == 2 and not result.removed  # an update never removes
    before = store.read("kitas")
    group = store.save_changes("kitas", result.changes(), who="Anna", expected_version=store.version())
    after = store.read("kitas").set_index("id")
    assert len(after) == len(before) + 2
    for row in result.upserts:  # exactly what the dry run showed
        stored = after.loc[row["id"]]
        assert all(imports._to_text(stored[c]) == imports._to_text(row[c]) for c in after.columns), row["id"]
    assert not changed_cells(before.set_index("id"), after.loc[before["id"]])
    store.undo_group(group, who="Anna")
    assert len(store.read("kitas")) == len(before)


def test_id_and_children_for_two_kitas_changes_exactly_two_numbers(places, store):
    before = store.read("kitas")
    first, second = before.iloc[3], before.iloc[7]
    data = f"ID;Kinder\r\n{first['id']};{first['kinder'] + 5}\r\n{second['id']};12\r\n".encode("utf-8")
    result = dry("kinder.csv", data, places, store)
    assert not result.problems and [r.rule for r in result.rows] == ["id", "id"]
    assert result.changed == [(first["id"], "kinder", str(first["kinder"]), str(first["kinder"] + 5)),
                              (second["id"], "kinder", str(second["kinder"]), "12")]
    store.save_changes("kitas", result.changes(), who="Anna", expected_version=store.version())
    after = store.read("kitas")
    assert changed_cells(before.set_index("id"), after.set_index("id")) == [(first["id"], "kinder"),
                                                                            (second["id"], "kinder")]


def test_partial_file_matched_by_name_and_plz_keeps_everything_it_lacks(places, store):
    """The yearly children update: Name, PLZ, Ort, Kinder. Träger, places, phone, coordinates, "Lage ungefähr" and
    the demo flag stay as stored."""
    before = store.read("kitas")
    a, b = before.iloc[0], before.iloc[12]
    data = (f"Name;PLZ;Ort;Kinder\n{a['name']};{a['plz']};{a['ort']};{a['kinder'] + 1}\n"
            f"{b['name']};{b['plz']};{b['ort']};{b['kinder'] + 2}\n").encode("utf-8")
    result = dry("update.csv", data, places, store)
    assert [(r.key, r.rule, r.outcome) for r in result.rows] == [(a["id"], "name_plz", "changed"),
                                                                  (b["id"], "name_plz", "changed")]
    assert {c[1] for c in result.changed} == {"kinder"} and result.field_counts() == {"kinder": 2}
    store.save_changes("kitas", result.changes(), who="Anna", expected_version=store.version())
    after = store.read("kitas").set_index("id")
    assert changed_cells(before.set_index("id"), after) == [(a["id"], "kinder"), (b["id"], "kinder")]


def test_name_and_gemeinde_match_when_the_plz_is_missing(places, store):
    kita = store.read("kitas").iloc[5]
    gemeinde = places.gemeinden.set_index("gemeinde_rs").loc[kita["gemeinde_rs"], "gemeinde"]
    result = dry("x.csv", f"Einrichtung;Gemeinde;Telefon\n{kita['name']};{gemeinde};06731 4711\n".encode(), places, store)
    assert [(r.key, r.rule) for r in result.rows] == [(kita["id"], "name_gemeinde")]
    assert [c[1:] for c in result.changed] == [("telefon", kita["telefon"] or "–", "06731 4711")]


def test_blank_cells_keep_values_in_an_update_and_clear_them_in_a_replacement(places, store):
    kita = store.read("kitas").iloc[2]
    data = f"ID;Träger;Breite;Länge\n{kita['id']};;;\n".encode()
    update = dry("x.csv", data, places, store)
    assert not update.changed and update.unchanged == 1 and "bleiben" in update.notes[0]
    replace = dry("x.csv", data, places, store, mode="replace")
    assert [c[1] for c in replace.changed] == ["traeger"]  # coordinates only move when the file gives them
    assert len(replace.deletes) == len(store.read("kitas")) - 1


def test_coordinates_in_the_file_move_the_point_and_clear_lage_ungefaehr(places, store):
    kita = store.read("kitas").iloc[0]
    data = f"ID;lat;lon\n{kita['id']};{kita['lat'] + 0.0005:.6f};{kita['lon']:.6f}\n".encode()
    result = dry("x.csv", data, places, store)
    assert [c[1] for c in result.changed] == ["lat"] and not result.problems
    far = f"ID;lat;lon\n{kita['id']};49.60;8.35\n".encode()  # in the district, not in its Gemeinde
    assert [p.message.key for p in dry("x.csv", far, places, store).problems] == ["check_point_outside_gemeinde"]


def test_duplicates_are_problems_before_applying(places, store):
    kita = store.read("kitas").iloc[0]
    same_id = f"ID;Kinder\n{kita['id']};10\n{kita['id']};11\n".encode()
    result = dry("x.csv", same_id, places, store)
    assert [p.row for p in result.problems] == [2, 3] and not result.changes()
    assert "Zeilen 2, 3 betreffen denselben Datensatz" in result.problems[0].message
    by_id_and_name = f"ID;Name;PLZ;Kinder\n{kita['id']};;;10\n;{kita['name']};{kita['plz']};11\n".encode()
    assert {p.row for p in dry("x.csv", by_id_and_name, places, store).problems} == {2, 3}
    twice = "Name;Straße;PLZ;Ort;Kinder\nKita Neu;Hauptstr. 1;55232;Alzey;40\nKita neu;Hauptstr. 1;55232;Alzey;40\n"
    result = dry("x.csv", twice.encode(), places, store)
    assert [p.row for p in result.problems] == [2, 3] and "dieselben Angaben" in result.problems[0].message


def test_a_row_without_id_and_place_among_valid_rows_is_a_problem_not_a_crash(places, store):
    data = "\ufeffName;PLZ;Ort;Kinder\nKita Neu;55232;Alzey;40\n;;;12\nKita Zwei;55234;Framersheim;30\n"
    for encoded in (data.encode("utf-8"), data.lstrip("\ufeff").encode("cp1252")):
        result = dry("x.csv", encoded, places, store)
        assert [r.outcome for r in result.rows] == ["new", "problem", "new"] and result.rows[1].key == ""
        assert {p.row for p in result.problems} == {3}
        for table in (imports.row_table(result), imports.change_table(result), imports.problem_table(result.problems)):
            assert all(isinstance(v, (str, int)) for v in table.to_numpy().ravel())


def test_fixing_a_cell_derives_again_and_a_dropped_row_is_not_written(places, store):
    shared = places.plz.groupby("plz")["gemeinde_rs"].nunique()
    plz = shared[shared > 1].index[0]  # a PLZ of several Gemeinden: the place decides
    gemeinde_rs = places.plz[places.plz["plz"] == plz]["gemeinde_rs"].iloc[-1]
    name = places.gemeinden.set_index("gemeinde_rs").loc[gemeinde_rs, "gemeinde"]
    data = f"Name;PLZ;Ort;Kinder\nKita Neu;{plz};Atlantis;40\nKita Zwei;55232;Alzey;30\n"
    raw, _ = imports.read_upload("x.csv", data.encode())
    rows, _ = imports.file_rows("kitas", raw)
    result = imports.plan("kitas", rows, places, store.read_for_edit("kitas"), store.check)
    assert result.rows[0].outcome == "problem" and result.rows[0].key == ""
    rows.loc[0, "ort"] = name  # corrected in the preview: Gemeinde, point and ID follow
    result = imports.plan("kitas", rows, places, store.read_for_edit("kitas"), store.check, keep=[True, False])
    assert result.rows[0].key == f"K-{gemeinde_rs}-01" and result.typed.iloc[0]["gemeinde_rs"] == gemeinde_rs
    assert result.typed.iloc[0]["lage_ungefaehr"] and not result.problems
    assert [r.outcome for r in result.rows] == ["new", "dropped"] and len(result.upserts) == 1


def test_generated_ids_cannot_be_confused_with_existing_ones(places, store):
    existing = set(store.read("kitas")["id"])
    data = "Name;Ort;Kinder\n" + "".join(f"Kita {n};Alzey;10\n" for n in range(3))
    keys = [r.key for r in dry("x.csv", data.encode(), places, store).rows]
    assert keys == ["K-073310003003-01", "K-073310003003-02", "K-073310003003-03"]
    squeezed = {k.replace("-", "").lstrip("K0") for k in keys}
    assert not squeezed & {k.lstrip("K0") for k in existing}


def test_plausibility_warnings_do_not_block(places, store):
    kita = store.read("kitas").iloc[0]
    result = dry("x.csv", f"ID;Kinder;Plätze\n{kita['id']};120;1.234\n".encode(), places, store)
    assert not result.problems and [w.message.key for w in result.warnings] == ["import_warn_more_places",
                                                                                 "import_warn_large"]
    assert result.changes()
    position = store.read("fachkraefte").iloc[0]
    result = dry("x.csv", f"ID;VZÄ\n{position['id']};15\n".encode(), places, store, table="fachkraefte")
    assert {w.message.key for w in result.warnings} == {"import_warn_vze_percent", "import_warn_small_vze"}


def test_changed_rows_and_stale_dry_run(places, store):
    current = store.read_for_edit("kitas")
    file_rows = current.drop(columns=[ROW_VERSION]).head(3).copy()
    old_phone = file_rows.loc[0, "telefon"]  # the seed's demo number (or none)
    file_rows.loc[0, "telefon"] = "06731 555"
    result = dry("export.csv", imports.reimportable_csv(file_rows), places, store)
    assert result.changed == [(file_rows.iloc[0]["id"], "telefon", old_phone or "–", "06731 555")]
    assert result.unchanged == 2
    shown = store.version()
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"hinweis": "zwischendurch"}, who="Berta")
    with pytest.raises(DataError, match="seit dem Probelauf"):
        store.save_changes("kitas", result.changes(), who="Anna", expected_version=shown)
    assert store.read("kitas").iloc[0]["telefon"] == current.iloc[0]["telefon"]


def test_positions_from_german_spreadsheet(places, store):
    text = ("Stelle;Stellenanteil;Verbandsgemeinde;Beginn;Ende;Status\n"
            "Kita-Sozialarbeit Monsheim;50 %;VG Monsheim;01.08.2025;;geplant\n"
            "Kita-Sozialarbeit Eich;0,75;Eich;1.9.2025;31.08.2024;besetzt\n")
    result = dry("stellen.csv", text.encode("utf-8"), places, store, table="fachkraefte")
    assert list(result.typed["gebiet_rs"]) == ["073315003", "073315002"] and result.typed.iloc[0]["vze"] == 0.5
    assert [r.key for r in result.rows] == ["F-073315003-01", "F-073315002-01"]
    assert [(p.row, p.column) for p in result.problems] == [(3, "Ende")]
    assert not result.typed.iloc[0]["besetzt"]


def test_excel_and_geopackage_round_trip_per_sheet(places, store):
    tables = store.read_all()
    book = imports.excel_bytes(tables)
    upload = imports.read_file("alle.xlsx", book)
    assert upload.sheet_names() == [imports.table_title(name) for name in tables]
    gpkg = imports.read_file("alle.gpkg", imports.geopackage_bytes(tables))
    for parsed in (upload, gpkg):
        for name in imports.IMPORT_TABLES:
            sheet = imports.choose_sheet(parsed, name)
            rows, _ = imports.file_rows(name, parsed.sheets[sheet])
            result = imports.plan(name, rows, places, store.read_for_edit(name), store.check)
            assert not result.problems and not result.changed and not result.added, (parsed.kind, name)
            assert result.unchanged == len(tables[name])


def test_plain_geojson_feature_collection_imports(places, store):
    import json

    kita = store.read("kitas").iloc[0]
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ID": kita["id"], "Kinder": int(kita["kinder"]) + 1},
         "geometry": {"type": "Point", "coordinates": [float(kita["lon"]), float(kita["lat"])]}}]}
    result = dry("kitas.geojson", json.dumps(collection).encode(), places, store)
    assert not result.problems and [c[1] for c in result.changed] == ["kinder"]


def test_export_cells_are_formula_neutral_and_import_back(places, store):
    row = store.read("kitas").iloc[0].to_dict()
    frame = pd.DataFrame([row | {"name": '=HYPERLINK("http://evil.example","x")', "telefon": "+49 6731 1"}])
    csv_text = imports.reimportable_csv(frame).decode("utf-8-sig")
    assert ';"\'=HYPERLINK' in csv_text and ";'+49 6731 1" in csv_text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(imports.excel_bytes({"kitas": frame}))).active
    assert all(cell.data_type == "s" for cells in sheet.iter_rows(min_row=2) for cell in cells if cell.value)
    raw, _ = imports.read_upload("x.csv", csv_text.encode("utf-8"))
    rows, _ = imports.file_rows("kitas", raw)
    assert rows.iloc[0]["telefon"] == "+49 6731 1" and rows.iloc[0]["name"].startswith("=HYPERLINK")


@pytest.mark.parametrize("name,data,message", [
    ("x.exe", b"MZ", "nicht unterstützt"),
    ("x.csv", b"", "leer"),
    ("x.csv", b"a;b\n" + b"\x00" * 20, "nicht wie eine Text"),
    ("x.xlsx", b"PK\x03\x04kaputt", "Excel-Datei ist nicht lesbar"),
    ("x.gpkg", b"SQLite format 3\x00kaputt", "GeoPackage"),
    ("x.geojson", b'{"type": "FeatureCollection", "features": [', "GeoJSON-Datei ist nicht lesbar"),
    ("x.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
    ("x.csv", b"a;b\n" + b"1;2\n" * 6000, "höchstens"),
    ("x.csv", b";" * 500 + b"\n", "Spalten; höchstens"),
    ("x.geojson", b"[" * 100_000, "verschachtelt"),
    ("x.json", b'{"type": "Topology"}', "FeatureCollection"),
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
    assert describe('{"demo": true}', '{"demo": false}') == "demo: ja → nein"
    assert describe('{"demo": true}', '{"demo": false}', "en") == "demo: yes → no"


@pytest.mark.parametrize("lang,separator,yes_no", [("de", ";", {"ja", "nein"}), ("en", ",", {"yes", "no"})])
@pytest.mark.parametrize("name", ["kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen"])
def test_export_in_each_language_has_its_separator_and_imports_back(places, store, name, lang, separator, yes_no):
    """German Excel wants ';', English Excel ',' (the decimal point of the stored numbers fits English); a share
    like 0.194 is not read as German thousands on the way back."""
    import csv

    table = store.read_for_edit(name)
    data = imports.reimportable_csv(table, lang)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=separator))
    assert rows[0] == [c for c in table.columns if c != ROW_VERSION] and all(len(r) == len(rows[0]) for r in rows)
    cells = {column: [row[i] for row in rows[1:]] for i, column in enumerate(rows[0])}
    assert set(cells["demo"]) <= yes_no
    if name == "fachkraefte":
        assert all(cell.replace(".", "", 1).isdigit() for cell in cells["vze"]) and "1.0" in cells["vze"]
    raw, notes = imports.read_upload(f"{name}.csv", data)
    assert f"Trennzeichen: {separator}" in notes
    rows, _ = imports.file_rows(name, raw)
    result = imports.plan(name, rows, places, table, store.check)
    assert not result.problems and not result.added and not result.changed and not result.removed


def test_english_excel_export_names_sheets_in_english_and_imports_back(places, store):
    from openpyxl import load_workbook

    tables = store.read_all()
    book = imports.excel_bytes(tables, "en")
    sheets = load_workbook(io.BytesIO(book))
    assert sheets.sheetnames == [imports.table_title(name, "en") for name in tables]
    assert "Fachkräfte" not in sheets.sheetnames and {c.value for c in sheets.worksheets[0]["Q"][1:]} <= {"yes", "no"}
    for name in imports.IMPORT_TABLES:
        frame, _ = imports.read_upload("all.xlsx", book, name)
        rows, _ = imports.file_rows(name, frame)
        result = imports.plan(name, rows, places, store.read_for_edit(name), store.check, lang="en")
        assert not result.problems and not result.added and not result.changed, name


def test_english_headers_and_words_are_read(places, store):
    """A coordinator with the UI in English: English headers (the editor's field titles) and status words are
    recognised; the dry run says its values in English."""
    positions = ("Title;FTE;Verbandsgemeinde;Start;End;Status\n"
                 "Kita-Sozialarbeit Monsheim;0.5;VG Monsheim;2025-08-01;;open\n"
                 "Kita-Sozialarbeit Eich;0.75;Eich;2025-09-01;;filled\n")
    result = dry("positions.csv", positions.encode("utf-8"), places, store, table="fachkraefte", lang="en")
    assert not result.problems
    assert list(result.typed["besetzt"]) == [False, True]
    kita = store.read("kitas").iloc[0]
    result = dry("x.csv", f"ID;Sample data\n{kita['id']};no\n".encode(), places, store, lang="en")
    assert result.changed == [(kita["id"], "demo", "yes", "no")]


def test_a_new_id_for_an_existing_kita_is_a_duplicate_problem(places, store):
    """The same Kita under another (mistyped) ID would be a second Kita: a problem before applying."""
    kita = store.read("kitas").iloc[0]
    data = (f"ID;Name;Straße;PLZ;Ort;Kinder\n{kita['id']}X;{kita['name']};{kita['strasse']};{kita['plz']};"
            f"{kita['ort']};{kita['kinder']}\n").encode()
    result = dry("x.csv", data, places, store)
    assert [p.message.key for p in result.problems] == ["import_duplicate_stored"] and not result.changes()
    assert kita["id"] in result.problems[0].message


def test_a_workbook_with_a_wrong_declared_size_is_read_whole(places, store):
    """openpyxl's read-only mode trusts the sheet's <dimension>: one that says A1:B2 must not cut the rows off."""
    import re
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ID", "Kinder"])
    kitas = store.read("kitas")
    for kita in kitas.head(4).itertuples():
        book.active.append([kita.id, kita.kinder + 1])
    buffer, lying = io.BytesIO(), io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(lying, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content, found = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', content)
                assert found == 1
            target.writestr(info, content)
    result = dry("kinder.xlsx", lying.getvalue(), places, store)
    assert len(result.rows) == 4 and len(result.changed_keys()) == 4


def test_replacing_kitas_names_a_kita_a_position_still_serves(places, store):
    """The store refuses to delete a Kita a position names: the dry run says so first, so it never promises more
    than applying writes."""
    kitas, positions = store.read("kitas"), store.read_for_edit("fachkraefte")
    kept, served = kitas.iloc[0], kitas.iloc[1]["id"]
    position = positions.iloc[0].to_dict() | {"kitas": served}
    store.save_changes("fachkraefte", imports.Changes(upserts=[position]), who="Anna")
    data = f"ID;Kinder\n{kept['id']};{kept['kinder']}\n".encode()
    result = dry("x.csv", data, places, store, mode="replace",
                 served=imports.served_kitas(store.read("fachkraefte")))
    assert [(p.row, p.message.key) for p in result.problems] == [(1, "store_kita_still_served")]
    assert served in result.problems[0].message and not result.changes()
