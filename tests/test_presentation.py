"""The slide sequence, slide links, figures in large print and the map view per slide."""

from __future__ import annotations

import datetime as dt

from shapely.geometry import shape

from kita.coverage import coverage_at
from kita.text import number
from reports import presentation
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

TODAY = dt.date(2025, 3, 1)


def test_slides_are_overview_seven_areas_then_before_and_after(reference):
    slides = presentation.slide_list(reference.areas, TODAY, AFTER_SUMMER_2024)
    assert [s.number for s in slides] == list(range(1, 11))
    assert [s.kind for s in slides] == ["uebersicht"] + ["gebiet"] * 7 + ["vorher", "nachher"]
    assert [s.gebiet_rs for s in slides[1:8]] == list(reference.areas["gebiet_rs"])
    assert slides[3].heading == "VG Eich" and slides[3].stand == TODAY
    assert (slides[8].stand, slides[9].stand) == (BEFORE_SUMMER_2024, AFTER_SUMMER_2024)
    assert "31.07.2024" in slides[8].heading and "01.08.2024" in slides[9].heading


def test_area_panel_shows_class_and_key_figures(reference, seed):
    coverage = coverage_at(BEFORE_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    slide = presentation.Slide(5, presentation.AREA, "VG Monsheim", BEFORE_SUMMER_2024, "073315003")
    html = presentation.panel_html(slide, coverage)
    assert "keine Versorgung" in html and "#d73027" in html  # the class colour from kita.coverage
    assert "<span class='pf-value'>0,00</span>" in html  # VZÄ
    assert "<span class='pf-value'>–</span>" in html  # children per VZÄ without staff
    assert "Ohne Kita-Sozialarbeit: Kita" in html


def test_after_panel_lists_the_changes_of_summer_2024(reference, seed):
    before = coverage_at(BEFORE_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    after = coverage_at(AFTER_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    slide = presentation.Slide(10, presentation.AFTER, "Ab Sommer 2024", AFTER_SUMMER_2024)
    html = presentation.panel_html(slide, after, before)
    assert "VG Monsheim: 0,00 → 1,00 VZÄ (+1,00), keine Versorgung → versorgt" in html
    assert html.count("<li>") == 4  # four areas got positions on 2024-08-01
    total = number(after["vze"].sum(), 2)  # all positions running on 2024-08-01
    assert f"Stellen (VZÄ)</span><span class='pf-value'>{total}<" in html


def test_panel_escapes_names(reference, seed):
    areas = reference.areas.copy()
    areas.loc[0, "gebiet"] = "<img src=x>"
    coverage = coverage_at(TODAY, areas, seed["kitas"], seed["fachkraefte"], 600)
    slide = presentation.Slide(2, presentation.AREA, "x", TODAY, areas.loc[0, "gebiet_rs"])
    before = coverage.assign(vze=0.0)
    html = presentation.panel_html(slide, coverage) + presentation.panel_html(
        presentation.Slide(10, presentation.AFTER, "x", TODAY), coverage, before)
    assert "<img" not in html and "&lt;img src=x&gt;" in html


def test_area_slides_zoom_closer_than_the_overview(reference):
    slides = presentation.slide_list(reference.areas, TODAY, AFTER_SUMMER_2024)
    (lat, lon), overview_zoom = presentation.slide_view(slides[0], reference.areas, reference.district, 1300, 650)
    assert 49.6 < lat < 49.9 and 8.0 < lon < 8.4
    assert 9.5 <= overview_zoom <= 11
    _, alzey_zoom = presentation.slide_view(slides[1], reference.areas, reference.district, 1300, 650)
    _, alzey_land_zoom = presentation.slide_view(slides[2], reference.areas, reference.district, 1300, 650)
    assert alzey_zoom > alzey_land_zoom > overview_zoom
    assert alzey_zoom % 0.25 == 0


def test_area_view_leaves_room_for_the_legend(reference):
    slides = presentation.slide_list(reference.areas, TODAY, AFTER_SUMMER_2024)
    (_, lon_free), zoom_free = presentation.slide_view(slides[3], reference.areas, reference.district, 1300, 700)
    (_, lon_legend), zoom_legend = presentation.slide_view(slides[3], reference.areas, reference.district, 1300, 700,
                                                          legend_px=340)
    assert zoom_legend <= zoom_free
    assert lon_legend > lon_free  # centre moved east: the area sits left of the legend


def test_spotlight_veils_all_but_the_area(reference):
    plain = presentation.spotlight_layer(reference.areas, "")  # other slides: only all names shown again
    assert [type(c).__name__ for c in plain._children.values()] == ["_LabelFilter"]
    group = presentation.spotlight_layer(reference.areas, "073315002")
    veil, outline = [child.data["features"][0]["geometry"] for child in group._children.values()
                     if hasattr(child, "data")]
    eich = reference.areas.set_index("gebiet_rs").loc["073315002", "geometry"]
    monsheim = reference.areas.set_index("gebiet_rs").loc["073315003", "geometry"]
    assert shape(veil).intersection(eich).area < 1e-9
    assert shape(veil).contains(monsheim.representative_point())
    assert shape(outline).symmetric_difference(eich).area < 1e-9


def test_corner_says_data_stand_and_sample_data_once(reference, seed):
    from reports import export
    from tests.conftest import AFTER_SUMMER_2024

    data = export.prepare(AFTER_SUMMER_2024, reference, seed, 600, data_stand="letzte Änderung 01.03.2025 09:30")
    line = data.source_line(with_stand=False)
    assert "Datenstand: letzte Änderung 01.03.2025 09:30" in line and "01.08.2024" not in line
    corner = presentation.corner_html(line)
    assert corner.count("Beispieldaten") == 1 and "<b>Beispieldaten</b>" in corner
    # exports that print the demo note name the sample data there, not twice
    assert "Beispieldaten" not in data.footer_line() and "Stichtag: 01.08.2024" in data.footer_line()


def test_compact_change_slide_fits_short_lines(reference, seed):
    from kita.coverage import coverage_at
    from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

    slides = presentation.slide_list(reference.areas, AFTER_SUMMER_2024, AFTER_SUMMER_2024)
    before = coverage_at(BEFORE_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    after = coverage_at(AFTER_SUMMER_2024, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    full = presentation.panel_html(slides[-1], after, before)
    compact = presentation.panel_html(slides[-1], after, before, compact=True)
    changed = int((after["vze"] != before["vze"]).sum())
    assert full.count("<li>") == compact.count("<li>") == changed
    assert compact.count("pf-row") == 1 < full.count("pf-row")
    assert "praes-panel compact" in compact


def test_slide_keys_press_the_slide_buttons_from_inside_the_map():
    import folium

    from ui.framework.slide_keys import SlideKeys

    fmap = folium.Map()
    SlideKeys({"ArrowRight": "folie_weiter", "PageDown": "folie_weiter"}).add_to(fmap)
    html = fmap.get_root().render()
    assert "'.st-key-' + key + ' button'" in html and '"PageDown": "folie_weiter"' in html
    assert "window.parent.focus()" in html and "map.keyboard.disable()" in html
