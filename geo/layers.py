"""Load and validate the layers: read-only boundaries and PLZ table, and the operational tables
(Kitas, Fachkräfte, Kontakte, Gemeinde-Kennzahlen) from CSV files or the database.

Every problem becomes a German line naming file, row and column; nothing is loaded half.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.constants import AREA_KEYS, BOUNDARY_DIR, DATA_DIR, DISTRICT, OUTPUT_CRS, SEED_DIR
from geo.errors import DataError
from geo.text import sort_key

PLZ_FILE = DATA_DIR / "reference" / "plz_gemeinden.csv"
TRUE_WORDS = {"true", "1", "ja", "wahr", "yes", "x"}
FALSE_WORDS = {"false", "0", "nein", "falsch", "no", ""}
# Bounding box of the district with margin (EPSG:4326, from kreis.toml): catches swapped lat/lon.
LON_RANGE, LAT_RANGE = DISTRICT.lon_range, DISTRICT.lat_range


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, id, rs9, rs12, plz, int, share, fte, lat, lon, bool, date
    required: bool = True
    label: str = ""  # German name in messages


SCHEMAS: dict[str, list[Column]] = {
    "kitas": [
        Column("id", "id", label="ID"),
        Column("name", "text", label="Name"),
        Column("traeger", "text", False, "Träger"),
        Column("strasse", "text", False, "Straße"),
        Column("plz", "plz", label="PLZ"),
        Column("ort", "text", label="Ort"),
        Column("gemeinde_rs", "rs12", label="Gemeinde-Schlüssel"),
        Column("lat", "lat", label="Breite (lat)"),
        Column("lon", "lon", label="Länge (lon)"),
        Column("kinder", "int", label="Kinder"),
        Column("plaetze", "int", False, "Plätze"),
        Column("telefon", "text", False, "Telefon"),
        Column("email", "text", False, "E-Mail"),
        Column("web", "text", False, "Web"),
        Column("sozialraum", "bool", False, "Sozialraum-Schwerpunkt"),
        Column("interkulturell", "bool", False, "interkulturelle Fachkraft"),
        Column("demo", "bool", False, "Beispieldaten"),
    ],
    "fachkraefte": [
        Column("id", "id", label="ID"),
        Column("bezeichnung", "text", label="Bezeichnung"),
        Column("vze", "fte", label="VZÄ"),
        Column("telefon", "text", False, "Telefon"),
        Column("email", "text", False, "E-Mail"),
        Column("gebiet_rs", "rs9", label="Gebiet"),
        Column("kitas", "text", False, "Kitas"),
        Column("beginn", "date", label="Beginn"),
        Column("ende", "date", False, "Ende"),
        Column("demo", "bool", False, "Beispieldaten"),
    ],
    "kontakte": [
        Column("id", "id", label="ID"),
        Column("rolle", "text", label="Rolle"),
        Column("name", "text", label="Name"),
        Column("organisation", "text", False, "Organisation"),
        Column("telefon", "text", False, "Telefon"),
        Column("email", "text", False, "E-Mail"),
        Column("web", "text", False, "Web"),
        Column("hinweis", "text", False, "Hinweis"),
        Column("demo", "bool", False, "Beispieldaten"),
    ],
    "gemeinden_kennzahlen": [
        Column("gemeinde_rs", "rs12", label="Gemeinde-Schlüssel"),
        Column("gemeinde", "text", label="Gemeinde"),
        Column("kinder_u7", "int", label="Kinder unter 7"),
        Column("anteil_buergergeld_u7", "share", False, "Anteil Bürgergeld"),
        Column("anteil_nichtdeutsche_familiensprache", "share", False, "Anteil nichtdeutsche Familiensprache"),
        Column("quelle", "text", False, "Quelle"),
        Column("demo", "bool", False, "Beispieldaten"),
    ],
}
TABLE_FILES = {name: f"{name}.csv" for name in SCHEMAS}


# --- reference layers (read-only files) -------------------------------------------------------


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise DataError(
            f"Datei {path} fehlt. Grenzen neu erzeugen: python -m geo.build.boundaries --source …"
        )
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for corrupt files
        raise DataError(f"Datei {path} ist beschädigt oder kein GeoJSON ({type(exc).__name__}).") from exc
    missing = {"RS", "GEN"} - set(frame.columns)
    if missing:
        raise DataError(f"Datei {path}: Spalten fehlen ({', '.join(sorted(missing))}).")
    frame["RS"] = frame["RS"].astype(str)
    return frame.to_crs(OUTPUT_CRS)


def area_label(gen: str, bez: str) -> str:
    """'VG Eich' for a Verbandsgemeinde, 'Stadt Alzey' for the verbandsfreie Stadt."""
    return f"VG {gen}" if bez == "Verbandsgemeinde" else f"Stadt {gen}"


def load_areas(directory: Path = BOUNDARY_DIR) -> gpd.GeoDataFrame:
    """The 7 Versorgungsgebiete: columns gebiet_rs, gebiet (display name), GEN, BEZ, geometry (EPSG:4326)."""
    path = directory / "areas.geojson"
    areas = _read_geojson(path)
    if AREA_KEYS and sorted(areas["RS"]) != sorted(AREA_KEYS):
        raise DataError(f"Datei {path}: erwartet die {len(AREA_KEYS)} Gebiete {', '.join(AREA_KEYS)}, gefunden {', '.join(areas['RS'])}.")
    areas["gebiet_rs"] = areas["RS"]
    areas["gebiet"] = [area_label(g, b) for g, b in zip(areas["GEN"], areas["BEZ"])]
    return areas.sort_values("gebiet_rs").reset_index(drop=True)[["gebiet_rs", "gebiet", "GEN", "BEZ", "geometry"]]


def load_gemeinden(directory: Path = BOUNDARY_DIR) -> gpd.GeoDataFrame:
    """The 69 Gemeinden: gemeinde_rs, gemeinde, BEZ, gebiet_rs, geometry (EPSG:4326)."""
    gemeinden = _read_geojson(directory / "gemeinden.geojson")
    gemeinden["gemeinde_rs"] = gemeinden["RS"]
    gemeinden["gemeinde"] = gemeinden["GEN"]
    gemeinden["gebiet_rs"] = gemeinden["RS"].str[:9]
    gemeinden = gemeinden.iloc[gemeinden["gemeinde"].map(sort_key).argsort()]
    return gemeinden.reset_index(drop=True)[
        ["gemeinde_rs", "gemeinde", "BEZ", "gebiet_rs", "geometry"]
    ]


def load_district(directory: Path = BOUNDARY_DIR) -> gpd.GeoDataFrame:
    return _read_geojson(directory / "kreis.geojson")


def load_kreise(directory: Path = BOUNDARY_DIR) -> gpd.GeoDataFrame | None:
    """The Kreise of a data folder that spans several (``kreise.geojson``, written by the boundary build for a
    Land); None for a single district."""
    path = directory / "kreise.geojson"
    return _read_geojson(path).sort_values("RS").reset_index(drop=True) if path.exists() else None


def load_plz(path: Path = PLZ_FILE) -> pd.DataFrame:
    """PLZ → Gemeinde rows (plz, gemeinde_rs, gemeinde); one PLZ may have several Gemeinden."""
    if not path.exists():
        raise DataError(f"Datei {path} fehlt. Neu erzeugen: python -m geo.build.plz --source …")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# --- operational tables ---------------------------------------------------------------------


def _check_value(column: Column, value: str, known: dict[str, set[str]]) -> tuple[object, str | None]:
    """(parsed value, German problem or None) for one cell given as text."""
    text = value.strip()
    if not text:
        if column.required:
            return None, f"{column.label} fehlt"
        return (False if column.kind == "bool" else None if column.kind in {"date", "int", "share"} else ""), None
    kind = column.kind
    try:
        if kind in {"text", "id"}:
            return text, None
        if kind == "plz":
            return (text, None) if text.isdigit() and len(text) == 5 else (None, f"PLZ „{text}“ ist keine fünfstellige Zahl")
        if kind == "rs12":
            if not (text.isdigit() and len(text) == 12):
                return None, f"{column.label} „{text}“ ist kein 12-stelliger Regionalschlüssel"
            if known.get("gemeinden") and text not in known["gemeinden"]:
                return None, f"{column.label} {text} ist keine Gemeinde des Kreises"
            return text, None
        if kind == "rs9":
            areas = set(AREA_KEYS) or {key[:9] for key in known.get("gemeinden", ())}
            if areas and text not in areas:
                return None, f"{column.label} „{text}“ ist keines der {len(areas)} Gebiete"
            return text, None
        if kind == "int":
            number = float(text.replace(",", "."))
            if number < 0 or number != int(number):
                return None, f"{column.label} „{text}“ ist keine ganze Zahl ≥ 0"
            return int(number), None
        if kind == "share":
            number = float(text.replace(",", "."))
            if not 0 <= number <= 1:
                return None, f"{column.label} {text} liegt nicht zwischen 0 und 1"
            return number, None
        if kind == "fte":
            number = float(text.replace(",", "."))
            if not 0.1 <= number <= 1.0:
                return None, f"{column.label} {text} liegt nicht zwischen 0,1 und 1,0"
            return number, None
        if kind in {"lat", "lon"}:
            number = float(text.replace(",", "."))
            low, high = LAT_RANGE if kind == "lat" else LON_RANGE
            if not low <= number <= high:
                return None, f"{column.label} {text} liegt nicht im Kreisgebiet (Breite/Länge vertauscht?)"
            return number, None
        if kind == "bool":
            word = text.lower()
            if word in TRUE_WORDS:
                return True, None
            if word in FALSE_WORDS:
                return False, None
            return None, f"{column.label} „{text}“ ist weder ja noch nein"
        if kind == "date":
            return dt.date.fromisoformat(text), None
    except ValueError:
        if kind == "date":
            return None, f"{column.label} „{text}“ ist kein Datum (JJJJ-MM-TT)"
        return None, f"{column.label} „{text}“ ist keine Zahl"
    raise ValueError(f"unknown column kind {kind}")


def validate_table(name: str, raw: pd.DataFrame, source: str, known: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Check a whole table given as text cells; return typed rows or raise DataError with every problem.

    ``source`` names the origin in messages (e.g. ``Datei data/seed/kitas.csv``); rows are counted
    as in the file (header = line 1). ``known`` may hold the sets ``gemeinden`` and ``kitas`` for
    cross-checks.
    """
    known = known or {}
    schema = SCHEMAS[name]
    problems: list[str] = []
    missing = [c.name for c in schema if c.required and c.name not in raw.columns]
    if missing:
        raise DataError(f"{source}: Spalten fehlen: {', '.join(missing)}.", [])
    raw = raw.fillna("").astype(str)
    parsed: dict[str, list] = {c.name: [] for c in schema}
    for index, row in enumerate(raw.to_dict("records")):
        line = index + 2
        for column in schema:
            value, problem = _check_value(column, row.get(column.name, ""), known)
            if problem:
                problems.append(f"{source}, Zeile {line}: {problem}")
            parsed[column.name].append(value)
    table = pd.DataFrame(parsed)
    key = "gemeinde_rs" if name == "gemeinden_kennzahlen" else "id"
    duplicates = table[key][table[key].duplicated() & table[key].notna()]
    for value in duplicates.unique():
        lines = [str(i + 2) for i in table.index[table[key] == value]]
        problems.append(f"{source}, Zeilen {', '.join(lines)}: {key} „{value}“ kommt mehrfach vor")
    if name == "fachkraefte":
        problems.extend(_check_positions(table, source, known))
    if problems:
        raise DataError(f"{source}: {len(problems)} Problem(e), nichts übernommen.", problems)
    return table


def _check_positions(table: pd.DataFrame, source: str, known: dict[str, set[str]]) -> list[str]:
    problems = []
    for index, row in table.iterrows():
        line = index + 2
        if row["beginn"] and row["ende"] and row["ende"] < row["beginn"]:
            problems.append(f"{source}, Zeile {line}: Ende {row['ende']} liegt vor Beginn {row['beginn']}")
        served = [k.strip() for k in str(row["kitas"] or "").split(";") if k.strip()]
        unknown = [k for k in served if known.get("kitas") is not None and k not in known["kitas"]]
        if unknown:
            problems.append(f"{source}, Zeile {line}: unbekannte Kita-ID(s) {', '.join(unknown)}")
    return problems


def read_csv_table(name: str, path: Path, known: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Read and validate one operational CSV (UTF-8 with or without BOM, or cp1252; comma or semicolon)."""
    if not path.exists():
        raise DataError(f"Datei {_display_path(path)} fehlt.")
    source = f"Datei {_display_path(path)}"
    text = decode_csv(path.read_bytes(), source)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise DataError(f"{source} ist keine lesbare CSV-Datei: {_csv_problem(exc)}.") from exc
    return validate_table(name, raw, source, known)


def _csv_problem(exc: Exception) -> str:
    """The parser's English complaint in German words (no internals)."""
    message = str(exc)
    rows = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if rows:
        expected, line, seen = rows.groups()
        return f"Zeile {line} hat {seen} statt {expected} Spalten (Trennzeichen im Text? Dann in Anführungszeichen setzen)"
    if "field larger than field limit" in message:
        return f"ein Feld ist länger als {csv.field_size_limit():,} Zeichen".replace(",", ".")
    if isinstance(exc, pd.errors.EmptyDataError) or "Could not determine delimiter" in message:
        return "die Datei ist leer oder ihr Trennzeichen ist weder Komma noch Semikolon"
    return "Aufbau nicht erkannt (erwartet: Kopfzeile, dann eine Zeile je Datensatz, getrennt durch Komma oder Semikolon)"


def decode_csv(content: bytes, source: str) -> str:
    """The text of a CSV file as Excel and other programs save it: UTF-8 with or without BOM
    ("CSV UTF-8"), UTF-16 with BOM ("Unicode-Text"), else Windows-1252 ("CSV (Trennzeichen-getrennt)" of a
    German Excel)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-Text"
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DataError(f"{source}: unbekannte Zeichenkodierung (Excel: Speichern als „CSV UTF-8“ wählen).") from exc


def _display_path(path: Path) -> str:
    """The path inside the project (data/seed/kitas.csv), else only the file name: messages reach visitors,
    server paths must not."""
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return path.name


def read_seed(directory: Path = SEED_DIR, gemeinde_keys: set[str] | None = None) -> dict[str, pd.DataFrame]:
    """All operational tables from a seed folder, validated together (Kita IDs, Gemeinde keys)."""
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


def kitas_to_points(kitas: pd.DataFrame) -> gpd.GeoDataFrame:
    """Kitas as point layer (EPSG:4326) with their area key."""
    points = gpd.GeoDataFrame(
        kitas.copy(), geometry=[Point(lon, lat) for lon, lat in zip(kitas["lon"], kitas["lat"])], crs=OUTPUT_CRS
    )
    points["gebiet_rs"] = points["gemeinde_rs"].str[:9]
    return points


def uses_demo_data(tables: dict[str, pd.DataFrame]) -> bool:
    """True while any row in use is flagged demo: the UI then shows the "Beispieldaten" notice."""
    return any(bool(frame["demo"].any()) for frame in tables.values() if "demo" in frame.columns)
