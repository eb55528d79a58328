"""The parents' map in headless Chromium: it draws, clicks and taps reach the card, the card is in view on a
phone, Back/Forward stay in step, no JS errors, nothing leaves localhost."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from kita.constants import METRIC_CRS, OUTPUT_CRS
from tests.browser_support import (
    ARTIFACTS,
    FIND_MAP,
    click_latlng,
    external_requests,
    point_on_page,
    set_view,
    wait_for_map,
)

pytestmark = pytest.mark.browser


LEGEND_OPEN = "() => document.querySelector('.kita-legend details').open"


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


def watch_errors(page) -> list[str]:
    """JS errors of the page and the map frame (uncaught exceptions and console errors)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    return errors


def wait_for_selection_drawn(frame, previous: str = "") -> str:
    """Wait until the app's selection layer (highlight + fit) is on the map and differs from ``previous``;
    returns it. A view set before that would be undone by the fit."""
    frame.wait_for_function(
        "(previous) => window.feature_group && window.feature_group.some(g => g._map) && "
        "window.__GLOBAL_DATA__.last_feature_group !== previous", arg=previous, timeout=15_000)
    return frame.evaluate("() => window.__GLOBAL_DATA__.last_feature_group")


# The card's heading on the screen (no scrolling needed to read it) for ``still`` ms in a row, checked on every
# animation frame: the page may still move for a moment while the run is drawn (the card script puts the heading
# back), and what counts is where it comes to rest.
HEADING_STAYS_IN_VIEW = """([name, still]) => {
  const h = [...document.querySelectorAll('h2')].find(e => e.innerText.includes(name));
  const r = h && h.getBoundingClientRect(), now = performance.now();
  if (!(r && r.top >= 0 && r.top + 30 <= innerHeight)) { window.__inViewSince = null; return false; }
  window.__inViewSince = window.__inViewSince || now;
  return now - window.__inViewSince >= still;
}"""


def heading_comes_to_rest_in_view(page, name: str, still: int = 500, timeout: float = 10_000) -> None:
    page.evaluate("() => { window.__inViewSince = null; }")
    page.wait_for_function(HEADING_STAYS_IN_VIEW, arg=[name, still], timeout=timeout, polling="raf")


def demo_notice_on_first_screen(page) -> bool:
    """Whether the whole "Beispieldaten" notice is on the first screen, without scrolling."""
    notice = page.locator(".st-key-beispieldaten [data-testid=stAlertContainer]")
    notice.wait_for(timeout=15_000)
    box, text = notice.bounding_box(), notice.locator("p").bounding_box()
    inside = box["y"] <= text["y"] and text["y"] + text["height"] <= box["y"] + box["height"]  # compact, not clipped
    return (inside and page.evaluate("() => scrollY") == 0 and box["y"] >= 0
            and box["y"] + box["height"] <= page.viewport_size["height"])


def test_map_draws_click_area_then_kita_with_tooltip(live_app, browser_page, reference, seed):
    page = browser_page
    errors = watch_errors(page)
    page.goto(live_app)
    frame = wait_for_map(page)
    assert demo_notice_on_first_screen(page)  # 1400×900
    assert frame.locator("path.leaflet-interactive").count() >= 7
    assert frame.evaluate(LEGEND_OPEN) is True and frame.locator(".kita-legend").get_by_text("unterversorgt").is_visible()
    assert frame.locator(".kita-cluster").count() == 0  # every Kita is its own point

    monsheim = reference.areas.set_index("gebiet_rs").loc["073315003", "geometry"]
    lat, lon = quiet_point(monsheim, seed["kitas"])
    click_latlng(page, frame, lat, lon)
    page.get_by_role("heading", name="VG Monsheim").wait_for(timeout=15_000)
    assert "gebiet=073315003" in page.url

    kita = seed["kitas"][seed["kitas"]["gemeinde_rs"].str.startswith("073315002")].iloc[0]
    frame = wait_for_map(page)
    wait_for_selection_drawn(frame)
    page.wait_for_timeout(300)
    set_view(frame, kita["lat"], kita["lon"], 15)
    x, y = point_on_page(page, frame, kita["lat"], kita["lon"])
    page.mouse.move(x, y)
    tooltip = frame.locator(".leaflet-tooltip", has_text=kita["name"])
    tooltip.wait_for(state="visible", timeout=5_000)
    page.mouse.click(x, y)
    page.get_by_role("heading", name=kita["name"]).wait_for(timeout=15_000)
    assert f"kita={kita['id']}" in page.url
    page.wait_for_timeout(500)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte-desktop.png"))
    assert errors == []
    assert external_requests(page.requests) == []


def test_phone_card_in_view_after_tap_and_search_and_back_forward(live_app, browser_page, reference, seed):
    page = browser_page
    errors = watch_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_app)
    frame = wait_for_map(page)
    box = page.get_by_label("Ort, Ortsteil, Kita oder PLZ")
    assert box.bounding_box()["y"] + 40 < 844 / 2  # the search is at the top of the first screen
    assert demo_notice_on_first_screen(page)  # and above it, compact, the demo-data notice
    assert "Beispieldaten" in page.locator(".st-key-beispieldaten").inner_text()
    # On a phone-sized map the legend starts folded to its title, which opens and folds it (keyboard too).
    assert frame.evaluate(LEGEND_OPEN) is False
    assert not frame.locator(".kita-legend").get_by_text("unterversorgt").is_visible()
    frame.locator(".kita-legend summary").focus()
    page.keyboard.press("Enter")
    assert frame.evaluate(LEGEND_OPEN) is True and frame.locator(".kita-legend").get_by_text("unterversorgt").is_visible()
    page.keyboard.press("Enter")
    assert frame.evaluate(LEGEND_OPEN) is False

    # A tap on the map (scrolled down to it): the page brings the card into view.
    monsheim = reference.areas.set_index("gebiet_rs").loc["073315003", "geometry"]
    lat, lon = quiet_point(monsheim, seed["kitas"])
    click_latlng(page, frame, lat, lon)
    page.get_by_role("heading", name="VG Monsheim").wait_for(timeout=15_000)
    heading_comes_to_rest_in_view(page, "VG Monsheim")
    assert page.get_by_role("link", name="Zur Karte").count() == 1  # the way back to the map

    # A search: the card is on the first screen, below the search box.
    box.fill("Alzey-Dautenheim")
    box.press("Enter")
    page.get_by_role("heading", name="Dautenheim, Stadt Alzey").wait_for(timeout=15_000)
    heading_comes_to_rest_in_view(page, "Dautenheim, Stadt Alzey")
    assert "ortsteil=Dautenheim" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte-phone.png"))

    # Back and Forward step through the selections, URL and card in step.
    page.go_back()
    page.get_by_role("heading", name="VG Monsheim").wait_for(timeout=15_000)
    assert "gebiet=073315003" in page.url and "ortsteil" not in page.url
    page.go_forward()
    page.get_by_role("heading", name="Dautenheim, Stadt Alzey").wait_for(timeout=15_000)
    assert "ortsteil=Dautenheim" in page.url

    # A shared link opens with the selection fitted into the phone's map frame.
    monsheim_gemeinde = reference.gemeinden.set_index("gemeinde_rs").loc["073315003048", "geometry"]
    page.goto(f"{live_app}/?gemeinde=073315003048")
    frame = wait_for_map(page)
    wait_for_selection_drawn(frame)
    name = frame.evaluate(FIND_MAP)
    minx, miny, maxx, maxy = monsheim_gemeinde.bounds
    frame.wait_for_function(
        f"() => {{ const m = window['{name}']; return m.getZoom() >= 12 && "
        f"m.getBounds().contains([[{miny}, {minx}], [{maxy}, {maxx}]]); }}", timeout=10_000)
    assert errors == []
    assert external_requests(page.requests) == []


def test_search_text_with_a_markdown_link_stays_text_in_the_error_box(live_app, browser_page):
    """D5: what a visitor types is echoed in the red box as text, never as a clickable link."""
    page = browser_page
    page.goto(live_app)
    box = page.get_by_label("Ort, Ortsteil, Kita oder PLZ")
    box.fill("[Klick](http://evil.example)")
    box.press("Enter")
    alert = page.locator("[data-testid=stAlertContainer]").filter(has_text="Kein Ort")
    alert.wait_for(timeout=20_000)
    assert "[Klick](http://evil.example)" in alert.inner_text().replace("\u2060", "")
    assert alert.locator("a").count() == 0
    assert external_requests(page.requests) == []


def tab_to(page, selector: str, presses: int = 60) -> None:
    """Press Tab until the focused element lies inside ``selector`` (as a keyboard user would)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!(document.activeElement && document.activeElement.closest(s))", selector):
            return
    pytest.fail(f"{selector} not reached by Tab")


def test_place_list_by_keyboard_opens_the_card(live_app, browser_page, reference, seed):
    """The non-map path at 390×844: Tab to the list, Enter opens it, Tab to a Kita, Enter: its card is on screen."""
    from geo.search import build_index, directory

    page = browser_page
    errors = watch_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_app)
    wait_for_map(page)
    tab_to(page, ".st-key-ortsliste summary")
    page.keyboard.press("Enter")
    index = build_index(reference.gemeinden, reference.areas, reference.plz, seed["kitas"])
    kita = directory(index)[0].kitas[1]  # the second Kita of the first area in the list
    entry = f".st-key-liste_{kita.kita_id}"
    page.locator(f"{entry} button").wait_for(timeout=15_000)
    tab_to(page, entry)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=kita.name).wait_for(timeout=15_000)
    page.wait_for_function(f"() => location.search.includes('kita={kita.kita_id}')", timeout=10_000)
    heading_comes_to_rest_in_view(page, kita.name)
    assert errors == []
