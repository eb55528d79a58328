"""The parents' answer in view on a phone (390×844), in German, English and Arabic: after every path that opens a
card – search (Enter and the search button), a tap on an area or a Kita, a pick from the list, a shared link,
Back/Forward – the card's heading lies fully below Streamlit's fixed header, the first contact follows on the
screen, and the keyboard focus is on the heading. Nothing scrolls by itself on load; outside PLZ and pasted
addresses get their answers; no English words of Streamlit's in another language; the server's HTML has the
app's title."""

import urllib.request

import pytest

from kita import i18n
from tests.browser_support import ARTIFACTS, click_latlng, idle, set_view, wait_for_map
from tests.test_browser_karte import quiet_point, wait_for_selection_drawn, watch_errors

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LANGUAGES = ["de", "en", "ar"]
# Scrolls of the page's scrolling block from the first script on: none may happen without a card opening.
RECORD_SCROLLS = """
window.kitaScrolls = [];
document.addEventListener('scroll', e => window.kitaScrolls.push(e.target.scrollTop ?? scrollY), true);
"""
# The card's heading below the header, the first contact link on the screen, the focus on the heading.
CARD_IN_VIEW = """(name) => {
  const heading = document.querySelector('.st-key-kontaktkarte h2');
  const header = document.querySelector('[data-testid=stHeader]');
  if (!heading || !header || !heading.innerText.includes(name)) return false;
  const h = heading.getBoundingClientRect(), top = header.getBoundingClientRect();
  const contact = document.querySelector('.st-key-kontaktkarte a[href^="tel:"], .st-key-kontaktkarte a[href^="mailto:"]');
  const c = contact && contact.getBoundingClientRect();
  return h.top >= top.bottom && h.bottom <= innerHeight && c && c.top > h.bottom && c.bottom <= innerHeight
         && document.activeElement === heading;
}"""


def url_in(base: str, lang: str, query: str = "") -> str:
    params = "&".join(p for p in (query, "" if lang == "de" else f"lang={lang}") if p)
    return f"{base}/?{params}" if params else base


def open_phone(page, url: str):
    page.add_init_script(RECORD_SCROLLS)
    page.set_viewport_size(PHONE)
    page.goto(url)
    frame = wait_for_map(page)
    idle(page)
    return frame


def card_in_view(page, name: str) -> None:
    page.wait_for_function(CARD_IN_VIEW, arg=name, timeout=30_000)


def search(page, lang: str, text: str, button: bool = False) -> None:
    box = page.get_by_label(i18n.text("search_label", lang))
    box.fill(text)
    if button:
        page.get_by_role("button", name=i18n.text("search_button", lang)).click()
    else:
        box.press("Enter")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_path_to_a_card_shows_its_heading_below_the_header(live_app, browser_page, reference, seed, lang):
    page = browser_page
    errors = watch_errors(page)
    frame = open_phone(page, url_in(live_app, lang))
    assert page.evaluate("() => window.kitaScrolls") == []  # nothing scrolled by itself on load
    language = page.locator(".st-key-sprachwahl")
    header = page.locator("[data-testid=stHeader]").bounding_box()
    assert language.bounding_box()["y"] >= header["y"] + header["height"]  # the language switch is tappable

    search(page, lang, "Flonheim")  # Enter
    card_in_view(page, "Flonheim")
    search(page, lang, "Alzey-Dautenheim", button=True)  # the visible button
    card_in_view(page, "Dautenheim")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-search-{lang}.png"))

    # A tap on an area after a search (the search answer above goes away), then on a Kita.
    monsheim = reference.areas.set_index("gebiet_rs").loc["073315003", "geometry"]
    lat, lon = quiet_point(monsheim, seed["kitas"])
    frame = wait_for_map(page)
    wait_for_selection_drawn(frame)  # the search's selection has zoomed the map to Alzey: back to Monsheim first
    set_view(frame, lat, lon, 11)
    click_latlng(page, frame, lat, lon)
    card_in_view(page, "VG Monsheim")
    kita = seed["kitas"][seed["kitas"]["gemeinde_rs"].str.startswith("073315003")].iloc[0]
    frame = wait_for_map(page)
    wait_for_selection_drawn(frame)
    set_view(frame, kita["lat"], kita["lon"], 15)
    click_latlng(page, frame, kita["lat"], kita["lon"])
    card_in_view(page, kita["name"])
    page.screenshot(path=str(ARTIFACTS / f"phone-kita-{lang}.png"))

    # Back and Forward.
    page.go_back()
    card_in_view(page, "VG Monsheim")
    page.go_forward()
    card_in_view(page, kita["name"])

    # A pick from the list of all places.
    page.locator(".st-key-ortsliste summary").click()
    page.locator(".st-key-liste_073315001001 button").click()  # Albig
    card_in_view(page, "Albig")
    assert errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_shared_link_opens_with_the_heading_in_view_and_the_focus_on_it(live_app, browser_page, lang):
    page = browser_page
    open_phone(page, url_in(live_app, lang, "gemeinde=073315003048"))
    card_in_view(page, "Monsheim")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_outside_plz_names_places_kreis_and_jugendamt_once(live_app, browser_page, lang):
    page = browser_page
    open_phone(page, url_in(live_app, lang))
    search(page, lang, "55270", button=True)
    answer = page.locator("[data-testid=stAlertContainer]").filter(has_text="55270")
    answer.first.wait_for(timeout=30_000)
    assert answer.count() == 1
    text = answer.inner_text()
    assert "Mainz-Bingen" in text and "Engelstadt" in text and "Jugendamt" in text
    assert page.locator(".st-key-kontaktkarte h2").count() == 0  # no card of ours
    page.screenshot(path=str(ARTIFACTS / f"phone-plz-{lang}.png"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pasted_address_and_over_long_paste_find_the_place(live_app, browser_page, lang):
    page = browser_page
    open_phone(page, url_in(live_app, lang))
    search(page, lang, "Familie Muster, Hauptstraße 12, 55234 Albig, Rheinland-Pfalz, Deutschland, " + "x" * 120)
    card_in_view(page, "Albig")
    assert page.get_by_text("55234 Albig").count() >= 1  # the note says what was searched
    search(page, lang, "Bermersheim")  # a shared stem: choose first, no card yet
    place = page.get_by_role("button", name="Bermersheim vor der Höhe · VG Alzey-Land")
    place.wait_for(timeout=30_000)
    # the choice comes without a card: the previous place's card goes once the run is drawn (polled, not sampled)
    page.wait_for_function("() => !document.querySelector('.st-key-kontaktkarte h2')", timeout=30_000)
    place.click()
    card_in_view(page, "Bermersheim vor der Höhe")


@pytest.mark.parametrize("lang", ["en", "ar", "uk", "tr"])
def test_no_english_words_of_streamlits_own_and_the_title_from_the_server(live_app, browser_page, lang):
    page = browser_page
    open_phone(page, url_in(live_app, lang, "gebiet=073315003"))
    box = page.get_by_label(i18n.text("search_label", lang))
    box.fill("Eich")  # Streamlit would now show "Press Enter to submit form"
    words = page.evaluate("() => document.body.innerText")
    for english in ("Press Enter", "Link to heading"):
        assert english not in words
    assert page.locator("[data-testid=InputInstructions]:visible").count() == 0
    assert page.locator("a[href^='#'] svg, [data-testid=stHeaderActionElements]").count() == 0  # no anchor links
    with urllib.request.urlopen(url_in(live_app, lang)) as answer:  # the HTML before any script runs
        html = answer.read().decode()
    assert f"<title>{i18n.text('app_title', lang)}</title>" in html and f'lang="{lang}"' in html
