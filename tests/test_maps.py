"""Map building: colours by class, escaped texts, self-hosted assets, click decoding."""

import datetime as dt

import re

import folium
import pandas as pd
import pytest

from geo import assets, maps
from kita.coverage import CLASSES, coverage_at, kita_coverage

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def parts(reference, seed):
    stand = dt.date(2024, 7, 31)
    coverage = coverage_at(stand, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    kitas = kita_coverage(stand, seed["kitas"], seed["fachkraefte"])
    return coverage, kitas


def render(reference, coverage, kitas, **options):
    assets.use_local_assets()
    fmap = maps.build_map(reference.areas, coverage, kitas, reference.district, maps.coverage_fill(coverage),
                          gemeinden=reference.gemeinden, boundary_attribution=reference.attribution, **options)
    return fmap.get_root().render()


def test_areas_are_filled_by_coverage_class(reference, parts):
    coverage, kitas = parts
    fill = maps.coverage_fill(coverage)
    monsheim = coverage.set_index("gebiet_rs").loc["073315003"]
    assert fill.colours["073315003"] == CLASSES[monsheim["klasse"]].colour == CLASSES["keine"].colour
    assert ("#d73027", "keine Versorgung (1)") in fill.legend
    html = render(reference, coverage, kitas)
    for colour in set(fill.colours.values()):
        assert colour in html
    assert "GeoBasis-DE / BKG (2017)" in html  # the © is JSON-escaped in the script


def test_user_text_is_escaped_in_tooltips_labels_and_legend(reference, parts):
    coverage, kitas = parts
    kitas = kitas.copy()
    kitas.loc[kitas.index[0], "name"] = EVIL
    coverage = coverage.copy()
    coverage.loc[0, "gebiet"] = EVIL
    html = render(reference, coverage, kitas)
    assert EVIL not in html
    # Escaped once for HTML; inside <script> Jinja's tojson additionally writes & as \u0026.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html.replace("\\u0026", "&")


def test_no_cdn_links_and_no_tiles_with_basemap_none(reference, parts):
    coverage, kitas = parts
    html = render(reference, coverage, kitas, basemap="none")
    for host in ("cdn.jsdelivr", "cdnjs", "code.jquery", "unpkg", "bootstrapcdn", "tile.openstreetmap"):
        assert host not in html
    assert "../../app/static/vendor/leaflet.js" in html
    assert "tile.openstreetmap.org" in render(reference, coverage, kitas, basemap="osm")
    custom = render(reference, coverage, kitas, basemap="https://tiles.example.org/{z}/{x}/{y}.png",
                    basemap_attribution=EVIL)
    assert "tiles.example.org" in custom and EVIL not in custom


def test_vendor_files_are_copied(tmp_path):
    target = assets.copy_vendor_files(tmp_path / "vendor")
    assert (target / "leaflet.js").stat().st_size > 100_000
    assert (target / "images" / "marker-icon.png").exists()
    assert "GestureHandling" in (target / "leaflet-gesture-handling.min.js").read_text()
    assert not (target / "leaflet.markercluster.js").exists()  # no map uses clusters


def test_large_type_for_presentations():
    assert "font-size: 20px" in maps.map_css(large=True)
    assert "font-size: 20px" not in maps.map_css(large=False)


def test_classed_fill_with_infinite_values():
    values = pd.Series({"a": 100.0, "b": 400.0, "c": 900.0, "d": float("inf")})
    fill = maps.classed_fill(values, "Kinder je VZÄ", scheme="fixed", bins=[300, 600, 1000])
    assert fill.colours["d"] == maps.NO_STAFF_COLOUR
    assert len({fill.colours[k] for k in "abc"}) == 3
    assert fill.legend[-1] == (maps.NO_STAFF_COLOUR, "keine Fachkraft im Gebiet")


def test_clicked_object_decoding():
    area = {"last_active_drawing": {"properties": {"typ": "gebiet", "gebiet_rs": "073315003"}}}
    kita = {"last_active_drawing": {"properties": {"typ": "kita", "id": "K1"}}}
    assert maps.clicked_object(area) == ("gebiet", "073315003")
    assert maps.clicked_object(kita) == ("kita", "K1")
    assert maps.clicked_object({"last_active_drawing": None}) is None
    assert maps.clicked_object(None) is None


def test_zoom_to_fit_shows_the_whole_area(reference):
    import math

    for key in ("073315001", "073310003"):
        minx, miny, maxx, maxy = bounds = reference.areas.set_index("gebiet_rs").loc[key, "geometry"].bounds
        zoom = maps.zoom_to_fit(bounds)
        width_px = (maxx - minx) / 360 * 256 * 2 ** zoom
        assert width_px <= 520 and width_px > 520 / 2 ** 1.25  # fits, and not needlessly far out
    assert math.isclose(maps.zoom_to_fit((8.0, 49.7, 8.1, 49.8)) % 0.25, 0)


def test_fixed_bounds_legend_starts_with_up_to_and_skips_empty_classes():
    values = pd.Series({"a": 468.0, "b": 529.0, "c": 703.0, "d": 300.0})
    fill = maps.classed_fill(values, "Kinder je VZÄ", scheme="fixed", bins=[450, 600, 800, 1000])
    labels = [label for _, label in fill.legend]
    assert labels == ["bis 450", "450 – 600", "600 – 800"]  # nothing above 800: no "800 – 1.000"
    assert fill.colours["a"] == fill.colours["b"] == fill.legend[1][0]  # both in 450–600


def test_parents_map_has_plain_kita_points_and_gemeinde_names(reference, parts):
    coverage, kitas = parts
    html = render(reference, coverage, kitas, gemeinde_labels=True, parents=True)
    assert "markerClusterGroup" not in html and "VZ\\u00c4" not in html and "VZÄ" not in html
    assert html.count("gemeinde-label\\u0027") == len(reference.gemeinden)  # quotes JSON-escaped in the script
    assert "zoom-gemeinden" in html and f">= {maps.GEMEINDE_LABEL_ZOOM}" in html
    coordinators = render(reference, coverage, kitas)
    # Coordinators' maps: every Kita its own point too (clusters threw errors on a click)
    assert "markerClusterGroup" not in coordinators and "gemeinde-label\\u0027" not in coordinators
    assert "VZ\\u00c4" in coordinators or "VZÄ" in coordinators  # the coordinators' tooltips keep the figures


def test_highlight_layer_outlines_the_selection_and_fits_it(reference, parts):
    coverage, kitas = parts
    assert maps.highlight_layer(reference.areas, reference.gemeinden, kitas) is None
    gemeinde = reference.gemeinden.set_index("gemeinde").loc["Flonheim"]
    group = maps.highlight_layer(reference.areas, reference.gemeinden, kitas, gebiet=gemeinde["gebiet_rs"],
                                 gemeinde=gemeinde["gemeinde_rs"])
    fmap = folium.Map()
    group.add_to(fmap)
    html = fmap.get_root().render()
    minx, miny, maxx, maxy = gemeinde["geometry"].bounds
    assert "fitBounds" in html and f"{miny}" in html and f"{maxx}" in html  # the Gemeinde's frame, not the area's
    kita = kitas[kitas["gemeinde_rs"] == gemeinde["gemeinde_rs"]].iloc[0]
    ring = maps.highlight_layer(reference.areas, reference.gemeinden, kitas, gebiet=gemeinde["gebiet_rs"],
                                gemeinde=gemeinde["gemeinde_rs"], kita=kita["id"])
    assert sum(isinstance(c, folium.CircleMarker) for c in ring._children.values()) == 2
    # A Kita is shown with its whole Gemeinde, outlined and named: where it is, not a dot on a blank map.
    fit = next(c for c in ring._children.values() if isinstance(c, maps.FitOnAdd))
    (south, west), (north, east) = fit.bounds
    assert south <= miny and west <= minx and north >= maxy and east >= maxx
    ring_html = folium.Map().add_child(ring).get_root().render()
    # the ring above the names, like the point (compact JSON or not: hook H7 may be loaded in this process)
    assert len(re.findall(rf'"pane": ?"{maps.KITA_PANE}"', ring_html)) == 2
    assert "selected-label" in ring_html and "Flonheim" in ring_html  # and the Gemeinde named beside it
    zoom = maps.zoom_to_fit((fit.bounds[0][1], fit.bounds[0][0], fit.bounds[1][1], fit.bounds[1][0]))
    assert zoom >= maps.GEMEINDE_LABEL_ZOOM  # close enough that the base map names the Gemeinden around it


def test_no_selection_fits_the_whole_district_again(reference, parts):
    """Reset or Back to no selection: a layer that only fits the map to the district."""
    _, kitas = parts
    bounds = reference.district.total_bounds
    group = maps.highlight_layer(reference.areas, reference.gemeinden, kitas, district_bounds=bounds)
    fits = [c for c in group._children.values() if isinstance(c, maps.FitOnAdd)]
    assert len(group._children) == 1 and fits[0].bounds == [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]


def test_kita_points_lie_above_the_names_and_below_the_tooltips(reference, parts):
    coverage, kitas = parts
    html = maps.build_map(reference.areas, coverage, kitas, reference.district, maps.coverage_fill(coverage),
                          gemeinden=reference.gemeinden, gemeinde_labels=True, parents=True).get_root().render()
    assert 400 < maps.LABEL_PANE_Z < maps.KITA_PANE_Z < 650  # overlayPane < names < Kitas < tooltipPane
    assert re.search(rf'"pane": ?"{maps.KITA_PANE}"', html)  # the points' own option: drawn in that pane
    assert f"{maps.LABEL_PANE_Z}" in html and f"{maps.KITA_PANE_Z}" in html


def test_empty_first_fixed_class_is_left_out():
    fill = maps.classed_fill(pd.Series({"a": 468.0, "c": 703.0}), "x", scheme="fixed", bins=[450, 600, 800])
    assert [label for _, label in fill.legend] == ["450 – 600", "600 – 800"]


@pytest.mark.parametrize("scheme", ["natural_breaks", "quantiles"])
def test_legend_has_no_empty_or_degenerate_classes(scheme):
    # repeated values make mapclassify repeat bounds; shares of 0 gave "0,00 – 0,00"
    values = pd.Series({"a": 4.5, "b": 4.5, "c": 4.5, "d": 0.0, "e": 0.0, "f": 7.25, "g": 9.0})
    fill = maps.classed_fill(values, "x", scheme=scheme, k=4, digits=2)
    labels = [label for _, label in fill.legend]
    assert len(labels) == len(set(labels))
    for label in labels:
        parts = label.split(" – ")
        assert len(parts) == 1 or parts[0] != parts[1], label
    used = set(fill.colours.values())
    assert {colour for colour, _ in fill.legend} == used  # every legend colour is on the map, and vice versa


def test_many_kitas_are_drawn_on_a_canvas_few_as_reachable_svg(reference, parts):
    coverage, kitas = parts
    few = maps.build_map(reference.areas, coverage, kitas, reference.district, maps.coverage_fill(coverage))
    assert not few.options.get("prefer_canvas")  # SVG points take the keyboard focus
    copies = -(-(maps.CANVAS_ABOVE + 1) // len(kitas))
    many = pd.concat([kitas.assign(id=kitas["id"] + f"-{i}") for i in range(copies)], ignore_index=True)
    land = maps.build_map(reference.areas, coverage, many, reference.district, maps.coverage_fill(coverage))
    assert land.options.get("prefer_canvas") is True
    assert "markerClusterGroup" not in land.get_root().render()


def test_the_whole_map_fits_at_the_smallest_zoom(reference, parts):
    """A district's map zooms out to 8 (the district and around it); a Land, here four times as wide, further,
    so that all of it fits the map (at zoom 8 the south of Rheinland-Pfalz was cut off)."""
    coverage, _ = parts
    district = maps.build_map(reference.areas, coverage, None, reference.district, maps.coverage_fill(coverage))
    assert district.options["min_zoom"] == 8
    land = reference.district.copy()
    land["geometry"] = land.geometry.scale(4, 4)
    wide = maps.build_map(reference.areas, coverage, None, land, maps.coverage_fill(coverage))
    minx, miny, maxx, maxy = land.total_bounds
    assert wide.options["min_zoom"] < 8
    assert (maxx - minx) / 360 * 256 * 2 ** wide.options["min_zoom"] <= 520


def test_kita_points_carry_plain_text_and_the_map_compact_json(reference, parts):
    """The Kitas' tooltip is written in the browser from plain properties (text nodes), not sent as HTML per
    point; folium's JSON goes without spaces after ',' and ':' once the map component is loaded (hook H7)."""
    import ui.framework.folium_component  # noqa: F401 (sets folium's compact JSON policy)

    coverage, kitas = parts
    kitas = kitas.copy()
    kitas.loc[kitas.index[0], "name"] = EVIL
    assets.use_local_assets()
    fmap = maps.build_map(reference.areas, coverage, kitas, reference.district, maps.coverage_fill(coverage))
    layer = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Kitas")
    first = layer.data["features"][0]["properties"]
    assert set(first) == {"id", "typ", "name", "label", "versorgt", "ort"}
    assert first["name"] == EVIL and first["ort"] == f"{kitas.iloc[0]['plz']} {kitas.iloc[0]['ort']}"
    html = fmap.get_root().render()
    assert EVIL not in html  # the name only as JSON data, its "<" written \u003c
    assert '"coordinates":[[[' in html and '"coordinates": ' not in html
