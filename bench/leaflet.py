"""Moving and clicking the Leaflet map inside streamlit-folium's iframe with Playwright: shared by the browser
tests and the map benchmark.

Leaflet starts a zoom animation (zoom button, wheel, an animated move of the app) only on the next animation
frame, ignores setView()/fitBounds() while it runs, and converts coordinates by the old zoom until it has
ended. So a move is repeated until the map shows it, and a click waits until the map stands still. Checks run
on animation frames, which also makes headless Chromium run the animation's timers.
"""

from __future__ import annotations

import time

MAP_FRAME = 'iframe[src*="/streamlit_folium.st_folium/"]'  # its title is set per language by ui/
# JS run inside the map frame: folium names the map map_<id>; find the L.Map instance.
FIND_MAP = ("() => { for (const k of Object.keys(window)) { try { if (window[k] instanceof L.Map) return k; }"
            " catch (e) {} } return null; }")
TIMEOUT_MS = 15_000


def _map(frame) -> str:
    """JS expression for the frame's L.Map."""
    return f"window['{frame.evaluate(FIND_MAP)}']"


# True once the map's view (zoom, centre, size) has not changed and no zoom animation has run for STILL_MS: the
# first check only notes the view. A fitBounds() on load starts its animation a frame later, so "not animating
# now" alone is not enough.
STILL_MS = 300
_STILL = """() => {{
  const m = {map_}, c = m.getCenter(), s = m.getSize(), now = performance.now();
  const view = [m.getZoom(), c.lat, c.lng, s.x, s.y, m._animatingZoom].join();
  const w = window.__kitaStill;
  if (!w || w.view !== view || m._animatingZoom) {{ window.__kitaStill = {{view: view, since: now}}; return false; }}
  return now - w.since >= {still_ms} && {arrived};
}}"""


def wait_until_still(frame, zoom: float | None = None, timeout: float = TIMEOUT_MS) -> None:
    """Until the map has stood still for STILL_MS (and, with ``zoom``, stands at that zoom level)."""
    frame.evaluate("() => { window.__kitaStill = null; }")
    arrived = "true" if zoom is None else f"m.getZoom() === {zoom}"
    frame.wait_for_function(_STILL.format(map_=_map(frame), still_ms=STILL_MS, arrived=arrived),
                            timeout=timeout, polling="raf")


def point_on_page(page, frame, lat: float, lon: float, timeout: float = TIMEOUT_MS) -> tuple[float, float]:
    """Where (lat, lon) is on the page, converted by Leaflet itself once the map stands still, and once the map
    frame has kept its place on the screen for a moment (the page may still move it: the card script keeps a new
    card in view for a few seconds, and a scroll by Playwright is no visitor's input that would end that)."""
    element = frame.frame_element()
    deadline = time.monotonic() + timeout / 1000
    while True:
        element.scroll_into_view_if_needed()
        wait_until_still(frame)
        x, y, width, height = frame.evaluate(
            f"() => {{ const m = {_map(frame)}, p = m.latLngToContainerPoint([{lat}, {lon}]), s = m.getSize(); "
            f"return [p.x, p.y, s.x, s.y]; }}"
        )
        if not (0 <= x < width and 0 <= y < height):
            raise AssertionError(f"({lat}, {lon}) is outside the map's view ({x:.0f}, {y:.0f} in {width}×{height})")
        box = element.bounding_box()
        page.wait_for_timeout(STILL_MS)
        if element.bounding_box() == box and 0 <= box["y"] + y < page.viewport_size["height"]:
            return box["x"] + x, box["y"] + y
        if time.monotonic() > deadline:
            raise AssertionError("the map frame did not keep its place on the page")


def set_view(frame, lat: float, lon: float, zoom: float, timeout: float = TIMEOUT_MS) -> None:
    """Move the map to (lat, lon) at ``zoom`` and wait until it shows that view (asked again until it took)."""
    frame.wait_for_function(
        f"() => {{ const m = {_map(frame)}; if (m._animatingZoom) return false; const c = m.getCenter(); "
        f"if (m.getZoom() === {zoom} && Math.abs(c.lat - {lat}) < 1e-5 && Math.abs(c.lng - {lon}) < 1e-5) "
        f"return true; m.setView([{lat}, {lon}], {zoom}, {{animate: false}}); return false; }}",
        timeout=timeout, polling="raf",
    )


def fit_bounds(frame, south: float, west: float, north: float, east: float, timeout: float = TIMEOUT_MS) -> None:
    """Show the bounds (as fitBounds() would, without animation) and wait until the map shows them."""
    map_ = _map(frame)
    lat, lon, zoom = frame.evaluate(
        f"() => {{ const m = {map_}, b = L.latLngBounds([[{south}, {west}], [{north}, {east}]]); "
        f"const z = m.getBoundsZoom(b), c = m.unproject(m.project(b.getSouthWest(), z)"
        f".add(m.project(b.getNorthEast(), z)).divideBy(2), z); return [c.lat, c.lng, z]; }}"
    )
    set_view(frame, lat, lon, zoom, timeout)


def click_latlng(page, frame, lat: float, lon: float) -> None:
    """Click the map at a geographic point."""
    page.mouse.click(*point_on_page(page, frame, lat, lon))
