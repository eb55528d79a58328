"""Tables for people: German column names, downloads as CSV (Excel-friendly) and .xlsx, and the
one-page HTML summary of a plan. Every text that reaches HTML is escaped here (geo.text.esc); every text
cell of a CSV or Excel download goes through geo.text.sheet_text, so no cell runs as a formula."""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from geo.constants import DISTRICT
from geo.coverage import CLASSES
from geo.indicators import INDICATORS
from geo.planning import RULES, PlanResult, plan_change_table, summary_lines
from geo.text import esc, number, sheet_text

COVERAGE_COLUMNS = {
    "gebiet": "Gebiet",
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
    for column in ["kitas_pro_vze", "kinder_pro_vze"]:
        table[column] = [None if _finite(v) is None else round(v, 1) for v in table[column]]
    table["kitas_ohne_versorgung"] = table["kitas_ohne_versorgung"].map(lambda names: ", ".join(names))
    return table.rename(columns=COVERAGE_COLUMNS)


def change_table(change: pd.DataFrame) -> pd.DataFrame:
    """A change_between() result with German headers."""
    table = change[list(CHANGE_COLUMNS)].copy()
    for column in ["kinder_pro_vze_vorher", "kinder_pro_vze_nachher"]:
        table[column] = [None if _finite(v) is None else round(v, 1) for v in table[column]]
    return table.rename(columns=CHANGE_COLUMNS)


def indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """area_indicators() with German headers; shares in per cent."""
    table = indicators[["gebiet", *INDICATORS, "gemeinden_ohne_daten"]].copy()
    for key, indicator in INDICATORS.items():
        if indicator.kind == "share":
            table[key] = (table[key] * 100).round(1)
        else:
            table[key] = table[key].round(0)
    names = {k: (i.label + (" (%)" if i.kind == "share" else "")) for k, i in INDICATORS.items()}
    return table.rename(columns={"gebiet": "Gebiet", "gemeinden_ohne_daten": "Gemeinden ohne Daten", **names})


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
    """A pandas Styler that shows numbers in German. Columns with gaps (no staff: no children per
    VZÄ) become text, because the table widget would print an empty number as "None"."""
    table = table.copy()
    numbers = [c for c in table.select_dtypes("number").columns if table[c].dtype != bool]
    with_gaps = [c for c in numbers if table[c].isna().any() or (table[c].abs() == math.inf).any()]
    for column in with_gaps:
        table[column] = table[column].map(format_number)
    return table.style.format(format_number, subset=[c for c in numbers if c not in with_gaps])


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """Drop technical key columns before showing or exporting."""
    return table.drop(columns=[c for c in ["gebiet_rs"] if c in table.columns])


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV that German Excel opens correctly: UTF-8 with BOM, ';' separator, decimal comma."""
    clean = for_display(table).map(_finite)
    for column in clean.columns[clean.dtypes == bool]:
        clean[column] = clean[column].map({True: "ja", False: "nein"})
    clean = clean.map(lambda value: sheet_text(value) if isinstance(value, str) else value)
    clean.columns = [sheet_text(c) for c in clean.columns]
    # CRLF as Excel writes it; it also makes the csv module quote a text with a bare CR, which would
    # otherwise start a new row in Excel (and that row's first cell could be a formula).
    return clean.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx file with one sheet per table (bold header, widths fitted, first row frozen)."""
    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(_INVALID_SHEET_TITLE.sub("_", title)[:31] or "Tabelle")
        clean = for_display(table)
        sheet.append([sheet_text(c) for c in clean.columns])
        for row in clean.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: openpyxl would store "=…" as a formula
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(clean.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in clean[column]]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_INVALID_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def _cell(value):
    """One .xlsx cell value: numbers and dates as they are, every text through sheet_text."""
    value = _finite(value)
    if isinstance(value, (list, tuple)):
        return sheet_text(", ".join(map(str, value)))
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return sheet_text(value)
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
        f"Planung Kita-Sozialarbeit: {number(result.inputs.n_fte, 1)} neue VZÄ",
        RULES[result.inputs.rule].label, rule_text, coverage_rule, summary_lines(result), steps,
        plan_change_table(result), result.notes, demo, created,
    )
