"""The parents' map reports clicks itself (geo.maps.KeyboardAccess, not streamlit-folium's debounced value): in
headless Chromium, each click or Enter on an area or a Kita causes exactly one script run, at once; pan and
zoom cause none; the same spot clicked again after "Auswahl aufheben" opens the card again."""

import time

import pytest

from bench.support import Stream
from tests.browser_support import FIND_MAP, MAP_FRAME, click_latlng, set_view, wait_for_map, wait_until_still
from tests.test_browser_karte import quiet_point

pytestmark = pytest.mark.browser

MONSHEIM = "073315003"
# streamlit-folium's debounce is 250 ms: a value it sent late would arrive within this.
QUIET_S = 1.0


def settle(page, stream: Stream, quiet: float = QUIET_S, timeout: float = 30) -> None:
    """Until every started run has finished and nothing arrived over the websocket for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if stream.finished >= stream.runs and time.monotonic() - stream.last_message >= quiet:
            return
    pytest.fail("the app did not go quiet")


def test_each_click_is_one_run_and_pan_zoom_none(live_app, browser_page, reference, seed):
    page = browser_page
    stream = Stream()
    page.on("websocket", lambda ws: ws.on("framereceived", stream.feed))
    page.goto(live_app)
    frame = wait_for_map(page)
    settle(page, stream)
    name = frame.evaluate(FIND_MAP)

    runs, zoom = stream.runs, frame.evaluate(f"() => window['{name}'].getZoom()")
    frame.evaluate(f"() => window['{name}'].panBy([120, 60], {{animate: false}})")
    frame.locator(".leaflet-control-zoom-in").click()
    # The zoom animation starts on the next animation frame: wait until it has zoomed in and ended.
    wait_until_still(frame, zoom=zoom + 1)
    settle(page, stream)
    assert stream.runs == runs  # pan and zoom: no run

    lat, lon = quiet_point(reference.areas.set_index("gebiet_rs").loc[MONSHEIM, "geometry"], seed["kitas"])
    set_view(frame, lat, lon, 11)
    settle(page, stream)
    runs, start = stream.runs, time.monotonic()
    click_latlng(page, frame, lat, lon)
    page.get_by_role("heading", name="VG Monsheim").wait_for(timeout=15_000)
    assert time.monotonic() - start < 10
    settle(page, stream)
    assert stream.runs == runs + 1 and stream.fragment_runs >= 1  # one run, and only card and map
    assert f"gebiet={MONSHEIM}" in page.url

    page.get_by_role("button", name="Auswahl aufheben").click()
    page.get_by_role("heading", name="VG Monsheim").wait_for(state="detached", timeout=15_000)
    settle(page, stream)
    frame = page.query_selector(MAP_FRAME).content_frame()
    set_view(frame, lat, lon, 11)
    settle(page, stream)
    runs = stream.runs
    click_latlng(page, frame, lat, lon)  # the same spot again: a new click, not the old value
    page.get_by_role("heading", name="VG Monsheim").wait_for(timeout=15_000)
    settle(page, stream)
    assert stream.runs == runs + 1

    kita = frame.locator("path[role=button][aria-label^='Kita']").first
    kita_name = kita.get_attribute("aria-label").rsplit(": ", 1)[0]
    runs = stream.runs
    kita.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=kita_name).first.wait_for(timeout=15_000)
    settle(page, stream)
    assert stream.runs == runs + 1
    assert "kita=" in page.url
