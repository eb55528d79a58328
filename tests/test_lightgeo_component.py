"""The light map pieces: quantised geometry with every border once, and the component rendered once."""

import copy
import datetime as dt
import json

import folium
import shapely
import streamlit_folium as sf

import ui
import ui.framework.folium_component  # noqa: F401 (hook H7 in place before any map is rendered here)
from ui import loaders
from geo import lightgeo, maps
from kita.coverage import coverage_at, kita_coverage


def test_quantised_geometry_keeps_areas_and_drops_bbox(reference):
    collection = lightgeo.feature_collection(reference.areas[["gebiet_rs", "geometry"]])
    text = json.dumps(collection)
    assert "bbox" not in text
    numbers = [c for f in collection["features"] for ring in f["geometry"]["coordinates"] for c in _flat(ring)]
    assert all(round(n, 4) == n for n in numbers)
    light = lightgeo.quantised(reference.areas)
    metric, light_metric = reference.areas.to_crs("EPSG:25832"), light.to_crs("EPSG:25832")
    for before, after in zip(metric.geometry, light_metric.geometry):
        assert before.symmetric_difference(after).area / before.area < 0.002  # < 0.2 % of each area moves


def _flat(value):
    if isinstance(value, (int, float)):
        yield value
    else:
        for item in value:
            yield from _flat(item)


def test_inner_borders_are_gemeinde_borders_without_area_borders(reference):
    inner = lightgeo.inner_borders(reference.gemeinden, reference.areas).geometry.iloc[0]
    area_lines = reference.areas.boundary.union_all()
    assert inner.length > 0
    assert inner.intersection(area_lines).length < 1e-9  # nothing drawn twice
    gemeinde_lines = reference.gemeinden.boundary.union_all()
    # Together with the area outlines they are every Gemeinde border.
    assert gemeinde_lines.difference(inner.union(area_lines)).length < 1e-6


def test_land_overview_is_light_and_its_kreise_lie_on_area_borders(reference):
    """The overview's areas are rounded to 3 decimals and stay valid; the Kreise are dissolved from them, so
    their outlines follow the drawn area borders exactly, with no more vertices than the areas have."""
    areas = reference.areas.assign(gebiet_rs=reference.areas["gebiet_rs"].where(
        reference.areas["gebiet_rs"] != "073310003", "073320003"))  # Stadt Alzey in a second Kreis
    overview = lightgeo.overview_areas(areas)
    numbers = list(_flat([list(ring.coords) for g in overview.geometry for p in getattr(g, "geoms", [g])
                          for ring in [p.exterior, *p.interiors]]))
    assert all(round(n, 3) == n for n in numbers) and overview.geometry.is_valid.all()
    kreise = lightgeo.overview_kreise(overview)
    assert sorted(kreise["RS"]) == ["07331", "07332"]
    area_lines = overview.boundary.union_all()
    assert kreise.boundary.union_all().difference(area_lines).length < 1e-9
    assert shapely.get_num_coordinates(kreise.geometry.to_numpy()).sum() <= shapely.get_num_coordinates(
        overview.geometry.to_numpy()).sum()


def test_cached_component_sends_what_st_folium_sends(reference, seed, monkeypatch):
    stand = dt.date(2025, 1, 15)
    coverage = coverage_at(stand, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    kitas = kita_coverage(stand, seed["kitas"], seed["fachkraefte"])
    fmap = maps.build_map(reference.areas, coverage, kitas, reference.district, maps.coverage_fill(coverage))
    sent = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: sent.update(kwargs))
    returned_objects = ["last_active_drawing", "last_object_clicked"]
    sf.st_folium(copy.deepcopy(fmap), key="karte", height=500, use_container_width=True,
                 returned_objects=returned_objects)
    rendered = ui.render_map(copy.deepcopy(fmap), "karte", returned_objects)
    assert rendered.script == sent["script"] and rendered.header == sent["header"] and rendered.html == sent["html"]
    assert rendered.hash_key == sent["key"] and rendered.map_id == sent["id"]
    assert list(rendered.js_links) == sent["js_links"] and list(rendered.css_links) == sent["css_links"]
    assert rendered.defaults == sent["default"]
    # A second render of the same content has the same identity: the browser keeps the component.
    assert ui.render_map(copy.deepcopy(fmap), "karte", returned_objects).hash_key == rendered.hash_key
    assert isinstance(fmap, folium.Map)


def test_a_pages_change_to_the_shared_tables_stays_its_own(reference):
    """ui.tables()/ui.coverage() hold each frame once for all sessions and hand out shallow copies: a page that
    sets a value or adds a column changes only its copy (pandas copy-on-write), not what the next run gets."""
    shared = {"areas": reference.areas, "plain": reference.areas.drop(columns="geometry")}
    before = {name: frame.copy() for name, frame in shared.items()}
    for name, frame in shared.items():
        own = loaders._own(frame)
        own.loc[own.index[0], "gebiet_rs"] = "geändert"
        own["neu"] = 1
        own.iloc[1:, 0] = "auch geändert"
        assert own.loc[own.index[0], "gebiet_rs"] == "geändert"
        assert shared[name].equals(before[name]) and "neu" not in shared[name]
