"""Browser-test support: the app served by a real Streamlit process, driven by Debian's Chromium.

Chromium missing → the browser tests are skipped with a reason, except under CI=true, where a
missing browser is a failure (CI installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.leaflet import (  # noqa: F401 (for the tests)
    FIND_MAP,
    MAP_FRAME,
    click_latlng,
    point_on_page,
    set_view,
    wait_until_still,
)
from bench.support import CHROMIUM_ARGS
from bench.support import free_port as _free_port
from bench.support import wait_healthy as _wait_healthy
from deploy.processes import stop

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def _require_browser():
    chromium = shutil.which("chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        chromium = None
    if chromium is None:
        reason = "Chromium oder Playwright fehlt (apt-get install chromium; pip install -r requirements-dev.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser-Test unter CI=true nicht möglich: {reason}")
        pytest.skip(reason)
    return chromium


@contextlib.contextmanager
def running_app(database: Path, env: dict | None = None):
    """A fresh Streamlit process serving the app (dashboard.py, with the frontend files from memory) on a free port (basemap 'none'); yields its URL."""
    _require_browser()
    port = _free_port()
    env = {**os.environ, "KITA_DATABASE_URL": f"sqlite:///{database}", "KITA_BASEMAP": "none", **(env or {})}
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"  # kept for a look after a failure
    log = open(log_path, "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
        if process.poll() is not None:
            log.flush()
            pytest.fail(f"Streamlit ist während der Tests beendet worden (Code {process.returncode}):\n"
                        + log_path.read_text()[-3000:])
    finally:
        stop(process, timeout=10)
        log.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """Base URL of the app on a fresh database, basemap 'none': started once per test process and shared by
    the browser test modules, which only read (a start and the first page's cold caches cost about 4 CPU-s
    and 5 s; tests that write or need a freshly started server use ``running_app`` themselves)."""
    with running_app(tmp_path_factory.mktemp("live") / "app.sqlite") as url:
        yield url


@pytest.fixture(scope="session")
def _browser():
    chromium = _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, request):
    """A fresh page (1400×900) that records every request URL in ``page.requests``.

    A screenshot goes to test-artifacts/ when the test fails.
    """
    context = _browser.new_context(viewport={"width": 1400, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def idle(page) -> None:
    """Wait until Streamlit has finished the run and drawn it: no running indicator, no faded stale elements, no
    placeholder still waiting for its element (a heavy page like Versorgung draws for seconds after its run)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]') "
        "&& !document.querySelector('[data-stale=true]') "
        "&& !document.querySelector('[data-testid^=stSkeleton]')", timeout=60_000,
    )
    page.wait_for_timeout(300)


def log_in_on_daten(page, base_url: str, name: str, password: str,
                    shown: str = "Angemeldet: Anna Koordination") -> None:
    """The coordinator's login as a person does it: the Daten page by its address (it is not in the public
    menu), name and password in the form, until the sidebar says who is logged in."""
    page.goto(f"{base_url.rstrip('/')}/daten")
    page.get_by_role("heading", name="Anmeldung der Koordination").wait_for(timeout=60_000)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(shown).wait_for(timeout=60_000)


def wait_for_map(page, timeout: float = 60_000):
    """The map frame once Leaflet has drawn the area polygons and the map stands still (its fit on load is
    animated)."""
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=timeout)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=timeout)
    content = page.query_selector(MAP_FRAME).content_frame()
    wait_until_still(content, timeout=timeout)
    return content


def external_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if not u.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:"))]
