"""Accessibility in a real browser (the shared app server): axe-core WCAG 2.1 AA on every page in German
and Arabic (main document and map frame), right-to-left Arabic with a left-to-right map, "Mein Standort"."""

import pytest

from geo import maps
from kita.coverage import CLASSES
from tests.axe_support import axe_violations
from tests.browser_support import MAP_FRAME, idle, wait_for_map

pytestmark = pytest.mark.browser

PAGES = ["/?gebiet=073315003", "/versorgung", "/planung", "/praesentation", "/daten", "/ueber"]


def open_page(page, url: str, path: str, lang: str) -> None:
    joiner = "&" if "?" in path else "?"
    page.goto(f"{url}{path}{joiner}lang={lang}" if lang != "de" else f"{url}{path}")
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'", timeout=60_000)
    page.locator("h1").first.wait_for(timeout=60_000)
    idle(page)


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(live_app, browser_page, path, lang):
    page = browser_page
    open_page(page, live_app, path, lang)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    levels = page.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
                           ".filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))")
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert (levels[:1], jumps) == ([1], []), f"heading levels {levels}"
    if path.startswith("/?") or path in ("/praesentation", "/versorgung", "/planung"):
        page.wait_for_selector(MAP_FRAME, state="attached", timeout=60_000)
    for n, element in enumerate(page.query_selector_all(MAP_FRAME)):
        frame = element.content_frame()
        frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
        violations = axe_violations(frame)
        assert not violations, f"map frame {n + 1}:\n" + describe(violations)


def test_arabic_page_is_right_to_left_and_the_map_left_to_right(live_app, browser_page):
    page = browser_page
    open_page(page, live_app, "/?gebiet=073315003", "ar")
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').dir") == "rtl"
    frame = wait_for_map(page)
    assert frame.evaluate("() => getComputedStyle(document.body).direction") == "ltr"
    # Every line of the title and the intro ends at the right edge of its block (text flows right to left).
    gaps = page.evaluate(
        "() => { const h = document.querySelector('[data-testid=stMain] h1'); const out = [];"
        " const intro = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stMarkdownContainer] p')]"
        "   .find(p => p.getClientRects().length && p.textContent.trim().length > 80);"
        " for (const block of [h, intro]) {"
        "   if (!block.textContent.trim() || !block.getClientRects().length) continue;"
        "   const r = document.createRange(); r.selectNodeContents(block.querySelector('[data-heading-text]') || block);"
        "   const right = block.getBoundingClientRect().right;"
        "   const lines = {}; for (const run of r.getClientRects()) {"  # bidi runs of one line share its top
        "     const top = Math.round(run.top); lines[top] = Math.max(lines[top] ?? -1e9, run.right); }"
        "   for (const end of Object.values(lines)) out.push(Math.round(right - end) > 3 ? block.textContent.slice(0, 40) + ' ' + (right - end) : 0); }"
        " return out; }"
    )
    assert gaps and not any(gaps), [g for g in gaps if g]


@pytest.mark.parametrize("lat,lon,expected", [
    (49.7466, 8.1157, "Alzey"),  # inside: the Gemeinde's card opens
    (49.8450, 7.8670, "Landkreis Bad Kreuznach"),  # outside: named district
])
def test_my_location_selects_the_gemeinde_or_names_the_district(live_app, browser_page, lat, lon, expected):
    page = browser_page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": lat, "longitude": lon})
    open_page(page, live_app, "/", "de")
    assert page.get_by_text("Ihr Standort liegt").count() == 0  # nothing asked before the click
    page.locator(".st-key-standort button").click()
    page.get_by_text("Ihr Standort liegt").first.wait_for(timeout=30_000)
    assert expected in page.get_by_text("Ihr Standort liegt").first.inner_text()
    if expected == "Alzey":
        page.get_by_role("heading", name="Alzey").first.wait_for(timeout=30_000)
        page.wait_for_function("() => location.search.includes('gemeinde=073310003')", timeout=15_000)


def focused(page) -> str:
    """What has the keyboard focus in the main document: tag, href or aria-label, text."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? [e.tagName, e.getAttribute('href') || '',"
        " e.getAttribute('aria-label') || '', (e.innerText || '').slice(0, 40)].join(' | ') : ''; }"
    )


def test_keyboard_only_from_search_to_a_contact_link(live_app, browser_page):
    page = browser_page
    open_page(page, live_app, "/", "de")
    # Tab from the top once the search field is there (else, on a busy machine, Tab can pass the page by and
    # go on into the map, whose areas and Kitas take more than 40 Tabs)
    page.get_by_label("Ort, Ortsteil, Kita oder PLZ").wait_for(timeout=60_000)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.getAttribute('aria-label')"
                         " === 'Ort, Ortsteil, Kita oder PLZ'"):
            break
    else:
        pytest.fail(f"search field not reached by Tab; focus on {focused(page)}")
    page.keyboard.type("Monsheim")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('gemeinde=')", timeout=30_000)
    idle(page)
    path = []
    for _ in range(60):  # on through the results to the card's first contact link (the seed's demo staff
        page.keyboard.press("Tab")  # have phone numbers of the never-assigned drama block and e-mail addresses)
        path.append(focused(page))
        if path[-1].startswith(("A | tel:", "A | mailto:")):
            break
    else:
        pytest.fail("no contact link reached by Tab:\n" + "\n".join(path))
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible


def test_map_areas_and_kitas_named_and_chosen_by_keyboard(live_app, browser_page):
    page = browser_page
    open_page(page, live_app, "/", "de")
    frame = wait_for_map(page)
    assert page.locator(MAP_FRAME).get_attribute("title") == "Karte der Versorgungsgebiete und Kitas"
    # The name says the coverage in words ("VG Monsheim: versorgt"): never by colour alone.
    area = frame.locator("path[role=button][aria-label^='VG Monsheim: ']")
    assert area.get_attribute("aria-label").split(": ", 1)[1] in {c.title("de") for c in CLASSES.values()}
    area.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('gebiet=073315003')", timeout=30_000)
    kita = frame.locator("path[role=button][aria-label^='Kita']").first
    name, status = kita.get_attribute("aria-label").rsplit(": ", 1)  # "Kita …: von Kita-Sozialarbeit betreut"
    assert status in {maps.kita_status(True), maps.kita_status(False)}
    kita.focus()
    page.keyboard.press(" ")
    page.wait_for_function("() => location.search.includes('kita=')", timeout=30_000)
    page.get_by_role("heading", name=name).first.wait_for(timeout=30_000)
