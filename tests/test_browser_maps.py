"""The maps in a real browser, in the UI language: the map document's language and direction, a zoomable
viewport, English and Arabic legend and tooltips, and clicks on the coordinators' Kita points (where marker
clusters used to throw errors) without any JS error."""

import datetime as dt

import pytest

from kita import i18n
from kita.coverage import CLASSES, coverage_at, kita_coverage
from tests.browser_support import (
    ARTIFACTS,
    click_latlng,
    external_requests,
    point_on_page,
    set_view,
    wait_for_map,
)
from tests.test_browser_karte import quiet_point, watch_errors

pytestmark = pytest.mark.browser


def map_document(frame) -> dict:
    return frame.evaluate(
        "() => ({lang: document.documentElement.lang, dir: document.documentElement.dir, "
        "viewport: Array.from(document.querySelectorAll('meta[name=viewport]')).map(m => m.content), "
        "legend: document.querySelector('.kita-legend').innerText, "
        "legendDir: document.querySelector('.kita-legend > div').dir, "
        "mapDir: document.querySelector('.leaflet-container').getAttribute('dir')})"
    )


def hover_tooltip(page, frame, lat: float, lon: float) -> str:
    """The tooltip's text after the mouse rests on (lat, lon)."""
    page.mouse.move(*point_on_page(page, frame, lat, lon))
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible", timeout=10_000)
    return tooltip.inner_text()


def test_coordinators_map_in_english_clicks_on_kitas_without_errors(live_app, browser_page, reference, seed):
    page = browser_page
    errors = watch_errors(page)
    # Through the menu (a direct deep link makes Streamlit's client probe /versorgung/_stcore/health: a 404 that
    # has nothing to do with the map).
    page.goto(f"{live_app}/?lang=en")
    wait_for_map(page)
    page.get_by_role("link", name=i18n.text("nav_coverage", "en")).first.click()
    page.get_by_role("heading", name=i18n.text("coverage_title", "en")).wait_for(timeout=30_000)
    # The page's own map (its frame's URL names the page), not the start page's frame on its way out.
    own = "iframe[src*='/streamlit_folium.st_folium/'][src*='versorgung']"
    page.wait_for_selector(own, state="attached", timeout=60_000)
    page.frame_locator(f"{own} >> nth=0").locator("path.leaflet-interactive").first.wait_for(state="attached",
                                                                                            timeout=60_000)
    frame = page.query_selector(own).content_frame()
    document = map_document(frame)
    assert (document["lang"], document["dir"], document["mapDir"]) == ("en", "ltr", "ltr")
    assert document["viewport"] and not any("user-scalable=no" in v or "maximum-scale" in v for v in document["viewport"])
    assert i18n.text("map_legend_title", "en") in document["legend"]
    assert "Versorgung" not in document["legend"] and "Kita mit" not in document["legend"]
    assert frame.locator(".marker-cluster, .kita-cluster").count() == 0
    kitas = seed["kitas"]
    assert frame.locator("path.leaflet-interactive").count() >= 7 + len(kitas)  # every Kita its own point

    # The most crowded Kitas (where clusters used to be): click each at the district view, then hover one.
    today = kita_coverage(dt.date.today(), kitas, seed["fachkraefte"])
    alzey = today[today["gemeinde_rs"].str.startswith("073310003")]
    assert len(alzey) >= 5
    for row in alzey.itertuples():
        click_latlng(page, frame, row.lat, row.lon)
    page.wait_for_timeout(500)
    first = alzey.iloc[0]
    set_view(frame, first["lat"], first["lon"], 17)  # close enough that no neighbour covers it
    tooltip = hover_tooltip(page, frame, first["lat"], first["lon"])
    status = "served by Kita social work" if first["versorgt"] else "currently without Kita social work"
    assert first["name"] in tooltip and status in tooltip  # the name as it is, the status in English
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "versorgung-en.png"), full_page=True)
    assert errors == []
    assert external_requests(page.requests) == []


def test_parents_map_in_arabic_stays_left_to_right_with_an_arabic_legend(live_app, browser_page, reference, seed):
    page = browser_page
    errors = watch_errors(page)
    page.goto(f"{live_app}/?lang=ar")
    frame = wait_for_map(page)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').dir === 'rtl'", timeout=30_000)
    document = map_document(frame)
    assert (document["lang"], document["dir"], document["mapDir"], document["legendDir"]) == ("ar", "ltr", "ltr", "rtl")
    assert i18n.text("map_legend_title", "ar") in document["legend"]
    monsheim = reference.areas.set_index("gebiet_rs").loc["073315003", "geometry"]
    tooltip = hover_tooltip(page, frame, *quiet_point(monsheim, seed["kitas"]))
    today = coverage_at(dt.date.today(), reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    klasse = today.set_index("gebiet_rs").loc["073315003", "klasse"]
    assert "VG Monsheim" in tooltip and CLASSES[klasse].title("ar") in tooltip  # the name as it is
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte-ar.png"), full_page=True)
    assert errors == []
