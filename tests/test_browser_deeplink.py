"""A link to a page, opened first after a server start, runs through dashboard.py (navigation,
sidebar, self-hosted assets) — it did not while the page files lived in a folder named pages/."""

import pytest

from tests.browser_support import external_requests, wait_for_map

pytestmark = pytest.mark.browser


def test_first_request_is_a_deep_link(live_app, browser_page):
    page = browser_page
    page.goto(f"{live_app}/ueber")
    page.get_by_role("heading", name="Über diese Karte").wait_for(timeout=60_000)
    sidebar = page.locator("section[data-testid=stSidebar]")
    sidebar.get_by_text("Sprache").wait_for(timeout=15_000)
    assert "dashboard" not in sidebar.inner_text().lower()
    page.goto(f"{live_app}/versorgung")
    page.get_by_role("heading", name="Versorgung mit Kita-Sozialarbeit").wait_for(timeout=60_000)
    page.goto(f"{live_app}/?gebiet=073315006")
    wait_for_map(page)
    page.get_by_role("heading", name="VG Wörrstadt").wait_for(timeout=15_000)
    assert page.get_by_text("Page not found").count() == 0
    assert external_requests(page.requests) == []
