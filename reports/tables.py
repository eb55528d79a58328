"""Tables for people: German column names, downloads as CSV (Excel-friendly) and .xlsx, and the
one-page HTML summary of a plan. Every text that reaches HTML is escaped here (kita.text.esc); every text
cell of a CSV or Excel download goes through kita.text.sheet_text, so no cell runs as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass

import pandas as pd
from babel.numbers import format_decimal

from kita import constants
from kita.coverage import CLASSES, class_title
from kita.i18n import N_, locale_of, text
from kita.indicators import INDICATORS
from kita.planning import RULES, PlanResult, plan_change_table, step_text, summary_lines
from kita.text import csv_dialect, date, esc, number, sheet_text, yes_no

# Column keys -> catalogue ids of their titles. Tables are built with these keys (stable for code and tests);
# :func:`titled` gives them the titles of the UI language, for the screen and the files.
COLUMN_IDS = {
    "gebiet": N_("col_gebiet"), "gebiet_rs": N_("col_gebiet_rs"), "gemeinde": N_("col_gemeinde"),
    "gemeinde_rs": N_("col_gemeinde_rs"), "kita_id": N_("col_kita_id"), "kita": N_("col_kita"),
    "vze": N_("col_vze"), "stellen": N_("col_stellen"), "kitas": N_("col_kitas"), "kinder": N_("col_kinder"),
    "kitas_pro_vze": N_("col_kitas_pro_vze"), "kinder_pro_vze": N_("col_kinder_pro_vze"),
    "klasse_label": N_("col_klasse_label"), "kitas_ohne_versorgung": N_("col_kitas_ohne_versorgung"),
    "vze_vorher": N_("col_vze_vorher"), "vze_nachher": N_("col_vze_nachher"), "vze_differenz": N_("col_vze_differenz"),
    "kinder_pro_vze_vorher": N_("col_kinder_pro_vze_vorher"),
    "kinder_pro_vze_nachher": N_("col_kinder_pro_vze_nachher"),
    "klasse_label_vorher": N_("col_klasse_label_vorher"), "klasse_label_nachher": N_("col_klasse_label_nachher"),
    "gemeinden_ohne_daten": N_("col_gemeinden_ohne_daten"), "stand": N_("col_stand"),
    "betreut_von": N_("col_betreut_von"), "seit": N_("col_seit"),
    # planned positions (fachkraefte schema)
    "id": N_("col_id"), "bezeichnung": N_("col_bezeichnung"), "telefon": N_("col_telefon"),
    "email": N_("col_email"), "kitas_ids": N_("col_kitas_ids"), "beginn": N_("col_beginn"), "ende": N_("col_ende"),
    "demo": N_("col_demo"),
}
KEY_COLUMNS = ("gebiet_rs", "gemeinde_rs", "kita_id")  # kept in files (rows can be joined again), not on screen
CLASS_COLUMNS = ("klasse_label", "klasse_label_vorher", "klasse_label_nachher")
COVERAGE_COLUMNS = ["gebiet", "gebiet_rs", "vze", "stellen", "kitas", "kinder", "kitas_pro_vze", "kinder_pro_vze",
                    "klasse_label", "kitas_ohne_versorgung"]
CHANGE_COLUMNS = ["gebiet", "gebiet_rs", "vze_vorher", "vze_nachher", "vze_differenz", "kinder_pro_vze_vorher",
                  "kinder_pro_vze_nachher", "klasse_label_vorher", "klasse_label_nachher"]
FULL_UI = ("de", "en")  # the languages of the whole UI (and of every export)


def title(key: str, lang: str = "de") -> str:
    """The title of a column key in ``lang`` (an indicator key gets its name, shares with " (%)")."""
    if key in INDICATORS:
        indicator = INDICATORS[key]
        return indicator.title(lang) + (" (%)" if indicator.kind == "share" else "")
    return text(COLUMN_IDS[key], lang)


def titled(table: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """``table`` with the titles of ``lang`` for its known column keys and class names in ``lang``."""
    table = table.copy()
    for column in CLASS_COLUMNS:
        if column in table.columns:
            table[column] = table[column].map(lambda v: class_title(v, lang) if isinstance(v, str) else v)
    return table.rename(columns={c: title(c, lang) for c in table.columns if c in COLUMN_IDS or c in INDICATORS})


def key_titles() -> set[str]:
    """The key columns' titles in every full UI language (dropped on screen)."""
    return {title(k, lang) for k in KEY_COLUMNS for lang in FULL_UI}


def _finite(value):
    """inf (no staff) becomes empty: a table cell "∞" reads as an error, empty as "not defined"."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def coverage_table(coverage: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """A coverage_at() result with titles in ``lang``, rounded figures and the uncovered Kitas as text."""
    table = coverage[COVERAGE_COLUMNS].copy()
    for column in ["kitas_pro_vze", "kinder_pro_vze"]:  # no staff stays infinite: sorts as the largest need
        table[column] = table[column].astype(float).round(1)
    table["kitas_ohne_versorgung"] = table["kitas_ohne_versorgung"].map(lambda names: ", ".join(names))
    return titled(table, lang)


def change_table(change: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """A change_between() result with titles in ``lang``."""
    table = change[CHANGE_COLUMNS].copy()
    for column in ["kinder_pro_vze_vorher", "kinder_pro_vze_nachher"]:
        table[column] = table[column].astype(float).round(1)
    return titled(table, lang)


def indicator_table(indicators: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """area_indicators() with titles in ``lang``; shares in per cent."""
    table = indicators[["gebiet", "gebiet_rs", *INDICATORS, "gemeinden_ohne_daten"]].copy()
    for key, indicator in INDICATORS.items():
        if indicator.kind == "share":
            table[key] = (table[key] * 100).round(1)
        else:
            table[key] = table[key].round(0)
    return titled(table, lang)


_UNITS = {"fte": N_("unit_fte"), "per_fte": N_("unit_per_fte"), "share": N_("unit_share")}


def format_number(value, lang: str = "de") -> str:
    """A table cell in the UI language: 1.020,8 · 0,75 · 2 (de); no value or no staff (infinite) as '–'."""
    if value is None or isinstance(value, bool):
        return "–" if value is None else yes_no(value, lang)
    value = float(value)
    if not math.isfinite(value):
        return "–"
    digits = next((d for d in (0, 1, 2) if abs(value - round(value, d)) < 1e-9), 2)
    return number(value, digits, lang)


def german_style(table: pd.DataFrame, lang: str = "de"):
    """A pandas Styler that shows numbers in the UI language ('–' for no value or no staff). The numbers stay
    numbers underneath, so the table sorts numerically: no staff (infinite children per VZÄ) sorts as
    the largest need, missing values last."""
    numbers = [c for c in table.select_dtypes("number").columns if table[c].dtype != bool]
    return table.style.format(lambda v: format_number(v, lang), subset=numbers, na_rep="–")


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """Drop technical key columns before showing a table on screen (exports keep them: :func:`for_export`)."""
    return table.drop(columns=[c for c in [*KEY_COLUMNS, *key_titles()] if c in table.columns])


# The planned positions (fachkraefte schema): their Kita list has its own title (the column "kitas" of a
# coverage table counts Kitas).
POSITION_COLUMNS = {"kitas": "kitas_ids"}


def for_export(table: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """A table for a file: titles in ``lang`` for technical columns, keys kept (so rows can be joined again)."""
    if "bezeichnung" in table.columns and "kitas" in table.columns:
        table = table.rename(columns=POSITION_COLUMNS)
    return titled(table, lang)


@dataclass(frozen=True)
class ExportInfo:
    """What a table file says about itself, so it stands alone: title, date(s), rule, threshold, data stand,
    source. Written as a header block into CSV and as a sheet "Angaben" ("About" in English) into Excel; every
    fixed text in ``lang``."""

    title: str
    stand: str  # "31.07.2024", or "31.07.2024 und 01.08.2024" for a comparison
    rule: str  # coverage_rule.rule_text()
    threshold: float
    data_stand: str  # when the data were last changed
    source: str
    extra: tuple[tuple[str, str], ...] = ()  # e.g. ("Planungsregel", "…")
    created: dt.datetime | None = None
    lang: str = "de"

    def rows(self) -> list[tuple[str, str]]:
        lang = self.lang
        rows = [
            (text("info_content", lang), self.title), (text("info_stand", lang), self.stand),
            (text("info_rule", lang), self.rule),
            (text("info_threshold", lang), text("info_threshold_value", lang, schwelle=number(self.threshold, 0, lang))),
            *self.extra, (text("info_data_stand", lang), self.data_stand), (text("info_source", lang), self.source),
        ]
        if self.created:
            rows.append((text("info_created", lang), date_time(self.created, lang)))
        return rows


def date_time(moment: dt.datetime, lang: str = "de") -> str:
    """A moment for people: '01.03.2025 09:30' (de), '1 Mar 2025 09:30' (en)."""
    return f"{date(moment.date(), lang)} {moment:%H:%M}"


def source_text(demo: bool, attribution: str, boundary_stand: str = "", lang: str = "de") -> str:
    """Where the figures come from, in one line in ``lang``."""
    boundaries = text("source_boundaries", lang, quelle=attribution) + (
        " " + text("source_boundaries_stand", lang, stand=boundary_stand) if boundary_stand else "")
    operational = text("source_demo", lang) if demo else constants.district().administration
    return text("source_line", lang, kreis=constants.district().name, betrieb=operational, grenzen=boundaries)


def _csv_cell(value, lang: str = "de") -> str:
    """A cell as text for a CSV in ``lang``: numbers with the locale's decimal mark and no grouping (Babel),
    dates as German Excel reads them in German (31.07.2024), else as ISO 8601 (2024-07-31), which spreadsheet
    programs read in every locale."""
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, lang)
    german = csv_dialect(lang)[1] == ","
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}" if german else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}" if german else value.isoformat()
    if isinstance(value, float):
        digits = _digits_for(value)
        return format_decimal(value, format="0" + ("." + "0" * digits if digits else ""), locale=locale_of(lang))
    return str(value)


def _digits_for(value: float) -> int:
    return next((d for d in (0, 1, 2, 3) if abs(value - round(value, d)) < 1e-9), 4)


def csv_bytes(table: pd.DataFrame, info: ExportInfo | None = None) -> bytes:
    """CSV that Excel of the reader's language opens correctly: UTF-8 with BOM; in German ';' separator,
    decimal comma, dates as dd.mm.yyyy; in English ',' separator, decimal point, ISO dates (:func:`csv_dialect`).
    With ``info`` a header block (one "Angabe;Wert" line each, then an empty line) comes first; titles, fixed
    texts, separator and numbers in ``info.lang`` (German without ``info``)."""
    lang = info.lang if info is not None else "de"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=csv_dialect(lang)[0], lineterminator="\r\n")
    if info is not None:
        for label, value in info.rows():
            writer.writerow([sheet_text(label), sheet_text(value)])
        writer.writerow([])
    clean = for_export(table, lang)
    writer.writerow([sheet_text(c) for c in clean.columns])
    for row in clean.itertuples(index=False):
        writer.writerow([_csv_cell(v, lang) for v in row])
    return out.getvalue().encode("utf-8-sig")


def read_export_csv(data: bytes, lang: str = "de") -> pd.DataFrame:
    """The table part of :func:`csv_bytes` written in ``lang`` (after the header block), for checks and
    re-imports."""
    text = data.decode("utf-8-sig")
    if "\r\n\r\n" in text:
        text = text.split("\r\n\r\n", 1)[1]
    separator, decimal = csv_dialect(lang)
    return pd.read_csv(io.StringIO(text), sep=separator, decimal=decimal, thousands=None, keep_default_na=False,
                       dtype=str)


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
    if any(token in name for token in (*_tokens(_UNITS["per_fte"]), "(%)", *_tokens(_UNITS["share"]))):
        return "#,##0.0"
    if any(token in name for token in _tokens(_UNITS["fte"])):
        return "#,##0.00"
    if all(float(v).is_integer() for v in sample):
        return "#,##0"
    return "#,##0.0#"


def _tokens(key: str) -> set[str]:
    """A unit word as it appears in column titles of every full UI language ("VZÄ", "FTE")."""
    return {text(key, lang) for lang in FULL_UI}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def excel_bytes(sheets: dict[str, pd.DataFrame], info: ExportInfo | None = None) -> bytes:
    """An .xlsx file with one sheet per table (bold header, number and date formats per cell, widths fitted,
    first row frozen) and, with ``info``, a last sheet "Angaben" saying what the file shows (titles, sheet names
    and fixed texts in ``info.lang``; the caller names the table sheets in that language)."""
    from openpyxl import Workbook  # here: only exports need it, the parents' map never does
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    lang = info.lang if info is not None else "de"
    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(_INVALID_SHEET_TITLE.sub("_", title)[:31] or text("sheet_table", lang))
        clean = for_export(table, lang)
        sheet.append([sheet_text(c) for c in clean.columns])
        columns = [[_cell(v) for v in clean[c]] for c in clean.columns]
        formats = [excel_format(c, pd.Series(values, dtype=object)) for c, values in zip(clean.columns, columns)]
        for row in zip(*columns):
            sheet.append([yes_no(v, lang) if isinstance(v, bool) else v for v in row])
        _text_stays_text(sheet)
        for index, fmt in enumerate(formats, start=1):
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(clean.columns, start=1):
            width = max([len(str(column))] + [len(_csv_cell(v, lang)) for v in clean[column]]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
        sheet.freeze_panes = "A2"
    if info is not None:
        sheet = book.create_sheet(text("sheet_info", lang))
        sheet.append([text("info_item", lang), text("info_value", lang)])
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


def _html_table(table: pd.DataFrame, digits: dict[str, int] | None = None, lang: str = "de") -> str:
    digits = digits or {}
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    body = []
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(table.columns, row):
            if isinstance(value, bool):
                shown = yes_no(True, lang) if value else ""
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                shown = number(value, digits.get(column, 2 if isinstance(value, float) else 0), lang)
            else:
                shown = "" if value is None else str(value)
            cells.append(f"<td>{esc(shown)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def plan_summary_html(
    title: str, rule_label: str, rule_text: str, coverage_rule: str, inputs_lines: list[str],
    steps: pd.DataFrame, change: pd.DataFrame, notes: list[str], demo: bool, created: dt.datetime, lang: str = "de",
) -> str:
    """A standalone one-page HTML summary of a plan (print it or save it as PDF from the browser), in ``lang``."""
    per_fte = {c: 0 for c in change.columns if any(token in c for token in _tokens(_UNITS["per_fte"]))}
    legend = " ".join(
        f"<span class='box' style='background:{esc(c.colour)}'></span>{esc(c.title(lang))}" for c in CLASSES.values()
    )
    demo_line = f"<p class='demo'>{esc(text('plan_html_demo', lang))}</p>" if demo else ""
    step_digits = {text("col_schritt", lang): 0, text("col_vze", lang): 1}
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>
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
<p class="meta">{esc(text("plan_html_created", lang, zeit=date_time(created, lang), kreis=constants.district().name))}</p>
{demo_line}
<p><b>{esc(text("plan_html_rule", lang, regel=rule_label))}</b> {esc(rule_text)}<br>{esc(coverage_rule)}</p>
<p>{'<br>'.join(esc(line) for line in inputs_lines)}</p>
<h2>{esc(text("plan_steps_title", lang))}</h2>
{_html_table(steps, step_digits, lang)}
{''.join(f'<p>{esc(note)}</p>' for note in notes)}
<h2>{esc(text("plan_html_change_title", lang))}</h2>
{_html_table(for_display(change), per_fte, lang)}
<p class="meta">{esc(text("col_klasse_label", lang))}: {legend}</p>
</body></html>"""


def plan_html(result: PlanResult, coverage_rule: str, rule_text: str, demo: bool, created: dt.datetime) -> str:
    """The one-page summary of a plan, in the plan's language."""
    lang = result.lang
    steps = result.steps_table().drop(columns=[text("col_vze_vorher", lang), text("col_vze_nachher", lang)])
    return plan_summary_html(
        text("plan_html_title", lang, n=step_text(result.inputs.n_fte, lang)),
        RULES[result.inputs.rule].title(lang), rule_text, coverage_rule, summary_lines(result), steps,
        plan_change_table(result), result.notes, demo, created, lang,
    )
