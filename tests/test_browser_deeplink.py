"""Every page opened as the first request after a server start runs with the shared setup: sidebar menu
with translated labels, language switch, no file-name menu, no CDN. Streamlit decides once per process
whether pages/ is used, so each page gets its own fresh server."""

import pytest

from tests.browser_support import external_requests, running_app, wait_for_map

pytestmark = pytest.mark.browser

# path → a heading the page shows
PAGES = {
    "/ueber": "Über diese Karte",
    "/versorgung": "Versorgung mit Kita-Sozialarbeit",
    "/planung": "Planung neuer Stellen",
    "/daten": "Daten pflegen",  # the login form follows the title
    "/praesentation": None,  # the slide page hides the sidebar; checked by its map and title
    "/?gebiet=073315006": "VG Wörrstadt",
}
MENU = ["Karte", "Versorgung", "Präsentation", "Über", "Anmelden (Koordination)"]  # no login pages for the public


@pytest.mark.parametrize("path", list(PAGES))
def test_first_request_after_start_is_a_deep_link(path, tmp_path, browser_page):
    page = browser_page
    with running_app(tmp_path / "app.sqlite") as url:
        page.goto(f"{url}{path}")
        heading = PAGES[path]
        if heading:
            page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
            sidebar = page.locator("section[data-testid=stSidebar]")
            sidebar.get_by_role("link", name="Karte").wait_for(timeout=15_000)
            links = [a.inner_text().strip() for a in sidebar.locator("a").all()]
            assert [label for label in MENU if any(label in link for link in links)] == MENU
            assert not any(link.strip() in ("Planung", "Daten") for link in links)
            assert not any(name in sidebar.inner_text().lower() for name in ("dashboard", "ueber", "praesentation"))
        if path in ("/praesentation", "/?gebiet=073315006"):
            wait_for_map(page)
        assert page.get_by_text("Page not found").count() == 0
        assert external_requests(page.requests) == []


def choose_language(page, name: str) -> None:
    """Pick a language in the switch at the top of the page (the sidebar may be closed, as on a phone)."""
    page.locator(".st-key-sprachwahl [data-testid=stSelectbox]").click()
    page.get_by_role("option", name=name).click()


def test_language_survives_page_change_and_reload(live_app, browser_page):
    page = browser_page
    page.goto(f"{live_app}/ueber")
    sidebar = page.locator("section[data-testid=stSidebar]")
    sidebar.get_by_role("link", name="Karte").wait_for(timeout=60_000)
    choose_language(page, "English")
    sidebar.get_by_role("link", name="Map").wait_for(timeout=60_000)
    assert "lang=en" in page.url
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=60_000)
    sidebar.get_by_role("link", name="Coverage").click()
    page.wait_for_url("**/versorgung**", timeout=60_000)
    sidebar.get_by_role("link", name="Map").wait_for(timeout=60_000)
    assert "lang=en" in page.url
    page.reload()
    page.locator("section[data-testid=stSidebar]").get_by_role("link", name="Map").wait_for(timeout=60_000)
    assert "lang=en" in page.url
    choose_language(page, "Deutsch")
    sidebar.get_by_role("link", name="Karte").wait_for(timeout=60_000)
    page.wait_for_function("() => document.documentElement.lang === 'de'", timeout=60_000)
    assert "lang=" not in page.url
