"""The map drawn with geopandas/matplotlib (EPSG:25832, metres) for PNG and PDF exports.

Same layers and colours as the web map: areas filled from the :class:`geo.maps.Fill`, Gemeinde and
district borders, Kitas (filled = with Kita-Sozialarbeit), area labels; plus what paper needs:
title, legend, table of figures, scale bar, north arrow, sources and the demo-data note.
Only matplotlib's object API is used (no pyplot), under one lock, because Streamlit renders
pages in threads and matplotlib's global settings are not thread-safe.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import matplotlib
import matplotlib.patheffects as path_effects
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from kita.constants import METRIC_CRS, OUTPUT_CRS
from kita.coverage import CLASSES, NONE
from reports.export.data import ExportData, demo_note
from kita.i18n import N_, text
from geo.maps import KITA_COVERED, KITA_UNCOVERED, label_points
from reports.tables import XLSX, excel_bytes
from kita.text import esc, number

# A4 in inches, rounded to whole pixels at 300 dpi (3508 × 2480, the usual print size; < 0.1 mm off).
A4_LANDSCAPE = (3508 / 300, 2480 / 300)
A4_PORTRAIT = (2480 / 300, 3508 / 300)
SCREEN = (19.2, 10.8)  # 1920 × 1080 px at 100 dpi
SCREEN_DPI, PRINT_DPI = 100, 300
# The two Kita entries of the web legend (geo.maps.legend_html); a test checks they agree.
KITA_LEGEND = [(KITA_COVERED, N_("export_kita_with")), (KITA_UNCOVERED, N_("export_kita_without"))]  # catalogue ids
AREA_EDGE, GEMEINDE_EDGE, DISTRICT_EDGE, NEIGHBOUR_FILL = "#333333", "#555555", "#111111", "#e6e6e6"
DEMO_RED = "#b2182b"
# text.parse_math off: names, titles and contacts are data, and a "$" in them must print as "$" instead of
# starting matplotlib's mathtext (which fails on text like "$5 € / $x"). Every export draws under rendering().
RC = {"pdf.fonttype": 42, "font.family": "DejaVu Sans", "axes.unicode_minus": False, "text.parse_math": False,
      "text.usetex": False}
# Hatch of the class "keine Versorgung", as on the web map (geo.maps.hatch_defs): white diagonal stripes over
# the colour, so the class differs by more than colour, also on a greyscale printout.
HATCH, HATCH_GID = "///", "schraffur"
AREA_GID = "gebiete"  # gids of the drawn layers, so tests can read what was drawn
KITA_GIDS = {True: "kitas-mit", False: "kitas-ohne"}

_LOCK = threading.Lock()


@contextmanager
def rendering() -> Iterator[None]:
    """Serialise matplotlib work and apply the export's settings (TrueType fonts: text stays searchable)."""
    with _LOCK, matplotlib.rc_context(RC):
        yield


def halo(width: float) -> list:
    return [path_effects.withStroke(linewidth=width, foreground="white")]


def nice_length(extent_m: float) -> float:
    """A round scale-bar length (metres) of about a fifth of the extent."""
    target = extent_m / 5
    for step in (500, 1000, 2000, 5000, 10000, 20000):
        if step >= target:
            return step
    return 20000


def scale_bar(ax: Axes, scale: float, lang: str = "de") -> None:
    """A two-segment black/white scale bar in the lower left of a map in metres."""
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    length = nice_length(xmax - xmin)
    height = (ymax - ymin) * 0.012
    x0, y0 = xmin + (xmax - xmin) * 0.04, ymin + (ymax - ymin) * 0.05
    for i, colour in enumerate(["#111111", "#ffffff"]):
        ax.add_patch(Rectangle((x0 + i * length / 2, y0), length / 2, height, facecolor=colour, edgecolor="#111111",
                               linewidth=0.8 * scale, zorder=20))
    size = 9 * scale
    for fraction in (0, 0.5, 1):
        value = length * fraction / 1000
        label = number(value, 0 if value == int(value) else 1, lang)
        if fraction == 1:
            label += " km"
        ax.text(x0 + length * fraction, y0 + height * 1.8, label, ha="center", va="bottom", fontsize=size, zorder=20,
                path_effects=halo(2.5 * scale))


def north_arrow(ax: Axes, scale: float, x: float = 0.05, y: float = 0.9) -> None:
    """An arrow with 'N' in axes coordinates (EPSG:25832 grid north is within 1° of true north here)."""
    ax.annotate(
        "N", xy=(x, y), xytext=(x, y - 0.09), xycoords="axes fraction", ha="center", va="top",
        fontsize=14 * scale, fontweight="bold", zorder=20,
        arrowprops={"facecolor": "#111111", "edgecolor": "white", "width": 5 * scale, "headwidth": 15 * scale,
                    "headlength": 14 * scale, "linewidth": 0.8},
        path_effects=halo(3 * scale),
    )


def label_points_metric(data: ExportData) -> dict[str, tuple[float, float]]:
    """Area key → label position (x, y) in EPSG:25832, at the same point as the web map's labels."""
    keys = list(data.areas["gebiet_rs"])
    lats, lons = zip(*label_points(data.areas.geometry)) if keys else ((), ())
    points = gpd.GeoSeries(gpd.points_from_xy(lons, lats), crs=OUTPUT_CRS).to_crs(METRIC_CRS)
    return {key: (p.x, p.y) for key, p in zip(keys, points)}


def draw_kitas(ax: Axes, kitas, scale: float, size: float = 6.0) -> None:
    """Kitas as circles: filled dark with Kita-Sozialarbeit, white without (as on the web map)."""
    for covered, face, edge in ((True, KITA_COVERED, "#ffffff"), (False, KITA_UNCOVERED, "#1b1b1b")):
        subset = kitas[kitas["versorgt"] == covered]
        if len(subset):
            ax.scatter(subset.geometry.x, subset.geometry.y, s=(size * scale) ** 2, c=face, edgecolors=edge,
                       linewidths=1.0 * scale, zorder=16, gid=KITA_GIDS[covered])


def fit_limits(ax: Axes, bounds, pad: float) -> None:
    """Show ``bounds`` (metres) with a margin, widened to the axes' shape so the map fills its box."""
    minx, miny, maxx, maxy = bounds
    margin = pad * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - margin, miny - margin, maxx + margin, maxy + margin
    box = ax.get_position(original=True)  # the box as laid out, before any aspect adjustment
    box_ratio = (box.width * ax.figure.get_figwidth()) / (box.height * ax.figure.get_figheight())
    width, height = maxx - minx, maxy - miny
    if width / height < box_ratio:
        extra = (height * box_ratio - width) / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (width / box_ratio - height) / 2
        miny, maxy = miny - extra, maxy + extra
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")


def draw_district_map(ax: Axes, data: ExportData, scale: float, focus: str = "") -> None:
    """All areas filled by class, Gemeinde and district borders, Kitas and area labels.

    With ``focus`` (an area key) the map shows that area, the others under a white veil, as on the
    presentation's area slides.
    """
    areas = data.areas_metric
    colours = [data.fill.colours.get(key, "#cccccc") for key in areas["gebiet_rs"]]
    areas.plot(ax=ax, color=colours, edgecolor=AREA_EDGE, linewidth=1.2 * scale, zorder=1)
    ax.collections[-1].set_gid(AREA_GID)
    hatch_areas(ax, areas, data.fill, zorder=1)
    data.gemeinden_metric.boundary.plot(ax=ax, color=GEMEINDE_EDGE, linewidth=0.5 * scale, linestyle=(0, (2, 3)),
                                        zorder=2)
    data.district_metric.boundary.plot(ax=ax, color=DISTRICT_EDGE, linewidth=2.6 * scale, zorder=3)
    draw_kitas(ax, data.kitas_metric, scale, size=5.5)
    coverage = data.coverage.set_index("gebiet_rs")
    for key, (x, y) in label_points_metric(data).items():
        row = coverage.loc[key]
        # clip_on: with a focus, labels of areas outside the view must not spill onto the page.
        ax.text(x, y, f"{row['gebiet']}\n", ha="center", va="center", fontsize=13 * scale, fontweight="bold",
                color="#111111", zorder=18, path_effects=halo(3.5 * scale), clip_on=True)
        ax.text(x, y, f"\n{CLASSES[row['klasse']].title(data.lang)}", ha="center", va="center", fontsize=11 * scale, color="#111111",
                zorder=18, path_effects=halo(3.5 * scale), clip_on=True)
    if focus:
        others = areas[areas["gebiet_rs"] != focus]
        others.plot(ax=ax, color="#ffffff", alpha=0.6, edgecolor="none", zorder=17)
        areas[areas["gebiet_rs"] == focus].boundary.plot(ax=ax, color="#000000", linewidth=3.2 * scale, zorder=17)
        fit_limits(ax, areas[areas["gebiet_rs"] == focus].total_bounds, 0.08)
        frame_axes(ax)  # the cut-out needs an edge
    else:
        fit_limits(ax, data.district_metric.total_bounds, 0.03)
    ax.set_axis_off()


def hatch_areas(ax: Axes, areas: gpd.GeoDataFrame, fill, zorder: float) -> None:
    """Stripe the areas whose fill colour the web map draws hatched (``Fill.hatched``)."""
    hatched = areas[[fill.colours.get(key) in fill.hatched for key in areas["gebiet_rs"]]]
    if not hatched.empty:
        hatched.plot(ax=ax, facecolor="none", edgecolor="white", hatch=HATCH, linewidth=0, zorder=zorder)
        ax.collections[-1].set_gid(HATCH_GID)


def swatch(ax: Axes, xy: tuple[float, float], width: float, height: float, colour: str, hatched: bool,
           **kwargs) -> None:
    """A legend or table box in ``colour``, striped like the map where ``hatched``."""
    ax.add_patch(Rectangle(xy, width, height, facecolor=colour, edgecolor="#333333", **kwargs))
    if hatched:
        ax.add_patch(Rectangle(xy, width, height, fill=False, edgecolor="white", hatch=HATCH, linewidth=0,
                               gid=HATCH_GID, **{k: v for k, v in kwargs.items() if k != "linewidth"}))


def frame_axes(ax: Axes) -> None:
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, edgecolor="#777777", linewidth=0.8,
                           zorder=30))


def legend_rows(data: ExportData) -> list[tuple[str, str, str]]:
    """(kind, colour, label) rows of the legend: the web map's Fill legend, then the Kita markers."""
    rows = [("box", colour, label) for colour, label in data.fill.legend]
    rows += [("dot", colour, text(label, data.lang)) for colour, label in KITA_LEGEND]
    return rows


def draw_panel(fig: Figure, rect: tuple[float, float, float, float], data: ExportData, scale: float) -> None:
    """Legend, table of areas and the coverage rule in a column next to the map."""
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    height_in = rect[3] * fig.get_figheight()
    line = lambda points: points * 1.55 / 72 / height_in  # noqa: E731  (axes fraction per text line)
    y = 1.0
    ax.text(0, y, data.fill.title, fontsize=13 * scale, fontweight="bold", va="top")
    y -= line(13 * scale) * 1.3
    box = line(11 * scale) * 0.72
    for kind, colour, label in legend_rows(data):
        if kind == "box":
            swatch(ax, (0, y - box * 1.05), 0.06, box, colour, colour in data.fill.hatched, linewidth=0.8,
                   transform=ax.transAxes)
        else:
            ax.scatter([0.03], [y - box * 0.55], s=(6 * scale) ** 2, c=colour, edgecolors="#1b1b1b",
                       linewidths=1.3 * scale)
        ax.text(0.09, y - box * 0.55, label, fontsize=11 * scale, va="center", gid="legend-label")
        y -= line(11 * scale) * 1.1
    y -= line(11 * scale) * 0.6
    ax.text(0, y, text("col_gebiet", data.lang), fontsize=10 * scale, fontweight="bold", va="top")
    ax.text(0.68, y, text("col_vze", data.lang), fontsize=10 * scale, fontweight="bold", va="top", ha="right")
    ax.text(1.0, y, text("figure_children_per_fte", data.lang), fontsize=10 * scale, fontweight="bold", va="top",
            ha="right")
    y -= line(10 * scale) * 1.15
    for row in data.coverage.itertuples():
        swatch(ax, (0, y - line(10 * scale) * 0.62), 0.035, line(10 * scale) * 0.5, CLASSES[row.klasse].colour,
               row.klasse == NONE, linewidth=0.6)
        ax.text(0.05, y, row.gebiet, fontsize=10 * scale, va="top")
        ax.text(0.68, y, number(row.vze, 2, data.lang), fontsize=10 * scale, va="top", ha="right")
        ax.text(1.0, y, number(row.kinder_pro_vze, 0, data.lang), fontsize=10 * scale, va="top", ha="right")
        y -= line(10 * scale)
    y -= line(10 * scale) * 0.6
    width_chars = int(rect[2] * fig.get_figwidth() * 72 / (9 * scale * 0.55))
    ax.text(0, y, textwrap.fill(data.rule, width_chars), fontsize=9 * scale, va="top", color="#222222")


def draw_frame_texts(fig: Figure, data: ExportData, scale: float, heading: str = "") -> None:
    """Title and subtitle (or ``heading``) at the top; sources and the demo-data note at the bottom."""
    """Title and subtitle at the top; sources and the demo-data note at the bottom."""
    fig.text(0.015, 0.975, data.title, fontsize=24 * scale, fontweight="bold", va="top")
    fig.text(0.015, 0.975 - 34 * scale / 72 / fig.get_figheight(), heading or data.subtitle, fontsize=15 * scale,
             va="top", color="#222222")
    source_chars = int(0.62 * fig.get_figwidth() * 72 / (8.5 * scale * 0.55))
    source = textwrap.fill(data.footer_line(), source_chars, break_long_words=False, break_on_hyphens=False)
    fig.text(0.015, 0.018, source, fontsize=8.5 * scale, va="bottom",
             color="#222222")
    if data.demo:
        width_chars = int(0.3 * fig.get_figwidth() * 72 / (9 * scale * 0.55))
        fig.text(0.985, 0.018, textwrap.fill(demo_note(data.lang), width_chars), fontsize=9 * scale, va="bottom", ha="right",
                 multialignment="left", color=DEMO_RED, fontweight="bold",
                 bbox={"boxstyle": "round,pad=0.4", "facecolor": "#fff5f5", "edgecolor": DEMO_RED, "linewidth": 1.2})


def map_figure(data: ExportData, size: tuple[float, float] = A4_LANDSCAPE, focus: str = "") -> Figure:
    """The district map as a matplotlib Figure (landscape; font sizes scale with the page height);
    with ``focus`` zoomed to that area."""
    fig = Figure(figsize=size, facecolor="white")
    scale = size[1] / A4_LANDSCAPE[1]
    map_ax = fig.add_axes((0.01, 0.075, 0.63, 0.78))
    draw_district_map(map_ax, data, scale, focus)
    scale_bar(map_ax, scale, data.lang)
    north_arrow(map_ax, scale)
    draw_panel(fig, (0.66, 0.14, 0.325, 0.71), data, scale)
    heading = ""
    if focus:
        heading = f"{data.coverage.set_index('gebiet_rs').loc[focus, 'gebiet']} · {data.subtitle}"
    draw_frame_texts(fig, data, scale, heading)
    return fig


def figure_bytes(fig: Figure, fmt: str, dpi: float) -> bytes:
    buffer = io.BytesIO()
    canvas = FigureCanvasPdf(fig) if fmt == "pdf" else FigureCanvasAgg(fig)
    canvas.print_figure(buffer, format=fmt, dpi=dpi, facecolor="white",
                        metadata={"Title": fig.get_label() or None} if fmt == "pdf" else None)
    return buffer.getvalue()


def map_png(data: ExportData, variant: str = "screen", focus: str = "") -> bytes:
    """The map as PNG: ``screen`` 1920 × 1080 px, or ``a4`` A4 landscape at 300 dpi (3508 × 2480 px);
    ``focus``: an area key to zoom to (the presentation's area slide)."""
    size, dpi = (SCREEN, SCREEN_DPI) if variant == "screen" else (A4_LANDSCAPE, PRINT_DPI)
    with rendering():
        return figure_bytes(map_figure(data, size, focus), "png", dpi)


def map_pdf(data: ExportData, focus: str = "") -> bytes:
    """The map as a one-page A4 landscape PDF (vector, searchable text), optionally zoomed to an area."""
    with rendering():
        fig = map_figure(data, A4_LANDSCAPE, focus)
        fig.set_label(data.title)
        return figure_bytes(fig, "pdf", PRINT_DPI)


def message_file(text: str, mime: str) -> bytes:
    """A file that only says ``text`` (e.g. why an export failed), in the format the download promised:
    PDF, PNG, Excel, HTML, else plain text."""
    if mime in ("application/pdf", "image/png"):
        with rendering():
            fig = Figure(figsize=(11.69, 8.27), facecolor="white")
            fig.text(0.06, 0.9, textwrap.fill(text, 70), fontsize=20, va="top", color=DEMO_RED)
            return figure_bytes(fig, "pdf" if mime == "application/pdf" else "png", SCREEN_DPI)
    if mime == XLSX:  # a workbook Excel opens, its one cell the message (typed as text)
        return excel_bytes({"Export": pd.DataFrame({"Export": [text]})})
    if mime == "text/html":
        return f"<!DOCTYPE html><html lang='de'><meta charset='utf-8'><title>Export</title><p>{esc(text)}</p></html>".encode()
    return text.encode("utf-8")
