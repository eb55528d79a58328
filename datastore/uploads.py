"""Reading an uploaded file into text cells, within limits that hold while reading: bytes, rows, columns, cells,
sheets, unpacked size and time. Any byte sequence ends in an :class:`Upload` or a DataError with a German message.

CSV (UTF-8, UTF-8 with BOM, UTF-16, Windows-1252; comma, semicolon or tab) is read row by row with ``csv``;
Excel (.xlsx) with openpyxl in read-only mode, the sheet's declared size checked before any row is read and
every row cut at the column limit; GeoJSON with ``json`` and shapely (no GDAL: also a FeatureCollection without a
``name``); GeoPackage with pyogrio after its layer sizes are checked. Every sheet or layer is kept, so the page
can offer a choice, and the whole result is parsed once per upload (the page keeps it by the file's hash).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kita import csvfile
from kita.constants import OUTPUT_CRS
from kita.errors import DataError
from kita.i18n import Message

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml (MB)
MAX_ROWS = 5000  # data rows per sheet
MAX_COLUMNS = 100  # per sheet: the widest table has 18 columns, an export adds none
MAX_CELLS = 500_000  # over all sheets of a workbook
MAX_SHEETS = 50
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # an .xlsx is a zip: its parts unpacked (a zip bomb is refused)
MAX_SECONDS = 20.0  # reading one file
MAX_JSON_DEPTH = 64
FILE_TYPES = ["csv", "txt", "xlsx", "gpkg", "geojson", "json"]


@dataclass
class Upload:
    """A file read into text cells: one table per sheet or layer (a CSV: one, named ""), in the file's order;
    ``notes`` say how it was read, ``lines`` hold each kept row's line in the file (header = 1)."""

    name: str
    kind: str  # csv, excel, geojson, gpkg
    digest: str
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)

    def sheet_names(self) -> list[str]:
        return list(self.sheets)


def digest(data: bytes) -> str:
    """The file's identity for keeping its parsed form (SHA-256)."""
    return hashlib.sha256(data).hexdigest()


class _Clock:
    """The time limit of one read, checked between rows."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise DataError(Message("upload_too_slow", s=int(MAX_SECONDS)))


def read_file(filename: str, data: bytes) -> Upload:
    """Every sheet/layer of the file as text cells (blank rows dropped), or DataError with a German message."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DataError(Message("upload_too_big", mb=len(data) // 1024 // 1024, max=MAX_UPLOAD_BYTES // 1024 // 1024))
    if not data.strip():
        raise DataError(Message("upload_empty"))
    suffix = Path(str(filename)).suffix.lower().lstrip(".")
    upload = Upload(str(filename)[:200], suffix, digest(data))
    clock = _Clock(MAX_SECONDS)
    if suffix in {"csv", "txt"}:
        upload.kind = "csv"
        _read_csv(data, upload, clock)
    elif suffix in {"xlsx", "xlsm"}:
        upload.kind = "excel"
        _read_excel(data, upload, clock)
    elif suffix in {"geojson", "json"}:
        upload.kind = "geojson"
        _read_geojson(data, upload, clock)
    elif suffix == "gpkg":
        upload.kind = "gpkg"
        _read_gpkg(data, upload, clock)
    elif suffix == "xls":
        raise DataError(Message("upload_old_excel"))
    else:
        raise DataError(Message("upload_file_type", typ=suffix[:10]))
    if not any(len(frame) for frame in upload.sheets.values()):
        raise DataError(Message("upload_no_rows"))
    return upload


def _add_table(upload: Upload, name: str, header: list, rows: list[list], lines: list[int]) -> None:
    """Text cells under cleaned headers (BOM and spaces removed, a blank header named by its position, a repeated
    one numbered); blank rows dropped."""
    columns, seen = [], set()
    for position, title in enumerate(header, start=1):
        title = _cell(title).replace("\ufeff", "").strip() or f"Spalte {position}"
        base, n = title, 2
        while title in seen:
            title, n = f"{base} ({n})", n + 1
        seen.add(title)
        columns.append(title)
    kept, kept_lines = [], []
    for row, line in zip(rows, lines):
        cells = [_cell(v) for v in row[:len(columns)]] + [""] * (len(columns) - len(row))
        if any(c.strip() for c in cells):
            kept.append(cells)
            kept_lines.append(line)
    upload.sheets[name] = pd.DataFrame(kept, columns=columns, dtype=object) if columns else pd.DataFrame()
    upload.lines[name] = kept_lines


def _cell(value) -> str:
    """A cell as text: None and NaN empty, a whole float without '.0' (Excel stores 45 as 45.0), dates ISO."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    return str(value)


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(data: bytes, upload: Upload, clock: _Clock) -> None:
    text = csvfile.decode(data, Message("upload_the_csv_file"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        upload.notes.append(Message("upload_utf16"))
    elif data.startswith(b"\xef\xbb\xbf"):
        upload.notes.append(Message("upload_utf8_bom"))
    elif any(b > 127 for b in data[:200_000]) and not _is_utf8(data):
        upload.notes.append(Message("upload_cp1252"))
    if "\x00" in text:
        raise DataError(Message("upload_not_text"))
    separator = csvfile.separator(text)
    upload.notes.append(Message("upload_separator", zeichen=Message("upload_tab") if separator == "\t" else separator))
    header: list[str] | None = None
    rows, lines = [], []
    try:
        for line, row in csvfile.rows(text, separator):
            if len(row) > MAX_COLUMNS:
                raise DataError(Message("upload_too_many_columns", n=len(row), max=MAX_COLUMNS))
            if csvfile.blank(row):
                continue
            if header is None:
                header = row
                continue
            if csvfile.extra_cells(row, header):
                raise DataError(Message("upload_csv_row_too_long", zeile=line, n=len(row), kopf=len(header)))
            rows.append(row)
            lines.append(line)
            if len(rows) > MAX_ROWS:
                raise DataError(Message("upload_too_many_rows", n=f"> {MAX_ROWS}", max=MAX_ROWS))
            if len(rows) % 200 == 0:
                clock.check()
    except csvfile.CsvError as exc:
        raise DataError(Message("upload_csv_unreadable", grund=Message(
            "upload_csv_cell_too_long" if exc.field_too_long else "upload_csv_broken", zeile=exc.line))) from exc
    if header is None:
        raise DataError(Message("upload_no_rows"))
    _add_table(upload, "", header, rows, lines)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- Excel ---------------------------------------------------------------------------------------


def _read_excel(data: bytes, upload: Upload, clock: _Clock) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(Message("upload_excel_unreadable", fehler=type(exc).__name__)) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataError(Message("upload_excel_too_big", mb=unpacked // 1024 // 1024, max=MAX_UNPACKED_BYTES // 1024 // 1024))
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it ignores
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken or foreign files
        raise DataError(Message("upload_excel_unreadable", fehler=type(exc).__name__)) from exc
    try:
        sheets = book.worksheets
        if len(sheets) > MAX_SHEETS:
            raise DataError(Message("upload_too_many_sheets", n=len(sheets), max=MAX_SHEETS))
        cells = 0
        for sheet in sheets:
            if not hasattr(sheet, "iter_rows"):  # a chart sheet
                continue
            cells += _read_sheet(sheet, upload, clock, cells)
    except DataError:
        raise
    except Exception as exc:  # a broken part found while reading rows
        raise DataError(Message("upload_excel_unreadable", fehler=type(exc).__name__)) from exc
    finally:
        book.close()
    upload.notes.append(Message("upload_excel_sheets", n=len(upload.sheets)))


def _read_sheet(sheet, upload: Upload, clock: _Clock, cells_before: int) -> int:
    """One worksheet, refused before reading when its declared size is too wide or long, and while reading when a
    row reaches past the column limit (the declared size may be missing or wrong)."""
    declared_columns, declared_rows = sheet.max_column, sheet.max_row  # from <dimension>, no rows read
    name = str(sheet.title)
    if declared_columns and declared_columns > MAX_COLUMNS:
        raise DataError(Message("upload_sheet_too_wide", blatt=name, n=declared_columns, max=MAX_COLUMNS))
    if declared_rows and declared_rows > MAX_ROWS + 50:
        raise DataError(Message("upload_sheet_too_long", blatt=name, n=declared_rows, max=MAX_ROWS))
    if hasattr(sheet, "reset_dimensions"):  # read-only mode stops at the declared last row: a size written too
        sheet.reset_dimensions()            # small (some programs write "A1") must not cut rows off unseen
    header, rows, lines = None, [], []
    cells = cells_before
    for line, row in enumerate(sheet.iter_rows(min_col=1, max_col=MAX_COLUMNS + 1, values_only=True), start=1):
        if line % 200 == 0:
            clock.check()
        if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] not in (None, ""):
            raise DataError(Message("upload_sheet_too_wide", blatt=name, n=f"> {MAX_COLUMNS}", max=MAX_COLUMNS))
        values = list(row[:MAX_COLUMNS])
        while values and values[-1] in (None, ""):
            values.pop()
        if not values:
            if line > MAX_ROWS * 3:
                raise DataError(Message("upload_sheet_too_long", blatt=name, n=f"> {line}", max=MAX_ROWS))
            continue
        if header is None:
            header = values
            continue
        rows.append(values)
        lines.append(line)
        cells += len(values)
        if len(rows) > MAX_ROWS:
            raise DataError(Message("upload_too_many_rows", n=f"> {MAX_ROWS}", max=MAX_ROWS))
        if cells > MAX_CELLS:
            raise DataError(Message("upload_too_many_cells", max=MAX_CELLS))
    _add_table(upload, name, header or [], rows, lines)
    return cells - cells_before


# --- GeoJSON -------------------------------------------------------------------------------------


def _depth(text: str) -> int:
    """Deepest nesting of brackets (a hostile file nests thousands deep to crash a recursive parser)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _read_geojson(data: bytes, upload: Upload, clock: _Clock) -> None:
    from shapely.geometry import shape

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_not_utf8"))) from exc
    if _depth(text) > MAX_JSON_DEPTH:
        raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_too_deep")))
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_not_json"))) from exc
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_no_features")))
    if len(features) > MAX_ROWS:
        raise DataError(Message("upload_too_many_rows", n=len(features), max=MAX_ROWS))
    crs = ((document.get("crs") or {}).get("properties") or {}).get("name") if isinstance(document.get("crs"), dict) else None
    header: list[str] = []
    records, points = [], []
    for number, feature in enumerate(features, start=1):
        if number % 200 == 0:
            clock.check()
        if not isinstance(feature, dict):
            raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_bad_feature", nr=number)))
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_bad_feature", nr=number)))
        for key in properties:
            if str(key) not in header:
                header.append(str(key))
                if len(header) > MAX_COLUMNS:
                    raise DataError(Message("upload_too_many_columns", n=f"> {MAX_COLUMNS}", max=MAX_COLUMNS))
        records.append({str(k): (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
                        for k, v in properties.items()})
        point = None
        geometry = feature.get("geometry")
        if isinstance(geometry, dict):
            try:
                shaped = shape(geometry)
                point = None if shaped.is_empty else shaped.representative_point()
            except Exception:  # an invalid geometry leaves the row without a point (named in the dry run)
                point = None
        points.append(point)
    if len(header) * len(records) > MAX_CELLS:
        raise DataError(Message("upload_too_many_cells", max=MAX_CELLS))
    if any(p is not None for p in points):
        lat_lon = _to_lat_lon(points, crs)
        for record, (lat, lon) in zip(records, lat_lon):
            record["lat"], record["lon"] = lat, lon
        header = [h for h in header if h not in {"lat", "lon"}] + ["lat", "lon"]
        upload.notes.append(Message("upload_coordinates_from_geometry"))
    rows = [[record.get(h) for h in header] for record in records]
    _add_table(upload, "", header, rows, list(range(2, len(rows) + 2)))
    upload.notes.insert(0, Message("upload_gis", art="GeoJSON", n=len(rows)))


def _to_lat_lon(points: list, crs: str | None) -> list[tuple[str, str]]:
    """Latitude/longitude text (EPSG:4326) of shapely points given in ``crs`` (RFC 7946: EPSG:4326 when none)."""
    import geopandas as gpd

    series = gpd.GeoSeries(points, crs=crs or OUTPUT_CRS)
    try:
        series = series.to_crs(OUTPUT_CRS)
    except Exception as exc:  # an unknown CRS name
        raise DataError(Message("upload_geojson_unreadable", grund=Message("upload_geojson_crs"))) from exc
    return [("", "") if p is None or p.is_empty else (f"{p.y:.6f}", f"{p.x:.6f}") for p in series]


# --- GeoPackage ----------------------------------------------------------------------------------


def _read_gpkg(data: bytes, upload: Upload, clock: _Clock) -> None:
    import pyogrio

    try:
        with warnings.catch_warnings():  # GDAL notes that an in-memory file has no .gpkg name
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [str(name) for name, _ in pyogrio.list_layers(io.BytesIO(data))]
            if len(layers) > MAX_SHEETS:
                raise DataError(Message("upload_too_many_sheets", n=len(layers), max=MAX_SHEETS))
            cells = 0
            for layer in layers:
                info = pyogrio.read_info(io.BytesIO(data), layer=layer)
                count, fields = int(info.get("features") or 0), len(info.get("fields", []))
                if fields > MAX_COLUMNS:
                    raise DataError(Message("upload_sheet_too_wide", blatt=layer, n=fields, max=MAX_COLUMNS))
                if count > MAX_ROWS:
                    raise DataError(Message("upload_too_many_rows", n=count, max=MAX_ROWS))
                cells += count * fields
                if cells > MAX_CELLS:
                    raise DataError(Message("upload_too_many_cells", max=MAX_CELLS))
                clock.check()
                frame = pyogrio.read_dataframe(io.BytesIO(data), layer=layer, max_features=MAX_ROWS + 1)
                header = [c for c in frame.columns if c != "geometry"]
                rows = frame[header].astype(object).values.tolist()
                if "geometry" in frame.columns and frame.geometry.notna().any():
                    points = [None if g is None or g.is_empty else g.representative_point() for g in frame.geometry]
                    crs = frame.crs.to_string() if frame.crs is not None else None
                    lat_lon = _to_lat_lon(points, crs)
                    keep = [i for i, h in enumerate(header) if h not in {"lat", "lon"}]
                    header = [header[i] for i in keep] + ["lat", "lon"]
                    rows = [[row[i] for i in keep] + list(pair) for row, pair in zip(rows, lat_lon)]
                _add_table(upload, layer, header, rows, list(range(2, len(rows) + 2)))
    except DataError:
        raise
    except Exception as exc:  # pyogrio raises several types for corrupt files
        raise DataError(Message("upload_gis_unreadable", fehler=type(exc).__name__)) from exc
    upload.notes.insert(0, Message("upload_gis_layers", art="GeoPackage", n=len(layers)))
