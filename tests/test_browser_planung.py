"""The planning page in headless Chromium: running a plan turns the receiving area's colour on the
after-map, while the before-map keeps it; nothing is requested from outside."""

import datetime as dt

import pytest

from kita.coverage import CLASSES, COVERED, coverage_at
from kita.planning import default_start
from tests.browser_support import (
    ARTIFACTS,
    FIND_MAP,
    MAP_FRAME,
    external_requests,
    wait_for_map,
)

pytestmark = pytest.mark.browser

FILL_OF_AREA = """(key) => {
  const map = window[(%s)()];
  let colour = null;
  map.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (p && p.typ === 'gebiet' && p.gebiet_rs === key && l.options.fillColor) colour = l.options.fillColor; });
  return colour;
}""" % FIND_MAP


def fill_colour(page, index: int, key: str) -> str | None:
    """Fill colour of an area on the index-th map of the page (None while that map is redrawing)."""
    frames = page.query_selector_all(MAP_FRAME)
    if len(frames) <= index:
        return None
    frame = frames[index].content_frame()
    try:
        if frame is None or frame.locator("path.leaflet-interactive").count() == 0:
            return None
        return frame.evaluate(FILL_OF_AREA, key)
    except Exception:  # the frame was replaced between the calls (the map remounts on new content)
        return None


def wait_colour(page, index: int, key: str, colour: str, timeout_ms: int = 30_000) -> None:
    waited = 0
    while waited < timeout_ms:
        if fill_colour(page, index, key) == colour:
            return
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError(f"map {index}: area {key} is {fill_colour(page, index, key)}, expected {colour}")


def set_new_fte(page, value: str) -> None:
    box = page.get_by_role("textbox", name="Neue VZÄ")
    box.fill(value)
    box.press("Enter")


def test_plan_changes_the_after_map_for_the_receiving_area(live_app, browser_page, reference, seed):
    beginn = default_start(dt.date.today())  # the page's default start date
    before = coverage_at(beginn, reference.areas, seed["kitas"], seed["fachkraefte"], 600)
    needy = before[before["klasse"] != COVERED]
    assert len(needy), "the seed should leave an area not covered at the default start date"
    target = needy.iloc[0]

    page = browser_page
    page.goto(live_app)  # start page first: the app's navigation is registered on its first run
    wait_for_map(page)
    page.get_by_role("link", name="Anmelden (Koordination)").click()  # the public menu's way to the login pages
    page.get_by_role("heading", name="Planung neuer Stellen").wait_for(timeout=30_000)
    page.wait_for_selector(f"{MAP_FRAME} >> nth=1", state="attached", timeout=30_000)

    set_new_fte(page, "0")
    page.get_by_text("0 neue VZÄ: es gibt nichts zu verteilen").wait_for(timeout=30_000)
    old = CLASSES[target["klasse"]].colour
    wait_colour(page, 1, target["gebiet_rs"], old)

    set_new_fte(page, "3")
    page.get_by_text(f"0,5 VZÄ → {target['gebiet']}:").first.wait_for(timeout=30_000)
    wait_colour(page, 1, target["gebiet_rs"], CLASSES[COVERED].colour)
    wait_colour(page, 0, target["gebiet_rs"], old)  # the before-map is unchanged

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "planung-desktop.png"), full_page=True)
    assert external_requests(page.requests) == []
