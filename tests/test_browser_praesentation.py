"""Presentation mode in headless Chromium at 1920×1080: slides by keyboard (arrow keys and the
PageUp/PageDown of presenter clickers), large type, the link follows the slide; and the exported
HTML map draws from a file with networking off."""

from __future__ import annotations

import pandas as pd
import pytest

from kita.constants import data_folder
from reports import export

SEED_DIR = data_folder().seed
from kita.text import number
from tests.browser_support import (
    ARTIFACTS,
    FIND_MAP,
    MAP_FRAME,
    external_requests,
    wait_for_map,
)
from tests.conftest import AFTER_SUMMER_2024

pytestmark = pytest.mark.browser


def wait_for_slide(page, heading: str, number: int) -> None:
    page.locator(".praes-heading", has_text=heading).wait_for(timeout=40_000)
    page.wait_for_url(f"**/praesentation?folie={number}&*", timeout=30_000)


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
    kitas = pd.read_csv(SEED_DIR / "kitas.csv", dtype={"gemeinde_rs": str})
    alzey_land = number(kitas.loc[kitas["gemeinde_rs"].str.startswith("073315001"), "kinder"].sum(), 0)
    page.locator(".praes-panel", has_text=alzey_land).wait_for(timeout=40_000)
    page.keyboard.press("ArrowLeft")
    wait_for_slide(page, "Stadt Alzey", 2)

    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "praesentation-1920.png"))
    assert external_requests(page.requests) == []


# In the map's frame: the legend's box and every shown area label's box, in map container pixels. A label's
# place comes from Leaflet (latLngToContainerPoint of its marker), its size from the drawn element.
LAYOUT_JS = """(name) => {
    const map = window[name];
    const mapBox = map.getContainer().getBoundingClientRect();
    const box = (r) => ({left: r.left - mapBox.left, top: r.top - mapBox.top, right: r.right - mapBox.left,
                         bottom: r.bottom - mapBox.top});
    const labels = [];
    map.eachLayer((layer) => {
        if (layer.options && layer.options.pane === 'gebietsnamen' && layer.getElement) {
            const label = layer.getElement().querySelector('.area-label');
            if (!label || getComputedStyle(label).visibility === 'hidden') return;
            const p = map.latLngToContainerPoint(layer.getLatLng());
            const w = label.offsetWidth, h = label.offsetHeight;
            labels.push({name: label.dataset.gebiet, x: p.x, y: p.y,
                         left: p.x - w / 2, top: p.y - h / 2, right: p.x + w / 2, bottom: p.y + h / 2});
        }
    });
    return {legend: box(document.querySelector('.kita-legend').getBoundingClientRect()),
            width: mapBox.width, height: mapBox.height, labels: labels};
}"""


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def check_slide(page, name: str) -> None:
    """Nothing hidden: map and figures above the footer, inside the window; the legend covers no area label;
    body text at least 20 px. Saves a screenshot."""
    frame = page.query_selector(MAP_FRAME).content_frame()
    page.wait_for_timeout(1500)  # the map's move to the slide's view
    layout = frame.evaluate(LAYOUT_JS, frame.evaluate(FIND_MAP))
    shown = [lb for lb in layout["labels"] if 0 <= lb["x"] <= layout["width"] and 0 <= lb["y"] <= layout["height"]]
    assert shown, "no area label on the map"
    assert [lb["name"] for lb in shown if overlaps(lb, layout["legend"])] == [], name
    footer = page.locator(".praes-corner").bounding_box()
    viewport = page.viewport_size
    assert footer["y"] + footer["height"] <= viewport["height"] + 1
    for selector in [MAP_FRAME, ".praes-panel", ".praes-heading"]:
        item = page.locator(selector).first.bounding_box()
        assert item["y"] >= 0 and item["y"] + item["height"] <= footer["y"] + 1, (name, selector)
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        '.praes-corner, .praes-panel .pf-label, .praes-panel .pf-stand, .praes-panel .pf-note, .praes-panel li')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 20, (name, sizes)
    assert page.locator(".praes-corner").inner_text().count("Beispieldaten") == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"praesentation-{name}.png"))


def click_map(page) -> None:
    box = page.locator(MAP_FRAME).first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_keys_work_after_a_click_in_the_map_and_every_slide_fits(live_app, browser_page, width, height):
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_app}/praesentation?folie=1&format={width}")
    wait_for_map(page)
    wait_for_slide(page, "Landkreis Alzey-Worms – Überblick", 1)
    check_slide(page, f"{width}-1")

    click_map(page)  # the map frame takes the focus …
    page.keyboard.press("ArrowRight")  # … and the slide still steps
    wait_for_slide(page, "Stadt Alzey", 2)
    check_slide(page, f"{width}-2")
    click_map(page)
    page.keyboard.press("PageDown")  # a presenter clicker
    wait_for_slide(page, "VG Alzey-Land", 3)
    assert "format=" + str(width) in page.url

    page.goto(f"{live_app}/praesentation?folie=10&format={width}")
    wait_for_map(page)
    wait_for_slide(page, "Ab Sommer 2024", 10)
    check_slide(page, f"{width}-10")
    assert page.locator(".praes-panel", has_text="Veränderung").count() == 1
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
    head = page.locator(".kita-export-head")
    assert head.inner_text().count("Beispieldaten") == 1
    assert page.locator(".area-label", has_text="VG Monsheim").count() == 1
    # the title sits above the map: it covers no area
    map_box = page.locator(".folium-map").bounding_box()
    head_box = head.bounding_box()
    assert head_box["y"] + head_box["height"] <= map_box["y"] + 1
    assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []

    # from an area slide: the file opens on that area, the neighbours' names hidden
    area = tmp_path / "gebiet.html"
    area.write_text(export.interactive_html(data, large=True, focus="073315005"), encoding="utf-8")
    page.goto(area.as_uri())
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=40_000)
    page.wait_for_timeout(500)
    visible = page.evaluate("() => [...document.querySelectorAll('.area-label')]"
                            ".filter(l => getComputedStyle(l).visibility !== 'hidden').map(l => l.dataset.gebiet)")
    assert visible == ["073315005"]
    name = page.evaluate(FIND_MAP)
    zoom = page.evaluate(f"() => window['{name}'].getZoom()")
    page.goto(path.as_uri())
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=40_000)
    page.wait_for_timeout(500)
    assert zoom > page.evaluate(f"() => window['{page.evaluate(FIND_MAP)}'].getZoom()")  # closer than the district


def test_export_expander_is_reachable_at_1280_by_720(live_app, browser_page):
    """The source line at the bottom takes its own place: it never covers the Export expander or its buttons
    (a click there would land on the footer)."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_app}/praesentation?folie=3&format=1280")
    wait_for_map(page)
    summary = page.locator("summary", has_text="Export")
    summary.click(timeout=10_000)  # Playwright refuses a click another element would receive
    last = page.get_by_role("button", name="Steckbriefe aller Gebiete erzeugen (PDF)")
    last.wait_for(state="visible")
    # Scrolled to the end (again on every check: the expander grows while it opens), the button lies above the
    # footer and a click at its centre reaches it; with a footer that covers it this times out.
    reached = page.wait_for_function(
        "() => { const b = [...document.querySelectorAll('button')].find(e => e.innerText.includes('Steckbriefe aller'));"
        " const f = document.querySelector('.praes-corner'); if (!b || !f) return false;"
        " for (let e = b.parentElement; e; e = e.parentElement) {"
        "   if (e.scrollHeight > e.clientHeight && getComputedStyle(e).overflowY !== 'visible') e.scrollTop = e.scrollHeight; }"
        " const r = b.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
        " return r.bottom <= f.getBoundingClientRect().top && hit !== null && b.contains(hit); }", timeout=15_000)
    assert reached.json_value()
