"""Exports and screen agree: for the same date and settings, the exported map has the web map's
colours, classes, legend, Kita markers and figures, and a fact sheet shows the slide's numbers."""

from __future__ import annotations

import io
import re

import folium
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text
from pypdf import PdfReader

from geo import maps
from kita.coverage import coverage_at, kita_coverage
from kita.i18n import text
from kita.text import esc, number
from reports import export, presentation
from reports.export.draw import AREA_GID, KITA_GIDS, KITA_LEGEND, map_figure
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

THRESHOLD = 600


def web_map(reference, seed, stand) -> tuple[folium.Map, maps.Fill]:
    """The map as the pages build it (dashboard.py, pages/praesentation.py)."""
    coverage = coverage_at(stand, reference.areas, seed["kitas"], seed["fachkraefte"], THRESHOLD)
    kitas = kita_coverage(stand, seed["kitas"], seed["fachkraefte"])
    fill = maps.coverage_fill(coverage)
    fmap = maps.build_map(reference.areas, coverage, kitas, reference.district, fill, gemeinden=reference.gemeinden,
                          large=True)
    return fmap, fill


def web_areas(fmap: folium.Map) -> dict[str, dict]:
    layer = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Versorgungsgebiete")
    return {f["properties"]["gebiet_rs"]: f["properties"] for f in layer.data["features"]}


def web_kitas(fmap: folium.Map) -> dict[str, bool]:
    layer = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Kitas")
    return {f["properties"]["id"]: f["properties"]["versorgt"] for f in layer.data["features"]}


@pytest.mark.parametrize("stand", [BEFORE_SUMMER_2024, AFTER_SUMMER_2024])
def test_exported_map_has_the_web_maps_colours_classes_and_legend(reference, seed, stand):
    fmap, web_fill = web_map(reference, seed, stand)
    data = export.prepare(stand, reference, seed, THRESHOLD)
    figure = map_figure(data)
    map_ax = figure.axes[0]
    areas = next(c for c in map_ax.collections if c.get_gid() == AREA_GID)
    drawn = {key: to_hex(colour) for key, colour in zip(data.areas_metric["gebiet_rs"], areas.get_facecolors())}
    on_screen = web_areas(fmap)
    assert drawn == {key: props["fill"] for key, props in on_screen.items()}
    assert {k: p["klasse"] for k, p in on_screen.items()} == dict(zip(data.coverage["gebiet_rs"], data.coverage["klasse"]))

    # Area labels: name and class, as on the web map's labels.
    texts = [t.get_text() for t in map_ax.texts]
    for key, props in on_screen.items():
        row = data.coverage.set_index("gebiet_rs").loc[key]
        assert f"{props['gebiet']}\n" in texts and f"\n{row['klasse_label']}" in texts
        assert esc(row["klasse_label"]) in fmap.get_root().render()

    # Legend: the web map's entries (classes with counts, then the Kita markers), in the same order.
    legend = [t.get_text() for t in figure.findobj(Text) if t.get_gid() == "legend-label"]
    assert legend == [label for _, label in web_fill.legend] + [text(key) for _, key in KITA_LEGEND]
    web_legend = maps.legend_html(web_fill)
    assert all(esc(label) in web_legend for label in legend)


@pytest.mark.parametrize("stand", [BEFORE_SUMMER_2024, AFTER_SUMMER_2024])
def test_exported_kita_markers_match_the_web_map(reference, seed, stand):
    fmap, _ = web_map(reference, seed, stand)
    data = export.prepare(stand, reference, seed, THRESHOLD)
    covered_on_screen = sum(web_kitas(fmap).values())
    map_ax = map_figure(data).axes[0]
    drawn = {c.get_gid(): c for c in map_ax.collections}
    assert len(drawn[KITA_GIDS[True]].get_offsets()) == covered_on_screen
    assert to_hex(drawn[KITA_GIDS[True]].get_facecolors()[0]) == maps.KITA_COVERED
    uncovered = len(seed["kitas"]) - covered_on_screen
    if uncovered:
        assert len(drawn[KITA_GIDS[False]].get_offsets()) == uncovered
        assert to_hex(drawn[KITA_GIDS[False]].get_facecolors()[0]) == maps.KITA_UNCOVERED
    else:
        assert KITA_GIDS[False] not in drawn


def test_figures_on_slide_map_and_fact_sheet_are_the_same(reference, seed):
    stand = BEFORE_SUMMER_2024
    data = export.prepare(stand, reference, seed, THRESHOLD)
    underserved = data.coverage.loc[data.coverage["klasse_label"] == "unterversorgt", "gebiet_rs"]
    assert not underserved.empty  # the seed has an unterversorgt area before summer 2024
    slides = presentation.slide_list(reference.areas, stand, stand)
    slide = next(s for s in slides if s.gebiet_rs == underserved.iloc[0])
    panel = presentation.panel_html(slide, data.coverage)
    sheet = re.sub(r"\s+", " ", PdfReader(io.BytesIO(export.fact_sheet_pdf(data, slide.gebiet_rs))).pages[0].extract_text())
    row = data.coverage.set_index("gebiet_rs").loc[slide.gebiet_rs]
    for label, value in presentation.key_figures(row):
        assert esc(value) in panel and esc(label) in panel or label == "Versorgung"
        assert value in sheet
    map_text = re.sub(r"\s+", " ", PdfReader(io.BytesIO(export.map_pdf(data))).pages[0].extract_text())
    assert f"{row['gebiet']} {number(row['vze'], 2)} {number(row['kinder_pro_vze'], 0)}" in map_text
    assert row["klasse_label"] == "unterversorgt"
