"""Load and validate the layers: read-only boundaries and PLZ table, and the operational tables
(Kitas, Fachkräfte, Kontakte, Gemeinde-Kennzahlen) from CSV files or the database.

Every problem becomes a message naming file, row and column (a ``kita.i18n.Message``: German as text, said in
the reader's language where shown); nothing is loaded half.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from kita import constants, csvfile, numbers
from kita.constants import METRIC_CRS, OUTPUT_CRS
from kita.errors import DataError
from kita.i18n import N_, Message
from kita.text import sort_key

TRUE_WORDS = {"true", "1", "ja", "wahr", "yes", "x"}
FALSE_WORDS = {"false", "0", "nein", "falsch", "no", ""}
# Bounding box of the district with margin (EPSG:4326, from kreis.toml): catches swapped lat/lon.


# Length limits per kind (characters): long enough for real names and notes, short enough that a
# pasted document or a flood of text is refused with a message.
MAX_LENGTH = {"id": 40, "text": 200, "note": 1000, "email": 120, "phone": 40, "url": 300}
EMAIL_PATTERN = re.compile(r"^[^@\s;,<>\"']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()/.-]{3,}[0-9]$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s<>\"]*)?$")
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")
TEXT_KINDS = {"text", "note", "id", "plz", "rs9", "rs12", "email", "phone", "url"}
COLUMNS_MISSING = N_("check_columns_missing")  # the problem of a table that lacks required columns


# The name of each field on screen and in messages (catalogue ids; the German text is the label of old).
FIELD_IDS = {
    "id": N_("field_id"),
    "name": N_("field_name"),
    "traeger": N_("field_traeger"),
    "strasse": N_("field_strasse"),
    "plz": N_("field_plz"),
    "ort": N_("field_ort"),
    "gemeinde_rs": N_("field_gemeinde_rs"),
    "lat": N_("field_lat"),
    "lon": N_("field_lon"),
    "kinder": N_("field_kinder"),
    "plaetze": N_("field_plaetze"),
    "telefon": N_("field_telefon"),
    "email": N_("field_email"),
    "web": N_("field_web"),
    "sozialraum": N_("field_sozialraum"),
    "interkulturell": N_("field_interkulturell"),
    "demo": N_("field_demo"),
    "lage_ungefaehr": N_("field_lage_ungefaehr"),
    "bezeichnung": N_("field_bezeichnung"),
    "vze": N_("field_vze"),
    "gebiet_rs": N_("field_gebiet_rs"),
    "kitas": N_("field_kitas"),
    "beginn": N_("field_beginn"),
    "ende": N_("field_ende"),
    "besetzt": N_("field_besetzt"),
    "rolle": N_("field_rolle"),
    "organisation": N_("field_organisation"),
    "hinweis": N_("field_hinweis"),
    "gemeinde": N_("field_gemeinde"),
    "kinder_u7": N_("field_kinder_u7"),
    "anteil_buergergeld_u7": N_("field_anteil_buergergeld_u7"),
    "anteil_nichtdeutsche_familiensprache": N_("field_anteil_nichtdeutsche_familiensprache"),
    "quelle": N_("field_quelle"),
}


# The operational tables' names on screen and in messages (catalogue ids).
TABLE_IDS = {"kitas": N_("table_kitas"), "fachkraefte": N_("table_fachkraefte"), "kontakte": N_("table_kontakte"),
             "gemeinden_kennzahlen": N_("table_gemeinden_kennzahlen")}


def field_label(name: str) -> Message | str:
    """A field's name for people (German as text, any language with ``say``); an unknown field's own name."""
    return Message(FIELD_IDS[name]) if name in FIELD_IDS else name


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, note, id, rs9, rs12, plz, int, share, fte, lat, lon, bool, date, email, phone, url
    required: bool = True
    default: object = None  # value of an empty optional cell (None: the kind's empty value)

    @property
    def label(self) -> Message | str:
        """The field's name in messages (catalogue ``field_<name>``)."""
        return field_label(self.name)


@dataclass(frozen=True)
class Problem:
    """One problem of one cell: ``row`` as in the file (header = line 1), ``column`` the field's label (a tuple
    of labels for missing columns), ``message`` a :class:`~kita.i18n.Message`."""

    row: int
    column: Message | str | tuple
    message: Message


SCHEMAS: dict[str, list[Column]] = {
    "kitas": [
        Column("id", "id"),
        Column("name", "text"),
        Column("traeger", "text", False),
        Column("strasse", "text", False),
        Column("plz", "plz"),
        Column("ort", "text"),
        Column("gemeinde_rs", "rs12"),
        Column("lat", "lat"),
        Column("lon", "lon"),
        Column("kinder", "int"),
        Column("plaetze", "int", False),
        Column("telefon", "phone", False),
        Column("email", "email", False),
        Column("web", "url", False),
        Column("sozialraum", "bool", False),
        Column("interkulturell", "bool", False),
        Column("demo", "bool", False),
        # True when the point is the Gemeinde's centre, not the address (import without coordinates)
        Column("lage_ungefaehr", "bool", False),
    ],
    "fachkraefte": [
        Column("id", "id"),
        Column("bezeichnung", "text"),
        Column("vze", "fte"),
        Column("telefon", "phone", False),
        Column("email", "email", False),
        Column("gebiet_rs", "rs9"),
        Column("kitas", "note", False),
        Column("beginn", "date"),
        Column("ende", "date", False),
        Column("demo", "bool", False),
        # False for a planned position (e.g. from an applied plan): parents see it only once filled
        Column("besetzt", "bool", False, default=True),
    ],
    "kontakte": [
        Column("id", "id"),
        Column("rolle", "text"),
        Column("name", "text"),
        Column("organisation", "text", False),
        Column("telefon", "phone", False),
        Column("email", "email", False),
        Column("web", "url", False),
        Column("hinweis", "note", False),
        Column("demo", "bool", False),
    ],
    "gemeinden_kennzahlen": [
        Column("gemeinde_rs", "rs12"),
        Column("gemeinde", "text"),
        Column("kinder_u7", "int"),
        Column("anteil_buergergeld_u7", "share", False),
        Column("anteil_nichtdeutsche_familiensprache", "share", False),
        Column("quelle", "note", False),
        Column("demo", "bool", False),
    ],
}
TABLE_FILES = {name: f"{name}.csv" for name in SCHEMAS}
KEYS = {name: ("gemeinde_rs" if name == "gemeinden_kennzahlen" else "id") for name in SCHEMAS}


# --- reference layers (read-only files) -------------------------------------------------------


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection read with json and shapely, in its CRS (RFC 7946: longitude/latitude, EPSG:4326;
    an old-style ``crs`` member is honoured). Not gpd.read_file: GDAL (pyogrio) would add about 50 MB to every
    app process for a few small files."""
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    crs = ((data.get("crs") or {}).get("properties") or {}).get("name") or "EPSG:4326"
    frame = gpd.GeoDataFrame.from_features(data["features"], crs=crs)
    if "geometry" not in frame:
        raise ValueError("no features")
    return frame[[c for c in frame.columns if c != "geometry"] + ["geometry"]]  # as gpd.read_file orders them


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise DataError(Message("file_boundaries_missing", pfad=_display_path(path)))
    try:
        frame = read_geojson(path)
    except Exception as exc:  # not JSON, not a FeatureCollection, broken geometry
        raise DataError(Message("file_not_geojson", pfad=_display_path(path), fehler=type(exc).__name__)) from exc
    missing = {"RS", "GEN"} - set(frame.columns)
    if missing:
        raise DataError(Message("file_geojson_columns_missing", pfad=_display_path(path), spalten=sorted(missing)))
    frame["RS"] = frame["RS"].astype(str)
    return frame.to_crs(OUTPUT_CRS)


def area_label(gen: str, bez: str) -> str:
    """'VG Eich' for a Verbandsgemeinde, 'Stadt Alzey' for the verbandsfreie Stadt."""
    return f"VG {gen}" if bez == "Verbandsgemeinde" else f"Stadt {gen}"


def load_areas(directory: Path | None = None) -> gpd.GeoDataFrame:
    """The 7 Versorgungsgebiete: columns gebiet_rs, gebiet (display name), GEN, BEZ, geometry (EPSG:4326)."""
    path = (directory or constants.data_folder().boundaries) / "areas.geojson"
    areas = _read_geojson(path)
    area_keys = constants.district().area_keys
    if area_keys and sorted(areas["RS"]) != sorted(area_keys):
        raise DataError(Message("file_areas_unexpected", pfad=_display_path(path), n=len(area_keys),
                                erwartet=list(area_keys), gefunden=list(areas["RS"])))
    areas["gebiet_rs"] = areas["RS"]
    areas["gebiet"] = [area_label(g, b) for g, b in zip(areas["GEN"], areas["BEZ"])]
    return areas.sort_values("gebiet_rs").reset_index(drop=True)[["gebiet_rs", "gebiet", "GEN", "BEZ", "geometry"]]


def load_gemeinden(directory: Path | None = None) -> gpd.GeoDataFrame:
    """The 69 Gemeinden: gemeinde_rs, gemeinde, BEZ, gebiet_rs, geometry (EPSG:4326)."""
    gemeinden = _read_geojson((directory or constants.data_folder().boundaries) / "gemeinden.geojson")
    gemeinden["gemeinde_rs"] = gemeinden["RS"]
    gemeinden["gemeinde"] = gemeinden["GEN"]
    gemeinden["gebiet_rs"] = gemeinden["RS"].str[:9]
    gemeinden = gemeinden.iloc[gemeinden["gemeinde"].map(sort_key).argsort()]
    return gemeinden.reset_index(drop=True)[
        ["gemeinde_rs", "gemeinde", "BEZ", "gebiet_rs", "geometry"]
    ]


def load_district_outline(directory: Path | None = None) -> gpd.GeoDataFrame:
    return _read_geojson((directory or constants.data_folder().boundaries) / "kreis.geojson")


def load_kreise(directory: Path | None = None) -> gpd.GeoDataFrame | None:
    """The Kreise of a data folder that spans several (``kreise.geojson``, written by the boundary build for a
    Land); None for a single district."""
    path = (directory or constants.data_folder().boundaries) / "kreise.geojson"
    return _read_geojson(path).sort_values("RS").reset_index(drop=True) if path.exists() else None


def load_plz(path: Path | None = None) -> pd.DataFrame:
    """PLZ → Gemeinde rows (plz, gemeinde_rs, gemeinde); one PLZ may have several Gemeinden."""
    path = path or constants.data_folder().reference / "plz_gemeinden.csv"
    if not path.exists():
        raise DataError(Message("file_plz_missing", pfad=_display_path(path)))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# --- operational tables ---------------------------------------------------------------------


def _check_value(column: Column, value: str, known: dict[str, set[str]]) -> tuple[object, Message | None]:
    """(parsed value, problem or None) for one cell given as text."""
    text = value.strip()
    if not text:
        if column.required:
            return None, Message("check_missing", spalte=column.label)
        if column.default is not None:
            return column.default, None
        return (False if column.kind == "bool" else None if column.kind in {"date", "int", "share"} else ""), None
    kind = column.kind
    unsafe = unsafe_characters(text)
    if unsafe:
        return None, Message("check_unsafe_characters", spalte=column.label, zeichen=unsafe)
    limit = MAX_LENGTH.get(kind, 40)
    if len(text) > limit:
        return None, Message("check_too_long", spalte=column.label, laenge=len(text), max=limit)
    try:
        if kind in {"text", "note"}:
            return text, None
        if kind == "id":
            if not ID_PATTERN.match(text):
                return None, Message("check_id_characters", spalte=column.label, wert=text)
            return text, None
        if kind == "email":
            if not EMAIL_PATTERN.match(text):
                return None, Message("check_email", spalte=column.label, wert=text)
            return text, None
        if kind == "phone":
            if not PHONE_PATTERN.match(text):
                return None, Message("check_phone", spalte=column.label, wert=text)
            return text, None
        if kind == "url":
            if not URL_PATTERN.match(text):
                return None, Message("check_url", spalte=column.label, wert=text)
            return text, None
        if kind == "plz":
            return (text, None) if text.isdigit() and len(text) == 5 else (None, Message("check_plz", wert=text))
        if kind == "rs12":
            if not (text.isdigit() and len(text) == 12):
                return None, Message("check_rs12", spalte=column.label, wert=text)
            if known.get("gemeinden") and text not in known["gemeinden"]:
                return None, Message("check_not_in_district", spalte=column.label, wert=text)
            return text, None
        if kind == "rs9":
            areas = set(constants.district().area_keys) or {key[:9] for key in known.get("gemeinden", ())}
            if areas and text not in areas:
                return None, Message("check_not_an_area", spalte=column.label, wert=text, n=len(areas))
            return text, None
        if kind == "int":
            number = numbers.parse_cell(text, count=True)
            if number < 0 or number != int(number):
                return None, Message("check_count", spalte=column.label, wert=text)
            return int(number), None
        if kind == "share":
            number = numbers.parse_cell(text)
            if not 0 <= number <= 1:
                return None, Message("check_between", spalte=column.label, wert=text, min=0, max=1)
            return number, None
        if kind == "fte":
            number = numbers.parse_cell(text)
            if not 0.1 <= number <= 1.0:
                return None, Message("check_between", spalte=column.label, wert=text, min=0.1, max=1.0)
            return number, None
        if kind in {"lat", "lon"}:
            number = numbers.parse_cell(text)
            low, high = constants.district().lat_range if kind == "lat" else constants.district().lon_range
            if not low <= number <= high:
                return None, Message("check_outside_district", spalte=column.label, wert=text)
            return number, None
        if kind == "bool":
            word = text.lower()
            if word in TRUE_WORDS:
                return True, None
            if word in FALSE_WORDS:
                return False, None
            return None, Message("check_yes_no", spalte=column.label, wert=text)
        if kind == "date":
            return parse_date(text), None
    except (ValueError, OverflowError):
        if kind == "date":
            return None, Message("check_date", spalte=column.label, wert=text)
        return None, Message("check_number", spalte=column.label, wert=text)
    raise ValueError(f"unknown column kind {kind}")


def check_rows(
    name: str, raw: pd.DataFrame, known: dict[str, set[str]] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a table given as text cells: typed rows and every problem by row (header = 1) and column.

    ``known`` may hold the sets ``gemeinden`` and ``kitas`` for cross-checks. Missing required columns
    are one problem in row 1.
    """
    known = known or {}
    schema = SCHEMAS[name]
    missing = tuple(c.label for c in schema if c.required and c.name not in raw.columns)
    if missing:
        return pd.DataFrame(columns=[c.name for c in schema]), [Problem(1, missing, Message(COLUMNS_MISSING))]
    raw = raw.fillna("").astype(str)
    problems: list[Problem] = []
    parsed: dict[str, list] = {c.name: [] for c in schema}
    for index, row in enumerate(raw.to_dict("records")):
        line = index + 2
        for column in schema:
            value, problem = _check_value(column, row.get(column.name, ""), known)
            if problem:
                problems.append(Problem(line, column.label, problem))
            parsed[column.name].append(value)
    table = pd.DataFrame(parsed, index=range(len(raw)))
    key = KEYS[name]
    duplicates = table[key][table[key].duplicated() & table[key].notna()]
    for value in duplicates.unique():
        lines = [i + 2 for i in table.index[table[key] == value]]
        for line in lines:
            problems.append(Problem(line, key, Message("check_duplicate", spalte=key, wert=value,
                                                       zeilen=", ".join(map(str, lines)))))
    if name == "fachkraefte":
        problems.extend(_check_positions(table, known))
    return table, sorted(problems, key=lambda p: p.row)


def validate_table(name: str, raw: pd.DataFrame, source: str | Message, known: dict[str, set[str]] | None = None
                   ) -> pd.DataFrame:
    """Check a whole table given as text cells; return typed rows or raise DataError with every problem.

    ``source`` names the origin in messages (e.g. ``Message("file_source", pfad="data/seed/kitas.csv")``); rows
    are counted as in the file (header = line 1).
    """
    table, problems = check_rows(name, raw, known)
    if problems and problems[0].message.key == COLUMNS_MISSING:
        missing = [c.name for c in SCHEMAS[name] if c.required and c.name not in raw.columns]
        raise DataError(Message("check_source_columns_missing", quelle=source, spalten=missing), [])
    if problems:
        lines = [Message("check_source_line", quelle=source, zeile=str(p.row), problem=p.message) for p in problems]
        raise DataError(Message("check_source_refused", quelle=source, n=len(problems)), lines)
    return table


def unsafe_characters(text: str) -> str:
    """Names of control, format (bidi, zero-width) or private characters in ``text`` ('' if none).

    Tabs and line breaks are refused as well: no field of these tables is multi-line.
    """
    found = []
    for char in text:
        if unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}:
            found.append(f"U+{ord(char):04X}")
    return ", ".join(sorted(set(found)))


def parse_date(text: str) -> dt.date:
    """A date as 2024-08-01, 01.08.2024 or 1.8.2024 (ValueError otherwise)."""
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if german:
        day, month, year = (int(g) for g in german.groups())
        return dt.date(year, month, day)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?", text):
        text = text[:10]  # a date with a time of day, as spreadsheets and the table editor give it
    return dt.date.fromisoformat(text)


def _check_positions(table: pd.DataFrame, known: dict[str, set[str]]) -> list[Problem]:
    problems = []
    for index, row in table.iterrows():
        line = index + 2
        if row["beginn"] and row["ende"] and row["ende"] < row["beginn"]:
            problems.append(Problem(line, field_label("ende"), Message("check_end_before_start", ende=str(row["ende"]),
                                                                         beginn=str(row["beginn"]))))
        served = [k.strip() for k in str(row["kitas"] or "").split(";") if k.strip()]
        unknown = [k for k in served if known.get("kitas") is not None and k not in known["kitas"]]
        if unknown:
            problems.append(Problem(line, field_label("kitas"), Message("check_unknown_kitas", ids=", ".join(unknown))))
    return problems


def check_kita_locations(kitas: pd.DataFrame, gemeinden: gpd.GeoDataFrame, tolerance_m: float = 150) -> list[Problem]:
    """A Kita's point must lie in its Gemeinde (within ``tolerance_m`` metres of the simplified border,
    measured in EPSG:25832). Rows are counted as in a file (first data row = 2)."""
    if kitas.empty or gemeinden.empty:
        return []
    shapes = gemeinden.set_index("gemeinde_rs").geometry.to_crs(METRIC_CRS)
    names = gemeinden.set_index("gemeinde_rs")["gemeinde"]
    rows = [(index, row.get("gemeinde_rs"), row.get("lat"), row.get("lon"))
            for index, row in enumerate(kitas.to_dict("records"))]
    rows = [r for r in rows if r[1] in shapes.index and r[2] is not None and r[3] is not None
            and r[2] == r[2] and r[3] == r[3]]
    if not rows:
        return []
    # one projection for all points (a file of thousands of Kitas)
    points = gpd.GeoSeries([Point(lon, lat) for _, _, lat, lon in rows], crs=OUTPUT_CRS).to_crs(METRIC_CRS)
    problems = []
    for (index, key, lat, lon), point in zip(rows, points):
        if shapes[key].distance(point) > tolerance_m:
            problems.append(Problem(index + 2, field_label("lat"), Message("check_point_outside_gemeinde", lat=str(lat),
                                                                             lon=str(lon), gemeinde=names[key])))
    return problems


def read_csv_table(name: str, path: Path, known: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Read and validate one operational CSV (kita.csvfile: the encodings and separators of spreadsheet programs)."""
    if not path.exists():
        raise DataError(Message("file_missing", pfad=_display_path(path)))
    source = Message("file_source", pfad=_display_path(path))
    text = csvfile.decode(path.read_bytes(), source)
    header: list[str] | None = None
    body: list[list[str]] = []
    try:
        for line, row in csvfile.rows(text, csvfile.separator(text)):
            if csvfile.blank(row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
            elif csvfile.extra_cells(row, header):
                reason = Message("file_csv_fields", zeile=str(line), gesehen=len(row), erwartet=len(header))
                raise DataError(Message("file_csv_unreadable", quelle=source, grund=reason))
            else:
                body.append((row + [""] * len(header))[:len(header)])
    except csvfile.CsvError as exc:
        reason = (Message("file_csv_field_too_long", max=csvfile.FIELD_LIMIT) if exc.field_too_long
                  else Message("file_csv_shape"))
        raise DataError(Message("file_csv_unreadable", quelle=source, grund=reason)) from exc
    if header is None:
        raise DataError(Message("file_csv_unreadable", quelle=source, grund=Message("file_csv_empty")))
    raw = pd.DataFrame(body, columns=header, dtype=str)
    return validate_table(name, raw, source, known)


def _display_path(path: Path) -> str:
    """The path inside the project (data/seed/kitas.csv), else only the file name: messages reach visitors,
    server paths must not."""
    try:
        return str(path.resolve().relative_to(constants.data_folder().root.parent))
    except ValueError:
        return path.name


def read_seed(directory: Path | None = None, gemeinde_keys: set[str] | None = None) -> dict[str, pd.DataFrame]:
    """All operational tables from a seed folder, validated together (Kita IDs, Gemeinde keys)."""
    directory = directory or constants.data_folder().seed
    known: dict[str, set[str]] = {"gemeinden": gemeinde_keys or set()}
    kitas = read_csv_table("kitas", directory / TABLE_FILES["kitas"], known)
    known["kitas"] = set(kitas["id"])
    return {
        "kitas": kitas,
        "fachkraefte": read_csv_table("fachkraefte", directory / TABLE_FILES["fachkraefte"], known),
        "kontakte": read_csv_table("kontakte", directory / TABLE_FILES["kontakte"], known),
        "gemeinden_kennzahlen": read_csv_table(
            "gemeinden_kennzahlen", directory / TABLE_FILES["gemeinden_kennzahlen"], known
        ),
    }


def uses_demo_data(tables: dict[str, pd.DataFrame]) -> bool:
    """True while any row in use is flagged demo: the UI then shows the "Beispieldaten" notice."""
    return any(bool(frame["demo"].any()) for frame in tables.values() if "demo" in frame.columns)
