"""Import of Kitas, Fachkräfte, Kontakte and Gemeinde-Kennzahlen from a spreadsheet or a GIS file, and
export of every table.

``datastore.uploads.read_file`` reads the file within limits; ``file_rows`` maps common German (and English)
headers to the schema's columns and keeps only the columns the file carries; ``plan`` is the dry run: each row
matched by ID, else by name and PLZ/Gemeinde (the rule is named per row), merged with the stored record so that
only what the file carries changes, what can be derived filled in (Gemeinde from place name or PLZ, ID, a new
Kita without coordinates at its Gemeinde, marked "Lage ungefähr"), then every change per field, every problem
(also duplicates) and every implausible value by row of the file. Nothing is written here:
``Store.save_changes`` applies exactly the dry run's rows in one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from datastore.store import ROW_VERSION, Changes, _records, _to_text
from datastore.uploads import FILE_TYPES, MAX_ROWS, MAX_UPLOAD_BYTES, Upload, read_file  # noqa: F401 (the page's)
from geo.layers import FIELD_IDS, KEYS, SCHEMAS, Problem, area_label, field_label
from geo.layers import TABLE_IDS as DATA_TABLE_IDS
from kita.constants import OUTPUT_CRS
from kita.i18n import CATALOGUES, N_, Message, say, text
from kita.text import FORMULA_PREFIXES, csv_dialect, number, sheet_text, yes_no
from kita.text import date as date_text

IMPORT_TABLES = ("kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen")  # names on screen: table_title


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


def header_key(text: str) -> str:
    """'Straße u. Hausnr.' -> 'strasseuhausnr': lower case, umlauts spelled out, letters and digits only."""
    text = str(text).strip().lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text)


# --- reading a file ----------------------------------------------------------------------------


def choose_sheet(upload: Upload, table: str) -> str:
    """The sheet or layer to import into ``table`` first: one named like the table (its key, or its title in
    any UI language, as the app's own exports name them), else the first with rows."""
    wanted = {header_key(table)} | {header_key(table_title(table, lang)) for lang in CATALOGUES}
    names = upload.sheet_names()
    for name in names:
        if header_key(name) in wanted:
            return name
    return next((n for n in names if len(upload.sheets[n])), names[0])


def read_upload(filename: str, data: bytes, table: str = "", sheet: str | None = None
                ) -> tuple[pd.DataFrame, list[Message]]:
    """One table of the file as text cells (``sheet``, else :func:`choose_sheet`) and notes on how it was read."""
    upload = read_file(filename, data)
    name = sheet if sheet in upload.sheets else choose_sheet(upload, table)
    return upload.sheets[name], sheet_notes(upload, name)


def sheet_notes(upload: Upload, sheet: str) -> list[Message]:
    """How the file was read, and which of its sheets/layers is shown."""
    if upload.kind == "excel":
        return [*upload.notes, Message("upload_excel_sheet", blatt=sheet)]
    if upload.kind == "gpkg":
        return [*upload.notes, Message("upload_gis_layer", art="GeoPackage", n=len(upload.sheets[sheet]), ebene=sheet)]
    return list(upload.notes)


# --- mapping to the schema ---------------------------------------------------------------------


def map_headers(table: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Message]]:
    """Rename recognised headers to the schema's names; notes name every mapping and ignored column."""
    lookup = {}
    for column, words in SYNONYMS[table].items():
        for word in [column, *words]:
            lookup.setdefault(header_key(word), column)
    for column in SYNONYMS[table]:
        # the field's title as the editor shows it, in either UI language ("Stellenanteil (VZÄ)", "FTE")
        for lang in ("de", "en"):
            if column in FIELD_IDS:
                lookup.setdefault(header_key(text(FIELD_IDS[column], lang)), column)
    renamed, notes, ignored = {}, [], []
    for header in raw.columns:
        target = lookup.get(header_key(header))
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
    _lookups: dict = field(default_factory=dict, repr=False, compare=False)

    def lookup(self, kind: str) -> dict:
        """Gemeinde keys by folded name ("name"), by folded Ortsteil ("ortsteil") or lists by AGS ("ags"), made
        once (a file of thousands of rows asks for each row)."""
        if kind not in self._lookups:
            keys = list(self.gemeinden["gemeinde_rs"])
            if kind == "name":
                self._lookups[kind] = {header_key(n): k for n, k in zip(self.gemeinden["gemeinde"], keys)}
            elif kind == "ortsteil":
                self._lookups[kind] = {header_key(n): k for n, k in zip(self.ortsteile["ortsteil"], self.ortsteile["gemeinde_rs"])}
            else:
                by_ags: dict[str, list[str]] = {}
                for k in keys:
                    by_ags.setdefault(k[:5] + k[9:], []).append(k)
                self._lookups[kind] = by_ags
        return self._lookups[kind]


def file_rows(table: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Message]]:
    """The file's cells under the schema's column names, only the columns the file carries (the preview the
    coordinator may correct; everything derived is derived again from it), and notes on the headers."""
    frame, notes = map_headers(table, raw)
    frame = frame.fillna("").astype(str).map(lambda v: unneutral(v.strip()))
    return frame.reset_index(drop=True), notes


def _gemeinde_key(value: str, places: Places) -> str | None:
    """A 12-digit key from a key (also with its leading zero lost in Excel), an 8-digit AGS or a name."""
    text = str(value).strip()
    if text.isdigit():
        if len(text) == 11:
            text = "0" + text
        if len(text) == 12:
            return text
        if len(text) in {7, 8}:
            match = places.lookup("ags").get(text.zfill(8), [])
            return match[0] if len(match) == 1 else None
        return None
    folded = header_key(text)
    if not folded:
        return None
    return places.lookup("name").get(folded) or places.lookup("ortsteil").get(folded)


# What a spreadsheet's status column says about a position, in German or English.
VACANT_WORDS = {"geplant", "offen", "frei", "unbesetzt", "vakant", "ausgeschrieben",
                "planned", "open", "vacant", "unfilled", "advertised"}
FILLED_WORDS = {"besetzt", "aktiv", "vergeben", "belegt", "filled", "active", "occupied"}


def _normalise(table: str, cells: dict[str, str], places: Places, areas: dict[str, str],
               warnings_: list[Message]) -> dict[str, str]:
    """One row's carried cells in the forms validation reads: a VZÄ in percent, an
    area or Gemeinde by name, a status word; ``warnings_`` gets what was reinterpreted."""
    cells = dict(cells)  # German thousands in counts: kita.numbers.parse_cell, where the cells are checked
    if table == "fachkraefte":
        if "gebiet_rs" in cells:
            cells["gebiet_rs"] = areas.get(header_key(cells["gebiet_rs"]), cells["gebiet_rs"])
        if cells.get("vze"):
            value = cells["vze"].replace(" ", "")
            try:
                fte = float(value.rstrip("%").replace(",", "."))
            except ValueError:
                fte = None
            if fte is not None and (value.endswith("%") or 1 < fte <= 100):
                cells["vze"] = f"{fte / 100:g}"
                warnings_.append(Message("import_warn_vze_percent", wert=value, vze=cells["vze"]))
        status = header_key(cells.get("besetzt", ""))
        if status in VACANT_WORDS:
            cells["besetzt"] = "nein"
        elif status in FILLED_WORDS:
            cells["besetzt"] = "ja"
    elif table == "gemeinden_kennzahlen":
        given = cells.get("gemeinde_rs", "")
        key = _gemeinde_key(given, places) if given else None
        if key is None and not given and cells.get("gemeinde"):
            key = _gemeinde_key(cells["gemeinde"], places)
        if key:
            cells["gemeinde_rs"] = key
    return cells


def _kita_gemeinde(cells: dict[str, str], places: Places, plz_map: dict) -> tuple[str, Message | None]:
    """A Kita row's Gemeinde key from its key cell, Gemeinde name, place or PLZ, and how it was found ('' when
    none; a key given but unknown is returned as given: validation names it)."""
    given = cells.get("gemeinde_rs", "")
    if given:
        return (_gemeinde_key(given, places) or given), None
    for column in (GEMEINDE_NAME, "ort"):
        key = _gemeinde_key(cells[column], places) if cells.get(column) else None
        if key:
            return key, Message("import_derived_gemeinde", feld=_label("kitas", column))
    if len(plz_map.get(cells.get("plz", ""), [])) == 1:
        return plz_map[cells["plz"]][0], Message("import_derived_gemeinde", feld=_label("kitas", "plz"))
    return "", None


# --- the dry run -------------------------------------------------------------------------------

MODES = ("update", "replace")
# How a file row finds its record when it has no ID (in this order; a rule applies only when exactly one stored
# row fits). Catalogue ids of the rules: RULE_IDS.
MATCH_RULES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "kitas": [("name_plz", ("name", "plz")), ("name_gemeinde", ("name", "gemeinde_rs"))],
    "fachkraefte": [("name_area", ("bezeichnung", "gebiet_rs"))],
    "kontakte": [("name_role", ("name", "rolle"))],
    "gemeinden_kennzahlen": [],
}
RULE_IDS = {
    "id": N_("import_rule_id"), "new_id": N_("import_rule_new_id"), "name_plz": N_("import_rule_name_plz"),
    "name_gemeinde": N_("import_rule_name_gemeinde"), "name_area": N_("import_rule_name_area"),
    "name_role": N_("import_rule_name_role"), "new": N_("import_rule_new"), "dropped": N_("import_rule_dropped"),
}
# Two rows of one file that describe the same thing (beyond the same ID): a problem before applying.
SAME_THING = {"kitas": ("name", "strasse", "plz"), "fachkraefte": ("bezeichnung", "gebiet_rs", "beginn"),
              "kontakte": ("name", "rolle", "organisation"), "gemeinden_kennzahlen": ()}
# Outcomes of a row (catalogue ids).
OUTCOME_IDS = {"new": N_("import_outcome_new"), "changed": N_("import_outcome_changed"),
               "unchanged": N_("import_outcome_unchanged"), "problem": N_("import_outcome_problem"),
               "dropped": N_("import_outcome_dropped")}
KITA_SIZE_WARN = 400  # children or places of one Kita beyond which a value is worth a second look


@dataclass
class RowPlan:
    """What the import does with one row of the file."""

    line: int  # in the file (header = 1)
    key: str  # the record ('' when none could be found or made)
    rule: str  # RULE_IDS
    outcome: str = "unchanged"  # OUTCOME_IDS
    derived: list[Message] = field(default_factory=list)


@dataclass
class DryRun:
    """What an import would write, row by row and field by field. ``changes()`` is exactly what is shown:
    applying writes these rows (each based on the row version the dry run read) and nothing else."""

    table: str
    mode: str
    rows: list[RowPlan] = field(default_factory=list)
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, field name, old, new (shown)
    upserts: list[dict] = field(default_factory=list)
    deletes: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    typed: pd.DataFrame | None = None  # the checked rows (schema types), file order, dropped rows left out

    @property
    def added(self) -> list[str]:
        return [r.key for r in self.rows if r.outcome == "new"]

    @property
    def unchanged(self) -> int:
        return sum(r.outcome == "unchanged" for r in self.rows)

    @property
    def removed(self) -> list[str]:
        return [key for key, _ in self.deletes]

    def changed_keys(self) -> list[str]:
        return list(dict.fromkeys(c[0] for c in self.changed))

    def changes(self) -> Changes:
        """The store changes; empty while there are problems."""
        if self.problems:
            return Changes()
        return Changes(upserts=[dict(u) for u in self.upserts], deletes=list(self.deletes))

    def fingerprint(self) -> str:
        """Identity of what would be written (compared between the dry run shown and the one applied)."""
        payload = json.dumps([self.mode, self.upserts, self.deletes, [p.row for p in self.problems]],
                             default=str, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def summary(self) -> Message:
        return Message("import_summary_counts", neu=len(self.added), geaendert=len(self.changed_keys()),
                       unveraendert=self.unchanged, entfernt=len(self.deletes),
                       verworfen=sum(r.outcome == "dropped" for r in self.rows), probleme=len(self.problems),
                       warnungen=len(self.warnings))

    def field_counts(self) -> dict[str, int]:
        """Changes per field (field name -> number of records whose value changes)."""
        counts: dict[str, int] = {}
        for _key, name, _old, _new in self.changed:
            counts[name] = counts.get(name, 0) + 1
        return counts


def row_table(result: DryRun, lang: str = "de") -> pd.DataFrame:
    """One line per row of the file: its record, the rule that found it, what happens to it, what was derived."""
    return pd.DataFrame({
        text("data_col_row", lang): [r.line for r in result.rows],
        text("import_col_record", lang): [r.key or "–" for r in result.rows],
        text("import_col_rule", lang): [text(RULE_IDS[r.rule], lang) for r in result.rows],
        text("import_col_outcome", lang): [text(OUTCOME_IDS[r.outcome], lang) for r in result.rows],
        text("import_col_derived", lang): ["; ".join(say(m, lang) for m in r.derived) for r in result.rows],
    })


def change_table(result: DryRun, lang: str = "de") -> pd.DataFrame:
    """Every change per field: record, field (its title in ``lang``), old → new."""
    return pd.DataFrame([(k, field_title(f, lang), old, new) for k, f, old, new in result.changed],
                        columns=[text("import_col_record", lang), text("data_col_column", lang),
                                 text("data_col_old", lang), text("data_col_new", lang)])


def problem_table(problems: list[Problem], lang: str = "de") -> pd.DataFrame:
    """Problems or values to check by row of the file and column."""
    return pd.DataFrame([(p.row, say(p.column, lang), say(p.message, lang)) for p in problems],
                        columns=[text("data_col_row", lang), text("data_col_column", lang),
                                 text("data_col_problem", lang)])


def plan(table: str, rows: pd.DataFrame, places: Places, current: pd.DataFrame, check, *,
         mode: str = "update", lines: list[int] | None = None, keep: list[bool] | None = None,
         lang: str = "de", served: dict[str, list[str]] | None = None) -> DryRun:
    """The dry run of importing ``rows`` (file cells under schema names, :func:`file_rows`) into ``table``.

    ``current`` is the stored table with row versions (Store.read_for_edit); ``check`` is Store.check. Mode
    "update" changes only what the file carries: a column the file lacks stays as stored, a blank cell of a
    matched record keeps its value, coordinates move only where the file gives them, and no record is removed.
    Mode "replace" makes the table the file: blank cells clear values and records not in the file are removed.
    ``lines`` are the rows' lines in the file (header = 1), ``keep`` False drops a row. Values shown in
    ``changed`` are in ``lang``. ``served`` (:func:`served_kitas`) makes removing a Kita that a position names a
    problem here, as the store would refuse it.
    """
    if mode not in MODES:
        raise ValueError(mode)
    key = KEYS[table]
    schema = {c.name: c for c in SCHEMAS[table]}
    lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
    keep = list(keep) if keep is not None else [True] * len(rows)
    result = DryRun(table, mode)
    carried = [c for c in rows.columns if c in schema or (table == "kitas" and c == GEMEINDE_NAME)]
    stored = current.drop(columns=[ROW_VERSION], errors="ignore")
    versions = dict(zip(current[key].astype(str), current[ROW_VERSION])) if len(current) else {}
    stored_text = {str(r[key]): {c: _to_text(r.get(c)) for c in schema} for r in stored.to_dict("records")}
    stored_typed = {str(r[key]): r for r in stored.to_dict("records")}
    areas = _area_names(places)
    plz_map = places.plz.groupby("plz")["gemeinde_rs"].agg(list).to_dict() if table == "kitas" else {}
    centres = places.gemeinden.set_index("gemeinde_rs").geometry.representative_point() if table == "kitas" else None
    indexes = {rule: _index(stored_text, fields) for rule, fields in MATCH_RULES[table]}
    taken, next_numbers = set(stored_text), {}
    merged_rows: list[dict] = []
    plans: list[RowPlan] = []
    blanks_kept = 0
    for position, record in enumerate(rows[carried].fillna("").astype(str).to_dict("records")):
        line = lines[position]
        if not keep[position]:
            result.rows.append(RowPlan(line, _text(record.get(key, "")), "dropped", "dropped"))
            continue
        reinterpreted: list[Message] = []
        cells = _normalise(table, {c: v.strip() for c, v in record.items()}, places, areas, reinterpreted)
        row_plan = RowPlan(line, "", "new")
        result.warnings += [Problem(line, field_label("vze"), m) for m in reinterpreted]
        gemeinde = ""
        if table == "kitas":
            gemeinde, how = _kita_gemeinde(cells, places, plz_map)
            if how is not None:
                row_plan.derived.append(how)
        found = None
        if cells.get(key):
            found = cells[key]
            row_plan.rule = "id" if found in stored_text else "new_id"
        else:
            probe = cells | ({"gemeinde_rs": gemeinde} if gemeinde else {})
            for rule, fields in MATCH_RULES[table]:
                value = tuple(header_key(probe.get(f, "")) for f in fields)
                if all(value) and len(indexes[rule].get(value, [])) == 1:
                    found, row_plan.rule = indexes[rule][value][0], rule
                    break
        matched = found is not None and found in stored_text
        merged = dict(stored_text[found]) if matched else {c: "" for c in schema}
        if found is not None:
            merged[key] = found
        for column in carried:
            if column not in schema or column == key:
                continue
            value = cells.get(column, "")
            if schema[column].kind in {"lat", "lon"}:
                if value:
                    merged[column] = value
                elif matched and merged.get(column):
                    blanks_kept += mode == "update"
            elif value or not matched or mode == "replace":
                merged[column] = value
            elif merged.get(column):
                blanks_kept += 1
        if table == "kitas":
            if gemeinde and (not matched or cells.get("gemeinde_rs") or cells.get(GEMEINDE_NAME)):
                merged["gemeinde_rs"] = gemeinde
            gives_point = bool(cells.get("lat") and cells.get("lon"))
            if gives_point and "lage_ungefaehr" not in carried:
                merged["lage_ungefaehr"] = "nein"
            if not merged.get("lat") or not merged.get("lon"):
                if merged["gemeinde_rs"] in centres.index:
                    point = centres[merged["gemeinde_rs"]]
                    merged["lat"], merged["lon"] = f"{point.y:.5f}", f"{point.x:.5f}"
                    merged["lage_ungefaehr"] = "ja"
                    row_plan.derived.append(Message("import_derived_point"))
        if not merged.get(key):
            made = _new_key(table, merged, taken, next_numbers)
            if made:
                merged[key] = made
                row_plan.derived.append(Message("import_derived_id", id=made))
        row_plan.key = merged.get(key, "")
        if row_plan.key:
            taken.add(row_plan.key)
        if not matched and row_plan.rule not in {"new_id"}:
            row_plan.rule = "new"
        plans.append(row_plan)
        merged_rows.append(merged)
        result.rows.append(row_plan)
    if blanks_kept:
        result.notes.append(Message("import_blanks_kept", n=blanks_kept))
    if not merged_rows:
        return result
    text = pd.DataFrame(merged_rows, columns=list(schema)).fillna("").astype(str)
    file_lines = [p.line for p in plans]
    result.problems += _duplicates(table, text, file_lines, plans)
    result.problems += _duplicates_of_stored(table, text, plans, stored_text)
    known = None
    if table == "kitas":
        known = {"kitas": set(stored_text) | set(text[key]), "gemeinden": set(places.gemeinden["gemeinde_rs"])}
    typed, problems = (check(table, text, known) if known is not None else check(table, text))
    problems = [p for p in problems if p.message.key != "check_duplicate"]  # named with file lines above
    result.problems += [Problem(file_lines[p.row - 2] if 2 <= p.row < len(file_lines) + 2 else p.row,
                                p.column, p.message) for p in problems]
    if table == "kitas" and problems:  # locations of the rows without problems of their own
        bad = {p.row - 2 for p in problems}
        good = [i for i in range(len(text)) if i not in bad]
        if good:
            _, located = check(table, text.iloc[good].reset_index(drop=True), known)
            result.problems += [Problem(file_lines[good[p.row - 2]], p.column, p.message) for p in located
                                if p.message.key == "check_point_outside_gemeinde"]
    result.problems.sort(key=lambda p: p.row)
    problem_lines = {p.row for p in result.problems}
    result.typed = typed
    records = [_schema_types(table, r) for r in _records(typed)] if len(typed) else []
    for row_plan, record in zip(plans, records):
        result.warnings += _plausibility(table, record, row_plan.line)
        if row_plan.line in problem_lines:
            row_plan.outcome = "problem"
            continue
        old = stored_typed.get(row_plan.key)
        if old is None:
            row_plan.outcome = "new"
            result.upserts.append(record | {ROW_VERSION: None})
            continue
        differences = [(name, _shown(schema[name], old.get(name), lang), _shown(schema[name], record[name], lang))
                       for name in schema if name != key and _differs(old.get(name), record[name])]
        if differences:
            row_plan.outcome = "changed"
            result.changed += [(row_plan.key, *d) for d in differences]
            result.upserts.append(record | {ROW_VERSION: int(versions[row_plan.key])})
    if mode == "replace":
        in_file = {p.key for p in plans}
        result.deletes = [(k, int(versions[k])) for k in stored_text if k not in in_file]
        for record_key, position in _still_served(table, [k for k, _ in result.deletes], served):
            # named in the header row: the Kita is not in the file; the store would refuse the whole import
            result.problems.append(Problem(1, field_label("id"), Message("store_kita_still_served", kitas=record_key,
                                                                         stelle=position)))
    result.warnings.sort(key=lambda p: p.row)
    return result


def served_kitas(positions: pd.DataFrame) -> dict[str, list[str]]:
    """Kita id -> the positions that name it explicitly (Fachkräfte's "kitas"): such a Kita cannot be removed."""
    served: dict[str, list[str]] = {}
    for position, kitas in zip(positions["id"], positions["kitas"]):
        for kita in {k.strip() for k in str(kitas or "").split(";") if k.strip()}:
            served.setdefault(kita, []).append(str(position))
    return served


def _still_served(table: str, deleted: list[str], served: dict[str, list[str]] | None) -> list[tuple[str, str]]:
    if table != "kitas" or not served:
        return []
    return [(k, position) for k in deleted for position in served.get(k, [])]


def _schema_types(table: str, record: dict) -> dict:
    """A checked row with counts as int (pandas makes a column of counts and gaps float)."""
    for column in SCHEMAS[table]:
        if column.kind == "int" and record.get(column.name) is not None:
            record[column.name] = int(record[column.name])
    return record


def _text(value) -> str:
    return "" if value is None or value != value else str(value)


def _area_names(places: Places) -> dict[str, str]:
    names = {}
    for key, gen, bez in zip(places.areas["gebiet_rs"], places.areas["GEN"], places.areas["BEZ"]):
        for variant in [key, gen, area_label(gen, bez), f"Verbandsgemeinde {gen}", f"VG {gen}", f"Stadt {gen}"]:
            names[header_key(variant)] = key
    return names


def _index(stored_text: dict[str, dict], fields: tuple[str, ...]) -> dict[tuple, list[str]]:
    index: dict[tuple, list[str]] = {}
    for record_key, row in stored_text.items():
        value = tuple(header_key(row.get(f, "")) for f in fields)
        if all(value):
            index.setdefault(value, []).append(record_key)
    return index


def _new_key(table: str, row: dict, taken: set[str], start: dict[str, int] | None = None) -> str:
    """A new record's ID: 'K-<Gemeinde key>-01' for a Kita, 'F-<area key>-01' for a position (the first free
    number). The hyphens set them apart from every ID of the seed's or a Kreis' own scheme (K00300301)."""
    if table == "kitas" and re.fullmatch(r"\d{12}", row.get("gemeinde_rs", "")):
        prefix = f"K-{row['gemeinde_rs']}-"
    elif table == "fachkraefte" and re.fullmatch(r"\d{9}", row.get("gebiet_rs", "")):
        prefix = f"F-{row['gebiet_rs']}-"
    else:
        return ""
    start = {} if start is None else start  # the next number to try per prefix (no search from 1 for each row)
    number = start.get(prefix, 1)
    while f"{prefix}{number:02d}" in taken:
        number += 1
    start[prefix] = number + 1
    return f"{prefix}{number:02d}"


def _duplicates(table: str, text: pd.DataFrame, lines: list[int], plans: list[RowPlan]) -> list[Problem]:
    """Rows of one file that are one record (same ID, also when matched by name) or one thing (same name and
    address): a problem on each of them."""
    problems = []
    key = KEYS[table]
    groups: dict[tuple, list[int]] = {}
    for position, value in enumerate(text[key]):
        if value:
            groups.setdefault(("key", value), []).append(position)
    fields = SAME_THING[table]
    if fields:
        for position, row in enumerate(text[list(fields)].to_dict("records")):
            value = tuple(header_key(row[f]) for f in fields)
            if value[0]:
                groups.setdefault(("same",) + value, []).append(position)
    for group, positions in groups.items():
        if len(positions) < 2 or (group[0] == "same" and len({text[key].iloc[p] for p in positions}) < 2):
            continue  # rows of one record are named once, as that
        shown = ", ".join(str(lines[p]) for p in positions)
        message = (Message("import_duplicate_id", id=group[1], zeilen=shown) if group[0] == "key"
                   else Message("import_duplicate_same", zeilen=shown, felder=tuple(field_label(f) for f in fields)))
        problems += [Problem(lines[p], field_label(key) if group[0] == "key" else field_label(fields[0]), message)
                     for p in positions]
    return problems


def _duplicates_of_stored(table: str, text: pd.DataFrame, plans: list[RowPlan], stored_text: dict[str, dict]
                          ) -> list[Problem]:
    """A new row (no ID, or an ID the table lacks) with the name and address of a stored record: most likely that
    record under a mistyped or other ID, so a problem (correct the ID, or drop the row)."""
    fields = SAME_THING[table]
    if not fields:
        return []
    index = _index(stored_text, fields[:1])  # by name; the rest compared below (a blank street counts)
    problems = []
    for row_plan, row in zip(plans, text[list(fields)].to_dict("records")):
        if row_plan.key in stored_text:
            continue
        value = tuple(header_key(row[f]) for f in fields)
        same = [k for k in index.get(value[:1], [])
                if tuple(header_key(stored_text[k].get(f, "")) for f in fields) == value]
        if value[0] and same:
            problems.append(Problem(row_plan.line, field_label(fields[0]), Message(
                "import_duplicate_stored", id=same[0], felder=tuple(field_label(f) for f in fields))))
    return problems


def _plausibility(table: str, row: dict, line: int) -> list[Problem]:
    """Values that pass the checks but are worth a second look."""
    found = []
    if table == "kitas":
        children, places_ = row.get("kinder"), row.get("plaetze")
        if children is not None and places_:
            if children > places_ * 1.25 and children - places_ >= 10:
                found.append(Problem(line, field_label("kinder"), Message("import_warn_more_children", kinder=children,
                                                                          plaetze=places_)))
            elif places_ > max(children, 1) * 3 and places_ - children >= 30:
                found.append(Problem(line, field_label("plaetze"), Message("import_warn_more_places", kinder=children,
                                                                           plaetze=places_)))
        for name in ("kinder", "plaetze"):
            if row.get(name) is not None and row[name] > KITA_SIZE_WARN:
                found.append(Problem(line, field_label(name), Message("import_warn_large", feld=field_label(name),
                                                                      wert=row[name], max=KITA_SIZE_WARN)))
    elif table == "fachkraefte":
        fte = row.get("vze")
        if fte is not None and fte < 0.25:
            found.append(Problem(line, field_label("vze"), Message("import_warn_small_vze", vze=fte)))
    return found


def _differs(old, new) -> bool:
    """Whether a stored value and an imported one differ (75.0 and 75 do not; None and '' do not)."""
    old_text, new_text = _to_text(old), _to_text(new)
    if old_text == new_text:
        return False
    try:
        return float(old_text) != float(new_text)
    except ValueError:
        return True


def _shown(column, value, lang: str) -> str:
    """A value as the dry run shows it, in ``lang`` (German: 0,5; ja/nein; 01.08.2024); empty as '–'."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    if column.kind == "bool":
        return yes_no(bool(value), lang)
    if column.kind == "date" and hasattr(value, "isoformat"):
        return date_text(value, lang)
    if column.kind in {"fte", "share"}:
        return number(float(value), 2 if column.kind == "fte" else 3, lang)
    if column.kind in {"lat", "lon"}:
        return number(float(value), 5, lang).replace("\u202f", "")
    if column.kind == "int":
        return number(int(value), 0, lang)
    return str(value)


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


def reimportable_csv(frame: pd.DataFrame, lang: str = "de") -> bytes:
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
