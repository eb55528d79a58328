"""Presentation mode in headless Chromium at 1920×1080: slides by keyboard (arrow keys and the
PageUp/PageDown of presenter clickers), large type, the link follows the slide; and the exported
HTML map draws from a file with networking off."""

from __future__ import annotations

import pytest

from geo import export
from tests.browser_support import ARTIFACTS, external_requests, wait_for_map
from tests.conftest import AFTER_SUMMER_2024

pytestmark = pytest.mark.browser


def wait_for_slide(page, heading: str, number: int) -> None:
    page.locator(".praes-heading", has_text=heading).wait_for(timeout=40_000)
    page.wait_for_url(f"**/praesentation?folie={number}", timeout=30_000)


def test_slides_step_by_keyboard_in_large_type(live_app, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_app}/praesentation?folie=1")  # a link straight to the page
    frame = wait_for_map(page)
    wait_for_slide(page, "Landkreis Alzey-Worms – Überblick", 1)

    # Readable at 3 m: area labels and legend at least 18 px.
    label_px = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.area-label')).fontSize)")
    legend_px = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.kita-legend')).fontSize)")
    assert label_px >= 18 and legend_px >= 18

    page.keyboard.press("ArrowRight")
    wait_for_slide(page, "Stadt Alzey", 2)
    page.keyboard.press("PageDown")  # what a presenter clicker sends
    wait_for_slide(page, "VG Alzey-Land", 3)
    # The area's figures in large print (Kita children of VG Alzey-Land).
    page.locator(".praes-panel", has_text="1.276").wait_for(timeout=40_000)
    page.keyboard.press("ArrowLeft")
    wait_for_slide(page, "Stadt Alzey", 2)

    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "praesentation-1920.png"))
    assert external_requests(page.requests) == []


def test_exported_html_map_draws_offline(browser_page, reference, seed, tmp_path):
    page = browser_page
    data = export.prepare(AFTER_SUMMER_2024, reference, seed, 600)
    path = tmp_path / export.file_name("html", data)
    path.write_text(export.interactive_html(data, large=True), encoding="utf-8")
    page.context.set_offline(True)
    page.goto(path.as_uri())
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=40_000)
    assert page.locator("path.leaflet-interactive").count() >= 7
    assert page.locator(".kita-legend", has_text="Beispieldaten").count() == 1
    assert page.locator(".area-label", has_text="VG Monsheim").count() == 1
    assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []
