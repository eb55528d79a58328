"""Presentation mode: the slide sequence, the key figures in large print and the map view per slide.

Slides (numbered from 1, as in the link ``?folie=N``): the district overview, one slide per
Versorgungsgebiet, then the day before and the day from which the summer-2024 positions count.
The same key figures appear on the slides and in the exported fact sheets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import box

from kita.coverage import CLASS_ORDER, CLASSES, change_between
from kita.i18n import text
from geo.maps import zoom_to_fit
from kita.text import date, esc, number

OVERVIEW, AREA, BEFORE, AFTER = "uebersicht", "gebiet", "vorher", "nachher"


@dataclass(frozen=True)
class Slide:
    number: int  # 1-based, as in ?folie=N
    kind: str  # OVERVIEW, AREA, BEFORE or AFTER
    heading: str
    stand: dt.date
    gebiet_rs: str = ""


def slide_list(areas: pd.DataFrame, today: dt.date, summer_2024: dt.date, lang: str = "de") -> list[Slide]:
    """Overview, the 7 areas (order of ``areas``), before and after summer 2024; headings in ``lang``."""
    before = summer_2024 - dt.timedelta(days=1)
    slides = [Slide(1, OVERVIEW, text("slide_overview", lang), today)]
    for row in areas.itertuples():
        slides.append(Slide(len(slides) + 1, AREA, row.gebiet, today, row.gebiet_rs))
    slides.append(Slide(len(slides) + 1, BEFORE, text("slide_before_summer", lang, stand=date(before, lang)), before))
    # The press release says only "ab Sommer 2024": the date is the configurable assumption.
    after_title = text("slide_after_summer", lang, stand=date(summer_2024, lang))
    slides.append(Slide(len(slides) + 1, AFTER, after_title, summer_2024))
    return slides


def key_figures(row: pd.Series | dict, lang: str = "de") -> list[tuple[str, str]]:
    """(label, value) for one area row of coverage_at(): the figures of a slide and of a fact sheet, in ``lang``."""
    return [
        (text("col_klasse_label", lang), CLASSES[row["klasse"]].title(lang)),
        (text("figure_positions_fte", lang), number(row["vze"], 2, lang)),
        (text("figure_staff", lang), number(row["stellen"], 0, lang)),
        (text("col_kitas", lang), number(row["kitas"], 0, lang)),
        (text("col_kinder", lang), number(row["kinder"], 0, lang)),
        (text("figure_children_per_fte", lang), number(row["kinder_pro_vze"], 0, lang)),
        (text("col_kitas_ohne_versorgung", lang), number(len(row["kitas_ohne_versorgung"]), 0, lang)),
    ]


def district_figures(coverage: pd.DataFrame, lang: str = "de") -> list[tuple[str, str]]:
    """(label, value) for the whole district at the date of ``coverage``, in ``lang``."""
    fte = float(coverage["vze"].sum())
    children = int(coverage["kinder"].sum())
    figures = [
        (text("figure_positions_fte", lang), number(fte, 2, lang)),
        (text("figure_staff", lang), number(coverage["stellen"].sum(), 0, lang)),
        (text("col_kitas", lang), number(coverage["kitas"].sum(), 0, lang)),
        (text("col_kinder", lang), number(children, 0, lang)),
        (text("figure_children_per_fte", lang), number(children / fte if fte else float("inf"), 0, lang)),
    ]
    counts = coverage["klasse"].value_counts()
    figures += [(text("figure_areas_in_class", lang, klasse=CLASSES[k].title(lang)), number(counts.get(k, 0), 0, lang))
                for k in CLASS_ORDER]
    return figures


def changes(before: pd.DataFrame, after: pd.DataFrame, short: bool = False, lang: str = "de") -> list[str]:
    """One line in ``lang`` per area whose staff changed between two coverage_at() results
    (``short``: without the difference and the class before, for a small projector)."""
    lines = []
    after_classes = dict(zip(after["gebiet_rs"], after["klasse"]))
    before_classes = dict(zip(before["gebiet_rs"], before["klasse"]))
    for row in change_between(before, after).itertuples():
        if row.vze_differenz == 0:
            continue
        sign = "+" if row.vze_differenz > 0 else "−"
        difference = f"{sign}{number(abs(row.vze_differenz), 2, lang)}"
        now = CLASSES[after_classes[row.gebiet_rs]].title(lang)
        if short:
            lines.append(text("change_line_short", lang, gebiet=row.gebiet, differenz=difference, klasse=now))
            continue
        lines.append(text("change_line", lang, gebiet=row.gebiet, vorher=number(row.vze_vorher, 2, lang),
                          nachher=number(row.vze_nachher, 2, lang), differenz=difference,
                          klasse_vorher=CLASSES[before_classes[row.gebiet_rs]].title(lang), klasse=now))
    return lines


def _figure_rows(figures: list[tuple[str, str]]) -> str:
    return "".join(
        f"<div class='pf-row'><span class='pf-label'>{esc(label)}</span><span class='pf-value'>{esc(value)}</span></div>"
        for label, value in figures
    )


def panel_html(slide: Slide, coverage: pd.DataFrame, before: pd.DataFrame | None = None, compact: bool = False,
               lang: str = "de") -> str:
    """The slide's figures in large print (escaped HTML; styles in :data:`PANEL_CSS`).

    ``coverage`` is coverage_at(slide.stand); ``before`` (for the AFTER slide) the one a day earlier.
    ``compact`` (1280 × 720): the change slide shows the changes with the district's VZÄ only, so it fits.
    """
    extra = " compact" if compact else ""
    stand = text("panel_stand", lang, stand=date(slide.stand, lang))
    parts = [f"<div class='praes-panel{extra}'><div class='pf-stand'>{esc(stand)}</div>"]
    if slide.kind == AREA:
        row = coverage.set_index("gebiet_rs").loc[slide.gebiet_rs]
        cls = CLASSES[row["klasse"]]
        parts.append(
            f"<div class='pf-badge' style='background:{esc(cls.colour)};color:{esc(cls.text_colour)}'>{esc(cls.title(lang))}</div>"
        )
        parts.append(_figure_rows(key_figures(row, lang)[1:]))
        missing = row["kitas_ohne_versorgung"]
        if missing and not compact:  # compact: the count above says it; names would not fit
            parts.append(f"<div class='pf-note'>{esc(text('panel_without', lang))} " + esc(", ".join(missing[:6])))
            parts.append(esc(text("list_more", lang, n=len(missing) - 6)) if len(missing) > 6 else "")
            parts.append("</div>")
    else:
        figures = district_figures(coverage, lang)
        lines = changes(before, coverage, short=compact, lang=lang) if slide.kind == AFTER and before is not None else []
        parts.append(_figure_rows(figures[:1] if compact and lines else figures))
        if lines:
            parts.append(f"<div class='pf-note'><b>{esc(text('panel_change', lang))}</b><ul>")
            parts.append("".join(f"<li>{esc(line)}</li>" for line in lines))
            parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def corner_html(source_line: str, lang: str = "de") -> str:
    """The slide's footer: the source line once, escaped, with the sample-data word in bold where it occurs."""
    line, word = esc(source_line), esc(text("corner_demo_word", lang))
    return line.replace(word, f"<b>{word}</b>", 1)


PANEL_CSS = """
.praes-panel { font-size: 24px; line-height: 1.35; color: #111; }
.praes-panel .pf-stand { font-size: 20px; color: #333; margin-bottom: 8px; }
.praes-panel .pf-badge { display: inline-block; font-size: 28px; font-weight: 700; padding: 4px 14px; border-radius: 6px;
  border: 2px solid #111; margin-bottom: 10px; }
.praes-panel .pf-row { display: flex; justify-content: space-between; gap: 12px; border-bottom: 1px solid #ccc;
  padding: 5px 0; }
.praes-panel .pf-label { font-size: 22px; }
.praes-panel .pf-value { font-size: 32px; font-weight: 700; white-space: nowrap; }
.praes-panel .pf-note { font-size: 20px; margin-top: 12px; }
.praes-panel .pf-note ul { margin: 4px 0 0 1.1em; padding: 0; }
.praes-panel .pf-note li { font-size: 20px; line-height: 1.3; margin: 0 0 4px; }
.praes-panel.compact { line-height: 1.25; }
.praes-panel.compact .pf-row { padding: 2px 0; }
.praes-panel.compact .pf-label { font-size: 20px; }
.praes-panel.compact .pf-value { font-size: 26px; }
.praes-panel.compact .pf-badge { font-size: 24px; margin-bottom: 4px; }
"""


def fit_view(bounds: tuple[float, float, float, float], width_px: int, height_px: int, padding: float = 0.1,
             reserve_right_px: int = 0) -> tuple[tuple[float, float], float]:
    """(center (lat, lon), zoom) so that lon/lat ``bounds`` fill a map of the given pixel size with a margin.

    ``reserve_right_px`` keeps a strip on the right free (for the legend): the bounds fill the rest.
    """
    usable = 1 - 2 * padding
    zoom = zoom_to_fit(bounds, int((width_px - reserve_right_px) * usable), int(height_px * usable))
    minx, miny, maxx, maxy = bounds
    # Move the centre east by half the reserved strip (Web Mercator: 256 px span 360° at zoom 0).
    shift_lon = reserve_right_px / 2 * 360 / (256 * 2**zoom)
    return ((miny + maxy) / 2, (minx + maxx) / 2 + shift_lon), zoom


def slide_view(slide: Slide, areas: gpd.GeoDataFrame, district: gpd.GeoDataFrame, width_px: int, height_px: int,
               legend_px: int = 0):
    """(center, zoom) of the map for a slide: the area for an area slide, else the district – always beside the
    legend's strip on the right, so the legend covers no area."""
    if slide.kind == AREA:
        bounds = tuple(areas.loc[areas["gebiet_rs"] == slide.gebiet_rs].total_bounds)
        return fit_view(bounds, width_px, height_px, reserve_right_px=legend_px)
    return fit_view(tuple(district.total_bounds), width_px, height_px, padding=0.03, reserve_right_px=legend_px)


class _LabelFilter(MacroElement):
    """Only the slide's area keeps its name on an area slide (neighbours' names would sit under the legend);
    every name shows again on the other slides. Runs each time the slide's layer is (re)placed."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        document.querySelectorAll('.area-label').forEach(function(label) {
            var keep = !{{ this.gebiet_rs|tojson }} || label.dataset.gebiet === {{ this.gebiet_rs|tojson }};
            label.style.visibility = keep ? '' : 'hidden';
        });
        {% endmacro %}
        """
    )

    def __init__(self, gebiet_rs: str):
        super().__init__()
        self._name = "LabelFilter"
        self.gebiet_rs = gebiet_rs


def spotlight_layer(areas: gpd.GeoDataFrame, gebiet_rs: str) -> folium.FeatureGroup:
    """The slide's own layer on the cached map: on an area slide a white veil over everything but the area,
    its outline and only its name (the area stands out even when its neighbours share its class colour);
    on the other slides nothing but every area's name shown again."""
    group = folium.FeatureGroup(name="Hervorhebung")
    _LabelFilter(gebiet_rs).add_to(group)
    if not gebiet_rs:
        return group
    area = areas.loc[areas["gebiet_rs"] == gebiet_rs, "geometry"].union_all()
    minx, miny, maxx, maxy = areas.total_bounds
    veil = box(minx - 1, miny - 1, maxx + 1, maxy + 1).difference(area)
    folium.GeoJson(
        gpd.GeoDataFrame(geometry=[veil], crs=areas.crs),
        style_function=lambda f: {"fillColor": "#ffffff", "fillOpacity": 0.6, "stroke": False},
        interactive=False,
    ).add_to(group)
    folium.GeoJson(
        gpd.GeoDataFrame(geometry=[area], crs=areas.crs),
        style_function=lambda f: {"fill": False, "color": "#000000", "weight": 5},
        interactive=False,
    ).add_to(group)
    return group
