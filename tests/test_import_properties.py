"""Property-based tests of the import (Hypothesis): whatever a file holds — blank, partial, duplicate, wide,
mis-encoded or hostile rows, as CSV, xlsx, GeoJSON or GeoPackage, or any bytes at all — reading it ends in a German
message (DataError) or a dry run whose tables are text, and an update never changes what the file does not carry."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datastore import imports, uploads
from datastore.store import ROW_VERSION, Store
from geo.layers import SCHEMAS
from kita.errors import DataError

SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Headers people write, the schema's own names, and noise.
HEADERS = ["ID", "id", "Name", "Name der Einrichtung", "Träger", "Straße", "PLZ", "Ort", "Gemeinde", "Gemeinde-RS",
           "Breite", "Länge", "lat", "lon", "Kinder", "Plätze", "Telefon", "E-Mail", "Web", "Sozialraum", "Beispiel",
           "Stelle", "VZÄ", "Verbandsgemeinde", "Beginn", "Ende", "Status", "Rolle", "Organisation", "Hinweis",
           "Kinder U7", "Quelle", "", "Bemerkung", "=SUMME(A1)", "\ufeffID"]
# Cells that have crashed or fooled importers: formulas, control and bidi characters, NaN words, German numbers,
# dates, keys that almost exist, long text.
HOSTILE = ["", " ", "nan", "NaN", "None", "null", "#NV", "=1+1", "+49 6731 1", "@SUM(A1)", "-1", "0", "1.234", "1,5",
           "50 %", "120", "1234", "49,7", "8.1", "01.08.2025", "2025-08-01", "31.02.2025", "ja", "nein", "x",
           "vielleicht", "55232", "55234", "Alzey", "Flonheim", "Atlantis", "073310003003", "73310003003", "K00300301",
           "K00300301 ", "K-073310003003-01", "Kita\r\nZeile", "a\tb", "\u202eevil", "\x00", "Ä" * 300, "'=x", '"', ";"]
cell = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))


@st.composite
def tables(draw, max_columns: int = 8, max_rows: int = 8) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=12)), min_size=1,
                           max_size=max_columns))
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=max_rows))
    if rows and draw(st.booleans()):
        rows.append(list(draw(st.sampled_from(rows))))  # a duplicate row
    return header, rows


def csv_bytes(header, rows, separator: str, encoding: str) -> bytes:
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    text = "\r\n".join(lines)
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", errors="replace")
    return text.encode(encoding, errors="replace")


def xlsx_bytes(sheets: dict[str, tuple[list, list]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.remove(book.active)
    for number, (title, (header, rows)) in enumerate(sheets.items()):
        sheet = book.create_sheet(re.sub(r"[\\/?*\[\]:]", "", f"{number}{title}")[:31])
        for row in [header, *rows]:  # Excel cannot hold control characters: no workbook has them
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def geojson_bytes(header, rows, with_name: bool) -> bytes:
    features = []
    for row in rows:
        properties = {h or f"f{i}": (row[i] if i < len(row) else None) for i, h in enumerate(header)}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [8.1, 49.74]} if len(row) % 2 else None})
    collection = {"type": "FeatureCollection", "features": features}
    if with_name:
        collection["name"] = "kitas"
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def context(tmp_path_factory, reference):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'p.sqlite'}", gemeinden=reference.gemeinden)
    places = imports.Places(reference.gemeinden, reference.areas, reference.plz, reference.ortsteile)
    current = {name: store.read_for_edit(name) for name in imports.IMPORT_TABLES}
    yield store, places, current
    store.close()


def dry_run_or_message(filename: str, data: bytes, context) -> list[imports.DryRun]:
    """What the Daten page does with a file, for every sheet and table: a German message or dry runs whose
    tables hold only text and numbers."""
    store, places, current = context
    try:
        upload = uploads.read_file(filename, data)
    except DataError as exc:
        assert str(exc.message) and exc.message.key.startswith("upload_") or "Datei" in str(exc.message)
        return []
    results = []
    for sheet in upload.sheet_names():
        assert len(upload.lines[sheet]) == len(upload.sheets[sheet])
        for table in imports.IMPORT_TABLES:
            rows, notes = imports.file_rows(table, upload.sheets[sheet])
            for mode in imports.MODES:
                result = imports.plan(table, rows, places, current[table], store.check, mode=mode,
                                      lines=upload.lines[sheet])
                assert result.summary() and all(isinstance(n, str) for n in notes)
                for frame in (imports.row_table(result), imports.change_table(result),
                              imports.problem_table(result.problems), imports.problem_table(result.warnings)):
                    assert all(isinstance(v, (str, int)) for v in frame.to_numpy().ravel())
                if result.problems:
                    assert not result.changes()
                if mode == "update":
                    assert not result.deletes
                keys = [r.key for r in result.rows if r.outcome in {"new", "changed"}]
                assert len(keys) == len(set(keys)), "one record written twice"
                results.append(result)
    return results


@settings(max_examples=60, **SETTINGS)
@given(table=tables(), separator=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_csv_gives_a_dry_run_or_a_german_message(context, table, separator, encoding):
    dry_run_or_message("datei.csv", csv_bytes(*table, separator, encoding), context)


@settings(max_examples=25, **SETTINGS)
@given(sheets=st.dictionaries(st.text(max_size=10), tables(), min_size=1, max_size=3))
def test_any_workbook_gives_a_dry_run_or_a_german_message(context, sheets):
    dry_run_or_message("datei.xlsx", xlsx_bytes(sheets), context)


@settings(max_examples=30, **SETTINGS)
@given(table=tables(), with_name=st.booleans())
def test_any_geojson_gives_a_dry_run_or_a_german_message(context, table, with_name):
    dry_run_or_message("datei.geojson", geojson_bytes(*table, with_name), context)


@settings(max_examples=10, **SETTINGS)
@given(table=tables(max_columns=5, max_rows=5))
def test_any_geopackage_gives_a_dry_run_or_a_german_message(context, table, tmp_path_factory):
    import geopandas as gpd
    from shapely.geometry import Point

    header, rows = table
    columns = list(dict.fromkeys(h.strip().replace("\x00", "") or "feld" for h in header))
    frame = pd.DataFrame([[str(r[i]).replace("\x00", "") if i < len(r) else "" for i in range(len(columns))]
                          for r in rows], columns=columns)
    layer = gpd.GeoDataFrame(frame, geometry=[Point(8.1, 49.74)] * len(frame), crs="EPSG:4326")
    path = tmp_path_factory.mktemp("gpkg") / "x.gpkg"
    try:
        layer.to_file(path, layer="kitas", driver="GPKG")
    except Exception:  # GDAL refuses some column names: not a file anyone can send
        return
    dry_run_or_message("x.gpkg", path.read_bytes(), context)


@settings(max_examples=80, **SETTINGS)
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(uploads.FILE_TYPES + ["xls", "exe", ""]))
def test_any_bytes_give_a_dry_run_or_a_german_message(context, data, suffix):
    dry_run_or_message(f"datei.{suffix}", data, context)


@settings(max_examples=15, **SETTINGS)
@given(data=st.binary(max_size=3000), prefix=st.sampled_from([b"PK\x03\x04", b"SQLite format 3\x00",
                                                             b'{"type":"FeatureCollection","features":[', b"\xef\xbb\xbf"]))
def test_broken_files_of_each_kind_give_a_german_message(context, data, prefix):
    for suffix in ("xlsx", "gpkg", "geojson", "csv"):
        dry_run_or_message(f"datei.{suffix}", prefix + data, context)


@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_an_update_changes_only_the_columns_and_records_the_file_carries(context, data):
    """An export of some records with some columns, some cells edited: every change is in a carried column of a
    record in the file; nothing is removed."""
    store, places, current = context
    table = data.draw(st.sampled_from(imports.IMPORT_TABLES))
    key = "gemeinde_rs" if table == "gemeinden_kennzahlen" else "id"
    stored = current[table].drop(columns=[ROW_VERSION])
    others = [c.name for c in SCHEMAS[table] if c.name != key]
    columns = [key] + data.draw(st.lists(st.sampled_from(others), unique=True, max_size=len(others)))
    picked = data.draw(st.lists(st.integers(0, len(stored) - 1), min_size=1, max_size=6, unique=True))
    export = imports.export_frame(stored.iloc[picked][columns])
    for _ in range(data.draw(st.integers(0, 4))):
        row = data.draw(st.integers(0, len(export) - 1))
        column = data.draw(st.sampled_from(columns[1:] or [key]))
        if column != key:
            export.iloc[row, export.columns.get_loc(column)] = data.draw(cell)
    csv = export.to_csv(index=False, sep=";").encode("utf-8")
    try:
        upload = uploads.read_file("x.csv", csv)
    except DataError:  # an edited cell made the file unreadable (a NUL byte): refused as a whole, nothing changes
        return
    rows, _ = imports.file_rows(table, upload.sheets[""])
    result = imports.plan(table, rows, places, current[table], store.check)
    assert not result.deletes and not result.added
    assert {c[1] for c in result.changed} <= set(columns) | ({"lage_ungefaehr"} if {"lat", "lon"} <= set(columns) else set())
    assert {c[0] for c in result.changed} <= set(export[key])
