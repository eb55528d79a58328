"""Import of Kitas, Fachkräfte, Kontakte and Gemeinde-Kennzahlen from a spreadsheet or a GIS file, and
export of every table.

``read_upload`` reads CSV (UTF-8, UTF-8 with BOM, Windows-1252; comma, semicolon or tab), Excel (.xlsx)
and GeoPackage/GeoJSON; ``prepare`` maps common German headers to the schema's columns and fills what
can be derived (Gemeinde from place name or PLZ, a Kita without coordinates at its Gemeinde, marked
"Lage ungefähr"; percentages and German dates); ``dry_run`` lists what would be added, changed and
removed and every problem by row and column. Nothing is written here: ``Store.save_changes`` applies
the dry run in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from kita.constants import OUTPUT_CRS
from kita.errors import DataError
from kita.i18n import N_, Message, text
from geo.layers import COLUMNS_MISSING, FIELD_IDS, KEYS, SCHEMAS, Problem, area_label, decode_csv, field_label
from geo.layers import TABLE_IDS as DATA_TABLE_IDS
from datastore.store import ROW_VERSION, Changes, _to_text
from kita.text import csv_dialect, yes_no
from kita.text import FORMULA_PREFIXES, sheet_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
IMPORT_TABLES = ("kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen")  # names on screen: table_title
FILE_TYPES = ["csv", "txt", "xlsx", "gpkg", "geojson", "json"]


# Titles of the tables on screen: the operational ones and the planning scenarios, whose saves are in the change
# log too (catalogue ids; the fields' ids are geo.layers.FIELD_IDS).
TABLE_IDS = {**DATA_TABLE_IDS, "planung_szenarien": N_("table_planung_szenarien")}


def table_title(name: str, lang: str = "de") -> str:
    """A table's name in ``lang``."""
    return text(TABLE_IDS[name], lang) if name in TABLE_IDS else name


def field_title(name: str, lang: str = "de") -> str:
    """A field's name in ``lang`` (the column name itself for an unknown field)."""
    return text(FIELD_IDS[name], lang) if name in FIELD_IDS else name

GEMEINDE_NAME = "_gemeinde"  # helper column: a Gemeinde given by name or AGS instead of the 12-digit key

# Headers as people write them (folded: lower case, umlauts spelled out, only letters and digits).
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "kitas": {
        "id": ["id", "kitaid", "kitanr", "nr", "nummer", "einrichtungsnummer", "einrichtungsnr", "kennung"],
        "name": ["name", "einrichtung", "nameothereinrichtung", "namedereinrichtung", "kita", "kitaname",
                 "kindertagesstaette", "bezeichnung", "einrichtungsname"],
        "traeger": ["traeger", "traegerschaft", "traegername"],
        "strasse": ["strasse", "str", "anschrift", "adresse", "strasseundhausnummer", "strassehausnummer", "strassenr"],
        "plz": ["plz", "postleitzahl"],
        "ort": ["ort", "stadt", "wohnort", "ortsteil", "ortschaft"],
        "gemeinde_rs": ["gemeinders", "rs", "ars", "regionalschluessel", "gemeindeschluessel", "ags",
                        "amtlichergemeindeschluessel"],
        GEMEINDE_NAME: ["gemeinde", "ortsgemeinde", "gemeindename"],
        "lat": ["lat", "breite", "breitengrad", "latitude", "y", "geobreite"],
        "lon": ["lon", "lng", "laenge", "laengengrad", "longitude", "x", "geolaenge"],
        "kinder": ["kinder", "anzahlkinder", "betreutekinder", "kinderzahl", "belegung", "belegteplaetze"],
        "plaetze": ["plaetze", "genehmigteplaetze", "platzzahl", "anzahlplaetze", "kapazitaet"],
        "telefon": ["telefon", "tel", "telefonnummer", "fon", "rufnummer"],
        "email": ["email", "mail", "emailadresse", "ema1l"],
        "web": ["web", "internet", "homepage", "webseite", "website", "url", "internetseite"],
        "sozialraum": ["sozialraum", "sozialraumschwerpunkt", "sozialraumkita"],
        "interkulturell": ["interkulturell", "interkulturellefachkraft"],
        "demo": ["demo", "beispiel", "beispieldaten"],
        "lage_ungefaehr": ["lageungefaehr", "ungefaehr"],
    },
    "fachkraefte": {
        "id": ["id", "stellenid", "stellennr", "stellennummer", "nr", "nummer"],
        "bezeichnung": ["bezeichnung", "stelle", "stellenbezeichnung", "name", "fachkraft", "rolle"],
        "vze": ["vze", "vzae", "stellenanteil", "umfang", "stellenumfang", "fte", "anteil"],
        "telefon": ["telefon", "tel", "telefonnummer", "diensttelefon", "rufnummer"],
        "email": ["email", "mail", "emailadresse", "dienstlicheemail"],
        "gebiet_rs": ["gebietrs", "gebiet", "verbandsgemeinde", "vg", "versorgungsgebiet", "einsatzgebiet", "bezirk"],
        "kitas": ["kitas", "betreutekitas", "kitaids", "einrichtungen"],
        "beginn": ["beginn", "start", "ab", "von", "stellenbeginn", "eintritt", "seit"],
        "ende": ["ende", "bis", "befristetbis", "stellenende", "austritt"],
        "demo": ["demo", "beispiel", "beispieldaten"],
        "besetzt": ["besetzt", "istbesetzt", "status"],
    },
    "kontakte": {
        "id": ["id", "kennung", "nr"],
        "rolle": ["rolle", "funktion", "aufgabe"],
        "name": ["name", "ansprechperson", "ansprechpartner", "ansprechpartnerin", "person"],
        "organisation": ["organisation", "stelle", "behoerde", "dienststelle"],
        "telefon": ["telefon", "tel", "telefonnummer", "rufnummer"],
        "email": ["email", "mail", "emailadresse"],
        "web": ["web", "internet", "homepage", "webseite", "website"],
        "hinweis": ["hinweis", "bemerkung", "anmerkung", "notiz"],
        "demo": ["demo", "beispiel"],
    },
    "gemeinden_kennzahlen": {
        "gemeinde_rs": ["gemeinders", "rs", "ars", "regionalschluessel", "gemeindeschluessel", "ags"],
        "gemeinde": ["gemeinde", "gemeindename", "name"],
        "kinder_u7": ["kinderu7", "kinderunter7", "kinderunter7jahren", "u7"],
        "anteil_buergergeld_u7": ["anteilbuergergeldu7", "anteilbuergergeld", "buergergeld", "sgbii"],
        "anteil_nichtdeutsche_familiensprache": ["anteilnichtdeutschefamiliensprache", "nichtdeutschefamiliensprache",
                                                 "familiensprachenichtdeutsch"],
        "quelle": ["quelle", "datenquelle"],
        "demo": ["demo", "beispiel"],
    },
}


def fold(text: str) -> str:
    """'Straße u. Hausnr.' -> 'strasseuhausnr': lower case, umlauts spelled out, letters and digits only."""
    text = str(text).strip().lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text)


# --- reading a file ----------------------------------------------------------------------------


def read_upload(filename: str, data: bytes, table: str = "") -> tuple[pd.DataFrame, list[Message]]:
    """The file's table as text cells (a GeoPackage's layer named like ``table`` if there is one, else the
    first), and notes on how it was read (messages)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DataError(Message("upload_too_big", mb=len(data) // 1024 // 1024, max=MAX_UPLOAD_BYTES // 1024 // 1024))
    if not data.strip():
        raise DataError(Message("upload_empty"))
    suffix = Path(str(filename)).suffix.lower().lstrip(".")
    if suffix in {"csv", "txt"}:
        frame, notes = _read_csv(data)
    elif suffix in {"xlsx", "xlsm"}:
        frame, notes = _read_excel(data)
    elif suffix in {"gpkg", "geojson", "json"}:
        frame, notes = _read_gis(data, suffix, table)
    elif suffix == "xls":
        raise DataError(Message("upload_old_excel"))
    else:
        raise DataError(Message("upload_file_type", typ=suffix[:10]))
    frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    frame = frame.fillna("").astype(str)
    frame = frame[[not all(not v.strip() for v in row) for row in frame.itertuples(index=False)]]
    if frame.empty:
        raise DataError(Message("upload_no_rows"))
    if len(frame) > MAX_ROWS:
        raise DataError(Message("upload_too_many_rows", n=len(frame), max=MAX_ROWS))
    return frame.reset_index(drop=True), notes


def _read_csv(data: bytes) -> tuple[pd.DataFrame, list[Message]]:
    text = decode_csv(data, Message("upload_the_csv_file"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes = [Message("upload_utf16")]
    elif data.startswith(b"\xef\xbb\xbf"):
        notes = [Message("upload_utf8_bom")]
    elif text.encode("cp1252", errors="replace") == data and any(b > 127 for b in data):
        notes = [Message("upload_cp1252")]
    else:
        notes = []
    if "\x00" in text:
        raise DataError(Message("upload_not_text"))
    header = text.lstrip().splitlines()[0] if text.strip() else ""
    separator = max([";", ",", "\t"], key=header.count)
    notes.append(Message("upload_separator", zeichen=Message("upload_tab") if separator == chr(9) else separator))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
        raise DataError(Message("upload_csv_unreadable", grund=str(exc)[:200])) from exc
    return frame, notes


def _read_excel(data: bytes) -> tuple[pd.DataFrame, list[Message]]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for broken or foreign files
        raise DataError(Message("upload_excel_unreadable", fehler=type(exc).__name__)) from exc
    name, frame = next(((n, f) for n, f in sheets.items() if not f.empty), next(iter(sheets.items())))
    if len(sheets) > 1:
        return frame, [Message("upload_excel_sheet_of", blatt=name, n=len(sheets))]
    return frame, [Message("upload_excel_sheet", blatt=name)]


def _read_gis(data: bytes, suffix: str, table: str) -> tuple[pd.DataFrame, list[Message]]:
    try:
        with warnings.catch_warnings():  # GDAL notes that an in-memory file has no .gpkg name
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [str(name) for name, _ in pyogrio.list_layers(io.BytesIO(data))]
            layer = table if table in layers else layers[0]
            frame = gpd.read_file(io.BytesIO(data), layer=layer)
    except Exception as exc:  # pyogrio raises several types for corrupt files
        raise DataError(Message("upload_gis_unreadable", fehler=type(exc).__name__)) from exc
    kind = "GeoPackage" if suffix == "gpkg" else "GeoJSON"
    notes = [Message("upload_gis_layer", art=kind, n=len(frame), ebene=layer) if len(layers) > 1
             else Message("upload_gis", art=kind, n=len(frame))]
    if "geometry" in frame.columns and frame.geometry.notna().any():
        if frame.crs is not None:
            frame = frame.to_crs(OUTPUT_CRS)
        points = frame.geometry.representative_point()
        frame["lat"] = [f"{p.y:.6f}" if p is not None and not p.is_empty else "" for p in points]
        frame["lon"] = [f"{p.x:.6f}" if p is not None and not p.is_empty else "" for p in points]
        notes.append(Message("upload_coordinates_from_geometry"))
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")), notes


# --- mapping to the schema ---------------------------------------------------------------------


def map_headers(table: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Message]]:
    """Rename recognised headers to the schema's names; notes name every mapping and ignored column."""
    lookup = {}
    for column, words in SYNONYMS[table].items():
        for word in [column, *words]:
            lookup.setdefault(fold(word), column)
    for column in SYNONYMS[table]:
        # the field's title as the editor shows it, in either UI language ("Stellenanteil (VZÄ)", "FTE")
        for lang in ("de", "en"):
            if column in FIELD_IDS:
                lookup.setdefault(fold(text(FIELD_IDS[column], lang)), column)
    renamed, notes, ignored = {}, [], []
    for header in raw.columns:
        target = lookup.get(fold(header))
        if target and target not in renamed.values():
            renamed[header] = target
            if header != target:
                notes.append(Message("import_column_mapped", spalte=str(header), feld=_label(table, target)))
        else:
            ignored.append(str(header))
    if ignored:
        notes.append(Message("import_columns_ignored", spalten=", ".join(f"„{c[:40]}“" for c in ignored[:20])))
    return raw[list(renamed)].rename(columns=renamed), notes


def _label(table: str, column: str) -> Message | str:
    if column == GEMEINDE_NAME:
        return Message("field_gemeinde_name")
    return field_label(column)


@dataclass
class Places:
    """What is needed to derive a Gemeinde or an area from names: the reference tables."""

    gemeinden: gpd.GeoDataFrame
    areas: pd.DataFrame
    plz: pd.DataFrame
    ortsteile: pd.DataFrame


def prepare(table: str, raw: pd.DataFrame, places: Places, current: pd.DataFrame,
            lang: str = "de") -> tuple[pd.DataFrame, list[Message]]:
    """The file's rows as text cells in the schema's columns, with derived values filled in; notes say
    what was derived. ``current`` is the table as stored (to keep ids of Kitas matched by name). Words the
    import fills in (yes/no) are in ``lang``, the language of the preview the coordinator edits; the dry run
    reads either language."""
    frame, notes = map_headers(table, raw)
    frame = frame.copy()
    for column in SCHEMAS[table]:
        if column.name not in frame.columns:
            frame[column.name] = ""
    frame = frame.map(lambda v: unneutral(str(v).strip()))
    if table == "kitas":
        notes += _prepare_kitas(frame, places, current, lang)
    elif table == "fachkraefte":
        notes += _prepare_positions(frame, places, current, lang)
    elif table == "gemeinden_kennzahlen":
        frame["gemeinde_rs"] = [_gemeinde_key(v, places) or v for v in frame["gemeinde_rs"]]
        missing = frame["gemeinde_rs"] == ""
        frame.loc[missing, "gemeinde_rs"] = [_gemeinde_key(v, places) or "" for v in frame.loc[missing, "gemeinde"]]
    for column in SCHEMAS[table]:
        # German thousands only in counts: a share (0–1) or a VZÄ (0.1–1) is never in the thousands, so its
        # "0.194" (as the export and English files write it) is a decimal point.
        if column.kind == "int":
            frame[column.name] = [_number_text(v) for v in frame[column.name]]
    return frame[[c.name for c in SCHEMAS[table]]].reset_index(drop=True), notes


def _number_text(value: str) -> str:
    """'1.234' (German thousands) -> '1234', '0,5' stays (validation reads the comma)."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        return value.replace(".", "")
    return value


def _gemeinde_key(value: str, places: Places) -> str | None:
    """A 12-digit key from a key (also with its leading zero lost in Excel), an 8-digit AGS or a name."""
    text = str(value).strip()
    keys = places.gemeinden["gemeinde_rs"]
    if text.isdigit():
        if len(text) == 11:
            text = "0" + text
        if len(text) == 12:
            return text
        if len(text) in {7, 8}:
            ags = text.zfill(8)
            match = [k for k in keys if k[:5] + k[9:] == ags]
            return match[0] if len(match) == 1 else None
        return None
    folded = fold(text)
    if not folded:
        return None
    by_name = {fold(n): k for n, k in zip(places.gemeinden["gemeinde"], keys)}
    if folded in by_name:
        return by_name[folded]
    by_part = {fold(n): k for n, k in zip(places.ortsteile["ortsteil"], places.ortsteile["gemeinde_rs"])}
    return by_part.get(folded)


def _prepare_kitas(frame: pd.DataFrame, places: Places, current: pd.DataFrame, lang: str) -> list[Message]:
    notes = []
    derived, approximate, matched, generated = 0, [], 0, 0
    centres = places.gemeinden.set_index("gemeinde_rs").geometry.representative_point()
    plz_map = places.plz.groupby("plz")["gemeinde_rs"].agg(list).to_dict()
    existing = {(fold(n), p): i for n, p, i in zip(current["name"], current["plz"], current["id"])} if len(current) else {}
    taken = set(current["id"]) if len(current) else set()
    for index in frame.index:
        row = frame.loc[index]
        key = _gemeinde_key(row["gemeinde_rs"], places) if row["gemeinde_rs"] else None
        if key is None and row["gemeinde_rs"]:
            key = row["gemeinde_rs"]  # left as given: validation names the problem
        if not key:
            for candidate in [row.get(GEMEINDE_NAME, ""), row["ort"]]:
                key = _gemeinde_key(candidate, places) if candidate else None
                if key:
                    break
            if not key and len(plz_map.get(row["plz"], [])) == 1:
                key = plz_map[row["plz"]][0]
            if key:
                derived += 1
        frame.at[index, "gemeinde_rs"] = key or ""
        if (not row["lat"] or not row["lon"]) and key in centres.index:
            point = centres[key]
            frame.at[index, "lat"], frame.at[index, "lon"] = f"{point.y:.5f}", f"{point.x:.5f}"
            frame.at[index, "lage_ungefaehr"] = yes_no(True, lang)
            approximate.append(index + 2)
        if not row["id"]:
            same = existing.get((fold(row["name"]), row["plz"]))
            if same:
                frame.at[index, "id"] = same
                matched += 1
            elif key:
                seq = 1
                while f"K{key[5:]}{seq:02d}" in taken:
                    seq += 1
                frame.at[index, "id"] = f"K{key[5:]}{seq:02d}"
                generated += 1
            taken.add(frame.at[index, "id"])
    if derived:
        notes.append(Message("import_gemeinde_derived", n=derived))
    if approximate:
        notes.append(Message("import_approximate", n=len(approximate), zeilen=", ".join(map(str, approximate[:30]))))
    if matched:
        notes.append(Message("import_matched_by_name", n=matched))
    if generated:
        notes.append(Message("import_kita_ids", n=generated))
    return notes


# What a spreadsheet's status column says about a position, in German or English.
VACANT_WORDS = {"geplant", "offen", "frei", "unbesetzt", "vakant", "ausgeschrieben",
                "planned", "open", "vacant", "unfilled", "advertised"}
FILLED_WORDS = {"besetzt", "aktiv", "vergeben", "belegt", "filled", "active", "occupied"}


def _prepare_positions(frame: pd.DataFrame, places: Places, current: pd.DataFrame, lang: str) -> list[Message]:
    notes = []
    names = {}
    for key, gen, bez in zip(places.areas["gebiet_rs"], places.areas["GEN"], places.areas["BEZ"]):
        for variant in [key, gen, area_label(gen, bez), f"Verbandsgemeinde {gen}", f"VG {gen}", f"Stadt {gen}"]:
            names[fold(variant)] = key
    frame["gebiet_rs"] = [names.get(fold(v), v) for v in frame["gebiet_rs"]]
    for index in frame.index:
        value = frame.at[index, "vze"].replace(" ", "")
        percent = value.endswith("%")
        number = value.rstrip("%").replace(",", ".")
        try:
            fte = float(number)
        except ValueError:
            continue
        if percent or 1 < fte <= 100:
            frame.at[index, "vze"] = f"{fte / 100:g}"
    taken = set(current["id"]) if len(current) else set()
    generated = 0
    for index in frame.index:
        key = frame.at[index, "gebiet_rs"]
        if not frame.at[index, "id"] and re.fullmatch(r"\d{9}", key):
            seq = 1
            while f"F{key[5:]}{seq:02d}" in taken:
                seq += 1
            frame.at[index, "id"] = f"F{key[5:]}{seq:02d}"
            taken.add(frame.at[index, "id"])
            generated += 1
        status = fold(frame.at[index, "besetzt"])
        if status in VACANT_WORDS:
            frame.at[index, "besetzt"] = yes_no(False, lang)
        elif status in FILLED_WORDS:
            frame.at[index, "besetzt"] = yes_no(True, lang)
    if generated:
        notes.append(Message("import_position_ids", n=generated))
    return notes


# --- dry run -----------------------------------------------------------------------------------


@dataclass
class DryRun:
    """What an import would do; ``problems`` by row of the file (header = 1) and column."""

    table: str
    rows: pd.DataFrame  # typed rows of the file
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, Message | str, str, str]] = field(default_factory=list)  # key, column label, old, new
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # keys in the store but not in the file
    problems: list[Problem] = field(default_factory=list)

    def changes(self, current: pd.DataFrame, remove: bool) -> Changes:
        """The store changes: file rows based on the current row versions; removals only when asked."""
        key = KEYS[self.table]
        versions = dict(zip(current[key], current[ROW_VERSION])) if len(current) else {}
        changed_keys = {c[0] for c in self.changed}
        upserts = [row | {ROW_VERSION: versions.get(row[key])} for row in self.rows.to_dict("records")
                   if row[key] in changed_keys or row[key] in self.added]
        deletes = [(k, int(versions[k])) for k in self.removed] if remove else []
        return Changes(upserts=upserts, deletes=deletes)

    def summary(self) -> Message:
        return Message("import_summary", neu=len(self.added), geaendert=len({c[0] for c in self.changed}),
                       unveraendert=self.unchanged, fehlend=len(self.removed), probleme=len(self.problems))


def dry_run(table: str, prepared: pd.DataFrame, current: pd.DataFrame, check) -> DryRun:
    """Compare the prepared rows (text cells) with the stored table. ``check`` is Store.check (typed rows and
    problems, including cross-table checks)."""
    key = KEYS[table]
    rows, problems = check(table, prepared)
    result = DryRun(table, rows, problems=problems)
    if any(p.message.key == COLUMNS_MISSING for p in problems):
        return result
    stored = current.set_index(key) if len(current) else pd.DataFrame()
    labels = {c.name: c.label for c in SCHEMAS[table]}  # messages: said in the reader's language where shown
    for row in rows.to_dict("records"):
        if row[key] is None or row[key] == "":
            continue
        if row[key] not in stored.index:
            result.added.append(row[key])
            continue
        old = stored.loc[row[key]]
        differences = [(labels[c], _to_text(old[c]), _to_text(row[c])) for c in labels
                       if c != key and _to_text(old[c]) != _to_text(row[c])]
        result.changed += [(row[key], *d) for d in differences]
        result.unchanged += not differences
    result.removed = sorted(set(stored.index) - set(rows[key])) if len(stored) else []
    return result


# --- export ------------------------------------------------------------------------------------


def geopackage_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """All tables in one GeoPackage: Kitas as a point layer (EPSG:4326), the others as attribute tables."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kita-sozialarbeit.gpkg"
        for name, frame in tables.items():
            frame = frame.drop(columns=[ROW_VERSION], errors="ignore").copy()
            for column in frame.columns:
                if frame[column].dtype == object:
                    frame[column] = frame[column].map(_to_text)
            if name == "kitas":
                layer = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=OUTPUT_CRS)
                layer.to_file(path, layer=name, driver="GPKG")
            else:
                pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")
        return path.read_bytes()


def neutral(value, lang: str = "de") -> str:
    """A stored value as a spreadsheet cell: text that no spreadsheet runs as a formula (kita.text.sheet_text);
    yes/no in ``lang`` (the import reads both languages' words)."""
    if isinstance(value, bool):
        return yes_no(value, lang)
    return sheet_text(_to_text(value))


def unneutral(value: str) -> str:
    """Undo ``sheet_text`` on import: "'=x" -> "=x" (validation then judges the value)."""
    return value[1:] if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_PREFIXES) else value


def export_frame(frame: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """A stored table as formula-neutral text cells, every column kept (a file that imports back as is)."""
    frame = frame.drop(columns=[ROW_VERSION], errors="ignore")
    return frame.astype(object).map(lambda value: neutral(value, lang))


def csv_bytes(frame: pd.DataFrame, lang: str = "de") -> bytes:
    """CSV for Excel in ``lang``: UTF-8 with BOM, every cell text; the field separator of the locale (German
    ';', English ',': reports.tables.csv_dialect). Numbers keep their stored form with a decimal point, dates are
    ISO: the file imports back in any language."""
    # CRLF as Excel writes it; it also makes the csv module quote a text with a bare CR (else Excel starts a
    # new row there, and that row's first cell could be a formula).
    separator = csv_dialect(lang)[0]
    return export_frame(frame, lang).to_csv(index=False, sep=separator, lineterminator="\r\n").encode("utf-8-sig")


def excel_bytes(tables: dict[str, pd.DataFrame], lang: str = "de") -> bytes:
    """One sheet per table, named in ``lang``; every cell is a text cell (never a formula), yes/no in ``lang``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in tables.items():
        sheet = book.create_sheet(table_title(title, lang)[:31])
        clean = export_frame(frame, lang)
        sheet.append(list(clean.columns))
        for row in clean.itertuples(index=False):
            sheet.append(list(row))
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
