"""Tables for people: German column names, downloads as CSV (Excel-friendly) and .xlsx, and the
one-page HTML summary of a plan. Every text that reaches HTML is escaped here (geo.text.esc); every text
cell of a CSV or Excel download goes through geo.text.sheet_text, so no cell runs as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass

import pandas as pd

from geo.constants import DISTRICT
from geo.coverage import CLASSES
from geo.indicators import INDICATORS
from geo.planning import RULES, PlanResult, plan_change_table, step_text, summary_lines
from geo.text import esc, number, sheet_text

KEY_TITLES = {"gebiet_rs": "Gebietsschlüssel", "gemeinde_rs": "Gemeindeschlüssel", "kita_id": "Kita-ID"}
COVERAGE_COLUMNS = {
    "gebiet": "Gebiet",
    "gebiet_rs": "Gebietsschlüssel",
    "vze": "VZÄ",
    "stellen": "Stellen",
    "kitas": "Kitas",
    "kinder": "Kita-Kinder",
    "kitas_pro_vze": "Kitas je VZÄ",
    "kinder_pro_vze": "Kita-Kinder je VZÄ",
    "klasse_label": "Versorgung",
    "kitas_ohne_versorgung": "Kitas ohne Kita-Sozialarbeit",
}
CHANGE_COLUMNS = {
    "gebiet": "Gebiet",
    "gebiet_rs": "Gebietsschlüssel",
    "vze_vorher": "VZÄ vorher",
    "vze_nachher": "VZÄ nachher",
    "vze_differenz": "Änderung VZÄ",
    "kinder_pro_vze_vorher": "Kita-Kinder je VZÄ vorher",
    "kinder_pro_vze_nachher": "Kita-Kinder je VZÄ nachher",
    "klasse_label_vorher": "Versorgung vorher",
    "klasse_label_nachher": "Versorgung nachher",
}


def _finite(value):
    """inf (no staff) becomes empty: a table cell "∞" reads as an error, empty as "not defined"."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """A coverage_at() result with German headers, rounded figures and the uncovered Kitas as text."""
    table = coverage[list(COVERAGE_COLUMNS)].copy()
    for column in ["kitas_pro_vze", "kinder_pro_vze"]:  # no staff stays infinite: sorts as the largest need
        table[column] = table[column].astype(float).round(1)
    table["kitas_ohne_versorgung"] = table["kitas_ohne_versorgung"].map(lambda names: ", ".join(names))
    return table.rename(columns=COVERAGE_COLUMNS)


def change_table(change: pd.DataFrame) -> pd.DataFrame:
    """A change_between() result with German headers."""
    table = change[list(CHANGE_COLUMNS)].copy()
    for column in ["kinder_pro_vze_vorher", "kinder_pro_vze_nachher"]:
        table[column] = table[column].astype(float).round(1)
    return table.rename(columns=CHANGE_COLUMNS)


def indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """area_indicators() with German headers; shares in per cent."""
    table = indicators[["gebiet", "gebiet_rs", *INDICATORS, "gemeinden_ohne_daten"]].copy()
    for key, indicator in INDICATORS.items():
        if indicator.kind == "share":
            table[key] = (table[key] * 100).round(1)
        else:
            table[key] = table[key].round(0)
    names = {k: (i.label + (" (%)" if i.kind == "share" else "")) for k, i in INDICATORS.items()}
    return table.rename(columns={"gebiet": "Gebiet", "gemeinden_ohne_daten": "Gemeinden ohne Daten", **KEY_TITLES,
                                 **names})


def format_number(value) -> str:
    """A table cell in German: 1.020,8 · 0,75 · 2; no value or no staff (infinite) as '–'."""
    if value is None or isinstance(value, bool):
        return "–" if value is None else ("ja" if value else "nein")
    value = float(value)
    if not math.isfinite(value):
        return "–"
    digits = next((d for d in (0, 1, 2) if abs(value - round(value, d)) < 1e-9), 2)
    return number(value, digits)


def german_style(table: pd.DataFrame):
    """A pandas Styler that shows numbers in German ('–' for no value or no staff). The numbers stay
    numbers underneath, so the table sorts numerically: no staff (infinite children per VZÄ) sorts as
    the largest need, missing values last."""
    numbers = [c for c in table.select_dtypes("number").columns if table[c].dtype != bool]
    return table.style.format(format_number, subset=numbers, na_rep="–")


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """Drop technical key columns before showing a table on screen (exports keep them: :func:`for_export`)."""
    return table.drop(columns=[c for c in [*KEY_TITLES, *KEY_TITLES.values()] if c in table.columns])


# Columns of the planned positions (fachkraefte schema) as people read them.
POSITION_COLUMNS = {
    "id": "Stellen-ID", "bezeichnung": "Bezeichnung", "vze": "VZÄ", "telefon": "Telefon", "email": "E-Mail",
    "gebiet_rs": "Gebietsschlüssel", "kitas": "Kitas (IDs)", "beginn": "Beginn", "ende": "Ende", "demo": "Beispieldaten",
}


def for_export(table: pd.DataFrame) -> pd.DataFrame:
    """A table for a file: German titles for technical columns, keys kept (so rows can be joined again)."""
    return table.rename(columns={**POSITION_COLUMNS, **KEY_TITLES})


@dataclass(frozen=True)
class ExportInfo:
    """What a table file says about itself, so it stands alone: title, date(s), rule, threshold, data stand,
    source. Written as a header block into CSV and as a sheet "Angaben" into Excel."""

    title: str
    stand: str  # "31.07.2024", or "31.07.2024 und 01.08.2024" for a comparison
    rule: str  # coverage_rule.rule_text()
    threshold: float
    data_stand: str  # when the data were last changed
    source: str
    extra: tuple[tuple[str, str], ...] = ()  # e.g. ("Planungsregel", "…")
    created: dt.datetime | None = None

    def rows(self) -> list[tuple[str, str]]:
        rows = [
            ("Inhalt", self.title), ("Stichtag", self.stand), ("Regel Versorgung", self.rule),
            ("Schwelle unterversorgt", f"mehr als {number(self.threshold, 0)} Kita-Kinder je VZÄ"),
            *self.extra, ("Datenstand", self.data_stand), ("Quelle", self.source),
        ]
        if self.created:
            rows.append(("Erstellt", f"{self.created:%d.%m.%Y %H:%M}"))
        return rows


def source_text(demo: bool, attribution: str, boundary_stand: str = "") -> str:
    """Where the figures come from, in one German line."""
    boundaries = f"Grenzen: {attribution}, VG250" + (f" (Stand {boundary_stand})" if boundary_stand else "")
    operational = "Beispieldaten (erfunden)" if demo else DISTRICT.administration
    return f"Kita-Sozialarbeit {DISTRICT.name} · Kitas und Stellen: {operational} · {boundaries}"


def _csv_cell(value) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float):
        return f"{value:.{_digits_for(value)}f}".replace(".", ",")
    return str(value)


def _digits_for(value: float) -> int:
    return next((d for d in (0, 1, 2, 3) if abs(value - round(value, d)) < 1e-9), 4)


def csv_bytes(table: pd.DataFrame, info: ExportInfo | None = None) -> bytes:
    """CSV that German Excel opens correctly: UTF-8 with BOM, ';' separator, decimal comma, dates as
    dd.mm.yyyy. With ``info`` a header block (one "Angabe;Wert" line each, then an empty line) comes first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if info is not None:
        for label, value in info.rows():
            writer.writerow([sheet_text(label), sheet_text(value)])
        writer.writerow([])
    clean = for_export(table)
    writer.writerow([sheet_text(c) for c in clean.columns])
    for row in clean.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def read_csv_table(data: bytes) -> pd.DataFrame:
    """The table part of :func:`csv_bytes` (after the header block), for checks and re-imports."""
    text = data.decode("utf-8-sig")
    if "\r\n\r\n" in text:
        text = text.split("\r\n\r\n", 1)[1]
    return pd.read_csv(io.StringIO(text), sep=";", decimal=",", thousands=None, keep_default_na=False, dtype=str)


def excel_format(column: str, values: pd.Series) -> str | None:
    """The Excel number format of a column: dates dd.mm.yyyy, VZÄ with 2 decimals, ratios and per cent with
    1, counts without decimals; None for text. Excel shows them with the reader's separators (1.020,8)."""
    sample = [v for v in values if v is not None and not (isinstance(v, float) and not math.isfinite(v))]
    if not sample:
        return None
    if all(isinstance(v, dt.datetime) for v in sample):
        return "DD.MM.YYYY HH:MM" if any(v.time() != dt.time() for v in sample) else "DD.MM.YYYY"
    if all(isinstance(v, dt.date) for v in sample):
        return "DD.MM.YYYY"
    if any(isinstance(v, bool) for v in sample) or not all(isinstance(v, (int, float)) for v in sample):
        return None
    name = str(column)
    if "je VZÄ" in name or "(%)" in name or "Anteil" in name:
        return "#,##0.0"
    if "VZÄ" in name:
        return "#,##0.00"
    if all(float(v).is_integer() for v in sample):
        return "#,##0"
    return "#,##0.0#"


def excel_bytes(sheets: dict[str, pd.DataFrame], info: ExportInfo | None = None) -> bytes:
    """An .xlsx file with one sheet per table (bold header, number and date formats per cell, widths fitted,
    first row frozen) and, with ``info``, a last sheet "Angaben" saying what the file shows."""
    from openpyxl import Workbook  # here: only exports need it, the parents' map never does
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(_INVALID_SHEET_TITLE.sub("_", title)[:31] or "Tabelle")
        clean = for_export(table)
        sheet.append([sheet_text(c) for c in clean.columns])
        columns = [[_cell(v) for v in clean[c]] for c in clean.columns]
        formats = [excel_format(c, pd.Series(values, dtype=object)) for c, values in zip(clean.columns, columns)]
        for row in zip(*columns):
            sheet.append([("ja" if v else "nein") if isinstance(v, bool) else v for v in row])
        _text_stays_text(sheet)
        for index, fmt in enumerate(formats, start=1):
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(clean.columns, start=1):
            width = max([len(str(column))] + [len(_csv_cell(v)) for v in clean[column]]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
        sheet.freeze_panes = "A2"
    if info is not None:
        sheet = book.create_sheet("Angaben")
        sheet.append(["Angabe", "Wert"])
        for label, value in info.rows():
            sheet.append([sheet_text(label), sheet_text(value)])
        _text_stays_text(sheet)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 26
        sheet.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_INVALID_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def _text_stays_text(sheet) -> None:
    """Every text cell typed as text: openpyxl would store "=…" as a formula."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _cell(value):
    """One .xlsx cell value: numbers and dates as they are, every text through sheet_text."""
    value = _finite(value)
    if isinstance(value, (list, tuple)):
        return sheet_text(", ".join(map(str, value)))
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return sheet_text(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _html_table(table: pd.DataFrame, digits: dict[str, int] | None = None) -> str:
    digits = digits or {}
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    body = []
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(table.columns, row):
            if isinstance(value, bool):
                text = "ja" if value else ""
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                text = number(value, digits.get(column, 2 if isinstance(value, float) else 0))
            else:
                text = "" if value is None else str(value)
            cells.append(f"<td>{esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def plan_summary_html(
    title: str, rule_label: str, rule_text: str, coverage_rule: str, inputs_lines: list[str],
    steps: pd.DataFrame, change: pd.DataFrame, notes: list[str], demo: bool, created: dt.datetime,
) -> str:
    """A standalone one-page HTML summary of a plan (print it or save it as PDF from the browser)."""
    per_fte = {c: 0 for c in change.columns if "je VZÄ" in c}
    class_colours = {c.label: c.colour for c in CLASSES.values()}
    legend = " ".join(
        f"<span class='box' style='background:{esc(colour)}'></span>{esc(label)}" for label, colour in class_colours.items()
    )
    demo_line = (
        "<p class='demo'><b>Beispieldaten:</b> Kitas, Kinderzahlen und Kennzahlen sind erfunden, bis die "
        "Kreisverwaltung echte Listen liefert.</p>" if demo else ""
    )
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: "Source Sans Pro", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 270mm; }}
h1 {{ font-size: 16pt; margin: 0 0 4px; }} h2 {{ font-size: 12pt; margin: 12px 0 4px; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #999; padding: 2px 5px; text-align: left; }}
th {{ background: #eee; }} .demo {{ background: #fff3cd; padding: 4px 8px; }}
.box {{ display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; border: 1px solid #333; }}
.meta {{ color: #444; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p class="meta">Erstellt am {esc(created.strftime('%d.%m.%Y %H:%M'))} · {esc(DISTRICT.name)}, Kita-Sozialarbeit</p>
{demo_line}
<p><b>Regel: {esc(rule_label)}.</b> {esc(rule_text)}<br>{esc(coverage_rule)}</p>
<p>{'<br>'.join(esc(line) for line in inputs_lines)}</p>
<h2>Schritte</h2>
{_html_table(steps, {"Schritt": 0, "VZÄ": 1})}
{''.join(f'<p>{esc(note)}</p>' for note in notes)}
<h2>Vorher / nachher je Gebiet</h2>
{_html_table(for_display(change), per_fte)}
<p class="meta">Versorgung: {legend}</p>
</body></html>"""


def plan_html(result: PlanResult, coverage_rule: str, rule_text: str, demo: bool, created: dt.datetime) -> str:
    """The one-page summary of a plan."""
    steps = result.steps_table().drop(columns=["VZÄ vorher", "VZÄ nachher"])
    return plan_summary_html(
        f"Planung Kita-Sozialarbeit: {step_text(result.inputs.n_fte)} neue VZÄ",
        RULES[result.inputs.rule].label, rule_text, coverage_rule, summary_lines(result), steps,
        plan_change_table(result), result.notes, demo, created,
    )
