"""The parents' map in headless Chromium: it draws, clicks reach the panel, nothing leaves localhost."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geo.constants import METRIC_CRS, OUTPUT_CRS
from geo import maps
from tests.browser_support import ARTIFACTS, click_latlng, external_requests, set_view, wait_for_map, wait_for_view

pytestmark = pytest.mark.browser


def quiet_point(area_geometry, kitas) -> tuple[float, float]:
    """(lat, lon) inside the area, as far as possible from any Kita marker and from the border."""
    area = gpd.GeoSeries([area_geometry], crs=OUTPUT_CRS).to_crs(METRIC_CRS).iloc[0]
    inner = area.buffer(-800)
    kita_points = gpd.GeoSeries(gpd.points_from_xy(kitas["lon"], kitas["lat"]), crs=OUTPUT_CRS).to_crs(METRIC_CRS)
    minx, miny, maxx, maxy = inner.bounds
    best, best_distance = None, -1.0
    for x in np.linspace(minx, maxx, 40):
        for y in np.linspace(miny, maxy, 40):
            candidate = Point(x, y)
            if inner.contains(candidate):
                distance = kita_points.distance(candidate).min()
                if distance > best_distance:
                    best, best_distance = candidate, distance
    point = gpd.GeoSeries([best], crs=METRIC_CRS).to_crs(OUTPUT_CRS).iloc[0]
    return point.y, point.x


def test_map_draws_click_area_then_kita(live_app, browser_page, reference, seed):
    page = browser_page
    page.goto(live_app)
    frame = wait_for_map(page)
    assert frame.locator("path.leaflet-interactive").count() >= 7

    monsheim = reference.areas.set_index("gebiet_rs").loc["073315003", "geometry"]
    lat, lon = quiet_point(monsheim, seed["kitas"])
    click_latlng(page, frame, lat, lon)
    page.get_by_role("heading", name="VG Monsheim").wait_for(timeout=15_000)
    assert "gebiet=073315003" in page.url

    kita = seed["kitas"][seed["kitas"]["gemeinde_rs"].str.startswith("073315002")].iloc[0]
    frame = wait_for_map(page)
    (view_lat, view_lon), _ = maps.view_for(reference.areas, reference.gemeinden, seed["kitas"], gebiet="073315003")
    wait_for_view(frame, view_lat, view_lon)  # the app has zoomed to the selected area
    set_view(frame, kita["lat"], kita["lon"], 15)
    wait_for_view(frame, kita["lat"], kita["lon"])
    page.wait_for_timeout(300)
    click_latlng(page, frame, kita["lat"], kita["lon"])
    page.get_by_role("heading", name=kita["name"]).wait_for(timeout=15_000)
    assert f"kita={kita['id']}" in page.url

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte-desktop.png"))
    assert external_requests(page.requests) == []


def test_deep_link_and_phone_layout(live_app, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_app}/?gebiet=073315005")
    wait_for_map(page)
    page.get_by_role("heading", name="VG Wöllstein").wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte-phone.png"), full_page=True)
    assert external_requests(page.requests) == []


def test_search_for_plz_in_browser(live_app, browser_page):
    page = browser_page
    page.goto(live_app)
    wait_for_map(page)
    box = page.get_by_label("Ort, Ortsteil, Kita oder PLZ")
    box.fill("67591")
    box.press("Enter")
    page.get_by_text("Treffer auswählen (5)").wait_for(timeout=15_000)
    page.get_by_role("heading", name="Hohen-Sülzen").wait_for(timeout=15_000)
