"""The login in headless Chromium against a freshly started server: the cookie is HttpOnly and SameSite=Strict,
a reload keeps the login, a websocket that presents only the session id (read from an upload URL, as in a proxy
log) gets no login, another browser gets none, logout ends it; and the app works under its own CSP."""

import pytest

from tests.browser_support import MAP_FRAME, idle, log_in_on_daten, wait_for_map
from tests.test_browser_daten import choose_section, coordinator_app  # noqa: F401 (a fixture)
from tests.test_parallel_login import Session, run_async

pytestmark = pytest.mark.browser

PASSWORD = "ein langes Passwort 1"
LOGGED_IN = "Angemeldet: Anna Koordination"


@pytest.fixture(scope="module")
def login_app(coordinator_app):
    return coordinator_app[0]


def log_in(page, url: str) -> None:
    page.goto(url)
    wait_for_map(page)  # the start page first: the app's navigation is registered on its first run
    log_in_on_daten(page, page.url.split("?")[0], "anna koordination", PASSWORD, shown=LOGGED_IN)


async def resume_session(url: str, session_id: str) -> tuple[list[str], list[str]]:
    """An attacker's websocket (no cookies) presenting a leaked session id; reruns the Daten page and returns
    the headings and texts the session then shows."""
    from websockets.asyncio.client import connect

    session = Session(url)
    async with connect(session.url, subprotocols=["streamlit", "kein-xsrf-token", session_id],
                       ping_interval=None, max_size=50_000_000) as ws:
        await session.run(ws)
    return session.headings, session.texts


def test_login_cookie_holds_and_a_leaked_session_id_is_no_login(login_app, browser_page, _browser, tmp_path):
    page = browser_page
    log_in(page, login_app)
    cookies = {c["name"]: c for c in page.context.cookies()}
    login = cookies["kita_anmeldung"]
    assert login["httpOnly"] and login["sameSite"] == "Strict" and not login["secure"]  # plain HTTP here
    assert cookies["kita_geraet"]["httpOnly"]
    assert "kita_anmeldung" not in page.evaluate("document.cookie")  # no script can read it
    assert "ticket" not in page.url

    page.reload()  # a reload (a new session) keeps the login
    page.get_by_text(LOGGED_IN).wait_for(timeout=60_000)

    # The session id leaks with an upload URL (PUT /_stcore/upload_file/<session id>/…)
    choose_section(page, "Import")
    upload = tmp_path / "kitas.csv"
    upload.write_text("Name;Ort\nKita A;Alzey\n", encoding="utf-8")
    with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url) as request:
        page.locator("input[type=file]").set_input_files(str(upload))
    session_id = request.value.url.split("/_stcore/upload_file/")[1].split("/")[0]
    assert len(session_id) >= 32

    headings, texts = run_async(resume_session(login_app, session_id))
    assert "Anmeldung der Koordination" in headings
    assert not [t for t in texts if "Anna Koordination" in t]

    # Another browser without the cookie: the login form
    other = _browser.new_context()
    try:
        stranger = other.new_page()
        stranger.goto(f"{login_app}/daten")
        stranger.get_by_role("heading", name="Anmeldung der Koordination").wait_for(timeout=60_000)
        assert not stranger.get_by_text(LOGGED_IN).count()
        # …also when it sends a copied login cookie value that is not valid
        other.add_cookies([{"name": "kita_anmeldung", "value": "geraten", "url": login_app}])
        stranger.reload()
        stranger.get_by_role("heading", name="Anmeldung der Koordination").wait_for(timeout=60_000)
    finally:
        other.close()

    # Logout ends the login: the cookie is gone, a reload shows the form
    page.reload()
    page.get_by_text(LOGGED_IN).wait_for(timeout=60_000)
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("heading", name="Anmeldung der Koordination").wait_for(timeout=60_000)
    idle(page)
    assert "kita_anmeldung" not in {c["name"] for c in page.context.cookies()}
    page.reload()
    page.get_by_role("heading", name="Anmeldung der Koordination").wait_for(timeout=60_000)


def test_app_works_under_its_content_security_policy(login_app, browser_page):
    page = browser_page
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(login_app)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    wait_for_map(page)
    page.goto(f"{login_app}/praesentation?folie=2")  # a slide with its map and the keyboard component
    wait_for_map(page)
    page.get_by_text("Stadt Alzey").first.wait_for(timeout=60_000)
    idle(page)
    page.goto(f"{login_app}/versorgung")  # charts (Vega), tables and two maps
    page.frame_locator(MAP_FRAME).first.locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=60_000)
    idle(page)
    assert violations == []
    metrics = page.request.get(f"{login_app}/_stcore/metrics")
    assert metrics.status == 404
