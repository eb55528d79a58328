"""PDF fact sheets ("Steckbriefe"): one A4 page per Versorgungsgebiet with its map and Kitas, key
figures, the responsible Fachkräfte with work contacts and the coordination; and one PDF of all
areas with the district map as its first page.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib.patheffects as path_effects
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from kita.contacts import build_panel, contact_in_language
from kita.coverage import CLASSES
from reports.export.data import ExportData, Progress, demo_note
from kita.i18n import text as _
from reports.export.draw import (
    A4_LANDSCAPE, A4_PORTRAIT, AREA_EDGE, DEMO_RED, DISTRICT_EDGE, GEMEINDE_EDGE, KITA_LEGEND, NEIGHBOUR_FILL,
    draw_kitas, fit_limits, frame_axes, halo, hatch_areas, map_figure, north_arrow, rendering, scale_bar,
)
from reports.presentation import key_figures
from kita.text import date
from kita.text import number

PAGE_MARGIN = 0.6  # inches


def draw_area_map(ax: Axes, data: ExportData, gebiet_rs: str) -> None:
    """One area filled by its class colour, its neighbours grey, its Gemeinden named, its Kitas."""
    areas = data.areas_metric
    area = areas[areas["gebiet_rs"] == gebiet_rs]
    areas[areas["gebiet_rs"] != gebiet_rs].plot(ax=ax, color=NEIGHBOUR_FILL, edgecolor="#999999", linewidth=0.8,
                                                zorder=1)
    area.plot(ax=ax, color=data.fill.colours.get(gebiet_rs, "#cccccc"), edgecolor=AREA_EDGE, linewidth=1.6, zorder=2)
    hatch_areas(ax, area, data.fill, zorder=2)
    gemeinden = data.gemeinden_metric[data.gemeinden_metric["gebiet_rs"] == gebiet_rs]
    gemeinden.boundary.plot(ax=ax, color=GEMEINDE_EDGE, linewidth=0.6, linestyle=(0, (2, 3)), zorder=3)
    data.district_metric.boundary.plot(ax=ax, color=DISTRICT_EDGE, linewidth=2.2, zorder=4)
    kitas = data.kitas_metric[data.kitas_metric["gebiet_rs"] == gebiet_rs]
    draw_kitas(ax, kitas, 1.0, size=7.5)
    small = len(gemeinden) > 12
    for row in gemeinden.itertuples():
        # Below the representative point, where the (demo) Kitas of a Gemeinde usually sit.
        point = row.geometry.representative_point()
        ax.annotate(row.gemeinde, (point.x, point.y), xytext=(0, -6), textcoords="offset points", ha="center",
                    va="top", fontsize=6.5 if small else 8, color="#111111", zorder=12, path_effects=halo(2.2))
    fit_limits(ax, area.total_bounds, 0.05)
    ax.set_axis_off()
    frame_axes(ax)


class _Page:
    """Writes text top-down on a portrait page; ``y`` is inches from the top edge."""

    def __init__(self, fig: Figure):
        self.fig = fig
        self.width, self.height = fig.get_figwidth(), fig.get_figheight()
        self.y = PAGE_MARGIN

    def fx(self, inches: float) -> float:
        return inches / self.width

    def fy(self, inches_from_top: float) -> float:
        return 1 - inches_from_top / self.height

    def text(self, x_in: float, text: str, size: float, advance: bool = True, **style):
        self.fig.text(self.fx(x_in), self.fy(self.y), text, fontsize=size, va="top", **style)
        if advance:
            self.y += size * 1.35 * (text.count("\n") + 1) / 72

    def gap(self, points: float) -> None:
        self.y += points / 72

    def wrap(self, text: str, size: float, width: float | None = None) -> str:
        """``text`` broken into lines of ``width`` inches (default: between the margins) at ``size`` points."""
        chars = chars_for(self.width - 2 * PAGE_MARGIN if width is None else width, size)
        return textwrap.fill(text, chars, break_long_words=False, break_on_hyphens=False)


def chars_for(width: float, size: float) -> int:
    """How many characters of ``size`` points fit in ``width`` inches (DejaVu Sans averages 0.53 em; a little
    room kept)."""
    return max(8, int(width * 72 / (size * 0.56)))


def fitted_lines(text: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """``text`` in at most ``max_lines`` lines of ``width`` inches; a longer text ends in "…" (long words are
    broken: a Kita name without spaces must not run into the next column)."""
    chars = chars_for(width, size)
    lines = textwrap.wrap(text, chars, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _contact_line(entry: dict, keys: list[str], lang: str = "de") -> str:
    labels = {"email": _("col_email", lang), "telefon": _("col_telefon", lang), "web": _("sheet_web", lang)}
    return " · ".join(f"{labels[k]}: {entry[k]}" for k in keys if str(entry.get(k) or "").strip())


def sheet_figure(data: ExportData, gebiet_rs: str, page: int = 0, pages: int = 0) -> Figure:
    """The fact sheet of one area as an A4 portrait Figure."""
    row = data.coverage.set_index("gebiet_rs").loc[gebiet_rs]
    panel = build_panel(data.stand, data.coverage, data.kitas, data.positions, data.contacts, data.gemeinden,
                        gebiet_rs=gebiet_rs)
    cls = CLASSES[row["klasse"]]
    fig = Figure(figsize=A4_PORTRAIT, facecolor="white")
    lang = data.lang
    fig.set_label(_("sheet_title", lang, gebiet=row["gebiet"]))
    sheet = _Page(fig)
    left, right = PAGE_MARGIN, sheet.width - PAGE_MARGIN
    sheet.text(left, str(row["gebiet"]), 24, fontweight="bold", advance=False)
    fig.text(sheet.fx(right), sheet.fy(sheet.y + 0.05), cls.title(lang), fontsize=14, fontweight="bold", va="top",
             ha="right", color=cls.text_colour,
             bbox={"boxstyle": "round,pad=0.35", "facecolor": cls.colour, "edgecolor": "#111111"})
    sheet.gap(24 * 1.3)
    sheet.text(left, _("sheet_subtitle", lang, titel=data.title, stand=date(data.stand, lang)), 10,
               color="#333333")
    sheet.gap(6)

    # Map on the left, the key figures in large print on the right.
    map_height, map_width = 4.2, 4.75
    top = sheet.y
    ax = fig.add_axes((sheet.fx(left), sheet.fy(top + map_height), map_width / sheet.width, map_height / sheet.height))
    draw_area_map(ax, data, gebiet_rs)
    scale_bar(ax, 0.85, data.lang)
    north_arrow(ax, 0.75, x=0.06, y=0.93)
    column = left + map_width + 0.3
    for i, (label, value) in enumerate(key_figures(row, lang)[1:]):  # the class is in the badge
        fig.text(sheet.fx(column), sheet.fy(top + i * 0.6), value, fontsize=19, fontweight="bold", va="top")
        fig.text(sheet.fx(column), sheet.fy(top + i * 0.6 + 0.31), label, fontsize=9.5, va="top", color="#333333")
    sheet.y = top + map_height + 0.12
    _legend_row(fig, sheet, cls.colour, f"{row['gebiet']}: {cls.title(lang)}", lang)
    sheet.gap(8)

    sheet.text(left, _("sheet_staff_title", lang), 12.5, fontweight="bold")
    if panel.fachkraefte:
        for person in panel.fachkraefte:
            demo = " " + _("sheet_example", lang) if person["demo"] else ""
            sheet.text(left, _("sheet_staff_line", lang, stelle=person["bezeichnung"], vze=number(person["vze"], 2, lang),
                               beispiel=demo), 10)
            contact = _contact_line(person, ["email", "telefon"], lang)
            if contact:
                sheet.text(left + 0.2, contact, 9, color="#222222")
    else:
        sheet.text(left, _("sheet_no_staff", lang), 10, color=DEMO_RED)
    sheet.gap(6)
    sheet.text(left, _("sheet_routes_title", lang), 12.5, fontweight="bold")
    # The parents' first route (their Kita) before the coordination, as on the map page.
    routes = sorted(panel.kontakte, key=lambda contact: contact["id"] != "kita")
    for n, contact in enumerate(routes, start=1):
        contact = contact_in_language(contact, lang)
        if contact["id"] == "kita":
            sheet.text(left, sheet.wrap(f"{n}. {contact['hinweis']}", 9.5), 9.5)
            continue
        who = ", ".join(x for x in [contact["name"], contact["rolle"], contact["organisation"]] if x)
        sheet.text(left, f"{n}. {who}", 9.5)
        details = _contact_line(contact, ["email", "telefon", "web"], lang)
        if details:
            sheet.text(left + 0.2, details, 9, color="#222222")
    sheet.gap(6)
    footer_top = _footer(fig, sheet, data, page, pages)
    _kita_list(fig, sheet, panel.kitas, left, right, footer_top - 0.1, lang)
    return fig


def _legend_row(fig: Figure, sheet: _Page, colour: str, label: str, lang: str = "de") -> None:
    entries = [("box", colour, label)] + [("dot", c, _(key, lang)) for c, key in KITA_LEGEND]
    x = PAGE_MARGIN
    for kind, entry_colour, text in entries:
        marker = "■" if kind == "box" else "●"
        edge = "#1b1b1b"
        fig.text(sheet.fx(x), sheet.fy(sheet.y), marker, fontsize=13, va="top", color=entry_colour,
                 path_effects=[] if entry_colour != "#ffffff" else halo_outline(edge))
        fig.text(sheet.fx(x + 0.22), sheet.fy(sheet.y + 0.02), text, fontsize=9, va="top")
        x += 0.22 + len(text) * 9 * 0.55 / 72 + 0.3
    sheet.gap(13 * 1.3)


def halo_outline(colour: str) -> list:
    return [path_effects.withStroke(linewidth=1.5, foreground=colour), path_effects.Normal()]


def _kita_list(fig: Figure, sheet: _Page, kitas: list[dict], left: float, right: float, bottom: float,
               lang: str = "de") -> None:
    """The area's Kitas in three columns (● with, ○ without Kita-Sozialarbeit), as many as fit above ``bottom``;
    a long name takes two lines of its column (then "…"), never the next column's room."""
    covered = sum(1 for k in kitas if k["versorgt"])
    sheet.text(left, _("sheet_kitas_title", lang, n=len(kitas), mit=covered), 12.5, fontweight="bold")
    columns, size = 3, 7.5
    row_height = size * 1.4 / 72
    column_width = (right - left) / columns
    lines_per_column = max(1, int((bottom - sheet.y) / row_height))
    entries = {id(k): fitted_lines(f"{'●' if k['versorgt'] else '○'} {k['name']}", column_width - 0.12, size)
               for k in kitas}
    # Kitas without Kita-Sozialarbeit first: they matter most when the list must be cut.
    ordered = [k for k in kitas if not k["versorgt"]] + [k for k in kitas if k["versorgt"]]
    needed = sum(len(entries[id(k)]) for k in ordered)
    room = columns * lines_per_column
    balanced = min(lines_per_column, max(1, -(-needed // columns) + 1))  # fill columns evenly when all fit
    shown = ordered
    if needed > room:
        shown, used = [], 0
        for kita in ordered:
            if used + len(entries[id(kita)]) > room - 1:  # one line kept for "… n more"
                break
            shown.append(kita)
            used += len(entries[id(kita)])
        balanced = lines_per_column
    shown_ids = {id(k) for k in shown}
    column, line, deepest = 0, 0, 0
    for kita in [k for k in kitas if id(k) in shown_ids]:
        lines = entries[id(kita)]
        if line + len(lines) > balanced and line > 0:
            column, line = column + 1, 0
        fig.text(sheet.fx(left + column * column_width), sheet.fy(sheet.y + line * row_height), "\n".join(lines),
                 fontsize=size, va="top", linespacing=1.15)
        line += len(lines)
        deepest = max(deepest, line)
    if len(shown) < len(kitas):
        fig.text(sheet.fx(left + column * column_width), sheet.fy(sheet.y + line * row_height),
                 "…" + _("list_more", lang, n=len(kitas) - len(shown)), fontsize=size, va="top")
        deepest = max(deepest, line + 1)
    sheet.y += max(deepest, 1) * row_height


def _footer(fig: Figure, sheet: _Page, data: ExportData, page: int, pages: int) -> float:
    """Rule, sources, page number and the demo note at the bottom; returns the footer's top (inches from top)."""
    bottom = sheet.height - PAGE_MARGIN + 0.1
    # the page number sits at the right of the last line: the text keeps clear of it
    width = sheet.width - 2 * PAGE_MARGIN - (1.0 if pages else 0)
    lines = [sheet.wrap(data.rule, 7.5, width), sheet.wrap(data.footer_line(), 7.5, width)]
    text = "\n".join(lines)
    fig.text(sheet.fx(PAGE_MARGIN), sheet.fy(bottom), text, fontsize=7.5, va="bottom", color="#333333")
    if pages:
        fig.text(sheet.fx(sheet.width - PAGE_MARGIN), sheet.fy(bottom), _("sheet_page", data.lang, n=page, von=pages),
                 fontsize=7.5,
                 va="bottom", ha="right", color="#333333")
    top = bottom - 7.5 * 1.3 * (text.count("\n") + 1) / 72
    if data.demo:
        note = sheet.wrap(demo_note(data.lang), 8.5)
        fig.text(sheet.fx(PAGE_MARGIN), sheet.fy(top - 0.08), note, fontsize=8.5, va="bottom", color=DEMO_RED,
                 fontweight="bold", bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff5f5", "edgecolor": DEMO_RED})
        top -= 0.08 + 8.5 * 1.3 * (note.count("\n") + 1) / 72 + 0.1
    return top


def _pdf(figures, title: str, progress: Progress | None = None, total: int = 0, lang: str = "de") -> bytes:
    buffer = io.BytesIO()
    metadata = {"Title": title, "Author": _("sheet_pdf_author", lang), "Subject": _("sheet_pdf_subject", lang)}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for i, (message, make) in enumerate(figures):
            if progress:
                progress(i / total if total else 0.0, message)
            pdf.savefig(make(), facecolor="white")
    if progress:
        progress(1.0, _("sheet_done", lang))
    return buffer.getvalue()


def fact_sheet_pdf(data: ExportData, gebiet_rs: str) -> bytes:
    """The one-page fact sheet of one area."""
    name = data.coverage.set_index("gebiet_rs").loc[gebiet_rs, "gebiet"]
    with rendering():
        return _pdf([("", lambda: sheet_figure(data, gebiet_rs))],
                    _("sheet_pdf_title", data.lang, gebiet=name, titel=data.title), lang=data.lang)


def fact_sheets_pdf(data: ExportData, progress: Progress | None = None) -> bytes:
    """All areas: the district map (page 1), then one fact sheet per area. ``progress(fraction, message)``
    is called before each page."""
    keys = list(data.coverage["gebiet_rs"])
    names = dict(zip(data.coverage["gebiet_rs"], data.coverage["gebiet"]))
    total = len(keys) + 1
    lang = data.lang
    pages = [(_("sheet_overview_map", lang), lambda: map_figure(data, A4_LANDSCAPE))]
    pages += [
        (_("sheet_title", lang, gebiet=names[key]), lambda key=key, n=n: sheet_figure(data, key, n, total))
        for n, key in enumerate(keys, start=2)
    ]
    pages = [(f"{message} ({i + 1}/{total})", make) for i, (message, make) in enumerate(pages)]
    with rendering():
        return _pdf(pages, _("sheets_pdf_title", lang, titel=data.title), progress, total, lang)
