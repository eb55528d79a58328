"""The production shape, started as deploy.local starts it: nginx in front (workers as www-data when run as
root), two app processes started with the systemd unit's command, one PostgreSQL database. Chromium goes
through nginx: start page with the map, a search, a coordinator's login and an import of a new Kita; the new
Kita is then found on each app process (the one nginx chose and the other). Then the process nginx chose is
killed: through nginx the page still works, served by the other. Afterwards everything is stopped.

Needs nginx (Debian package; .ci/run installs it), Chromium and PostgreSQL: skipped without them locally, never
under CI=true."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import urllib.parse
import warnings
from pathlib import Path

import pytest

from datastore.auth import Accounts
from datastore.store import Store
from deploy import local
from geo import dataset
from tests.browser_support import ARTIFACTS, external_requests, log_in_on_daten, wait_for_map
from tests.postgres_support import fresh_database  # noqa: F401 (fixture)
from tests.test_browser_daten import choose_section, wait_idle

pytestmark = pytest.mark.browser

PASSWORD = "ein langes Passwort 1"
NEW_KITA = "Kita Sonnenschein am Proxy"
IMPORT = (
    "Name der Einrichtung;Träger;Straße;PLZ;Ort;Anzahl Kinder;Telefon;E-Mail\n"
    f"{NEW_KITA};Gemeinde Flonheim;Hauptstr. 1;55237;Flonheim;45;06734 1234;kita@flonheim.example\n"
)


def _require_nginx() -> None:
    if not Path(shutil.which("nginx") or "/usr/sbin/nginx").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx fehlt unter CI=true (.ci/run installiert es)")
        pytest.skip("nginx fehlt (apt-get install nginx)")


def connections(port: int) -> int:
    """Established TCP connections to 127.0.0.1:port (from /proc/net/tcp): nginx's to the app process it chose
    (the open page's websocket)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "01" and int(local.split(":")[1], 16) == port:
            count += 1
    return count


def find(page, text: str) -> None:
    """The parents' search on the start page: a Kita or place by name, its card's heading."""
    box = page.get_by_label("Ort, Ortsteil, Kita oder PLZ")
    box.fill(text)
    box.press("Enter")


def test_nginx_two_processes_postgres_browser_login_write_seen_by_the_other(_browser, fresh_database, tmp_path):
    _require_nginx()
    url = fresh_database()
    store = Store(url, gemeinden=dataset.load_reference().gemeinden)
    Accounts(store.engine).add("Anna Koordination", PASSWORD)
    store.close()

    user = None  # deploy.local's choice: www-data when run as root
    try:
        local.check_static_folders()
    except local.DeployError as exc:
        if os.geteuid() != 0:
            raise
        # e.g. a CI checkout below /root (mode 700): www-data may not enter it. The check itself is tested in
        # test_deploy.py; here the workers run as root so the shape can still be driven.
        warnings.warn(f"nginx-Arbeitsprozesse laufen im Test als root: {exc}")
        user = "root"

    with local.stack(2, database_url=url, nginx_user=user) as (proxy, apps, _):
        assert len(apps) == 2 and len({a.url for a in apps}) == 2
        context = _browser.new_context(viewport={"width": 1400, "height": 900}, locale="de-DE")
        page = context.new_page()
        errors, responses = [], {}
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: responses.setdefault(urllib.parse.urlsplit(r.url).path, r))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        try:
            # start page through nginx: the map is drawn, its files came from nginx's disk (expires 1y)
            page.goto(proxy)
            wait_for_map(page)
            static = [r for path, r in responses.items() if path.startswith("/static/js/")]
            assert static and all("expires" in r.all_headers() for r in static)
            leaflet = [r for path, r in responses.items() if path.startswith("/app/static/vendor/")]
            assert leaflet and all(r.status in (200, 304) for r in leaflet)

            find(page, "Alzey-Dautenheim")
            page.get_by_role("heading", name="Dautenheim, Stadt Alzey").wait_for(timeout=60_000)

            # the coordinator logs in (through nginx, on the process it chose) and imports a new Kita
            log_in_on_daten(page, page.url.split("?")[0], "Anna Koordination", PASSWORD)
            choose_section(page, "Import")
            file = tmp_path / "neue kita.csv"
            file.write_text(IMPORT, encoding="utf-8")
            page.locator("input[type=file]").set_input_files(str(file))
            page.get_by_text("1 neu, 0 geändert, 0 unverändert").wait_for(timeout=60_000)
            wait_idle(page)
            page.get_by_role("button", name="Übernehmen").click()
            page.get_by_text("Import übernommen").wait_for(timeout=60_000)

            # which process nginx chose for this browser: the one holding its websocket
            ports = {app.pid: int(app.url.rsplit(":", 1)[1]) for app in apps}
            chosen = [app for app in apps if connections(ports[app.pid])]
            assert len(chosen) == 1, {app.url: connections(ports[app.pid]) for app in apps}

            # both app processes, asked directly, find it: the write on one is seen by the other
            for app in apps:
                other = context.new_page()
                other.on("pageerror", lambda e: errors.append(str(e)))
                other.on("request", lambda r: requests.append(r.url))
                other.goto(app.url)
                wait_for_map(other)
                find(other, NEW_KITA)
                other.get_by_role("heading", name=NEW_KITA).wait_for(timeout=60_000)
                other.close()

            # the chosen process dies (as a crash would; systemd restarts it in production): nginx sends the
            # browser to the other one, which has the same data
            os.kill(chosen[0].pid, signal.SIGKILL)
            chosen[0].process.wait(timeout=10)
            again = context.new_page()
            again.on("pageerror", lambda e: errors.append(str(e)))
            again.goto(proxy)
            wait_for_map(again)
            find(again, NEW_KITA)
            again.get_by_role("heading", name=NEW_KITA).wait_for(timeout=60_000)
            survivor = next(app for app in apps if app is not chosen[0])
            assert connections(ports[survivor.pid]) >= 1
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "deploy-nginx.png"), full_page=True)
            raise
        finally:
            context.close()
        assert errors == []
        assert external_requests(requests) == []
        store = Store(url)
        log = store.change_log(tabelle="kitas")
        assert log.iloc[0]["wer"] == "Anna Koordination" and NEW_KITA in log.iloc[0]["neu"]
        store.close()
        processes = [a.process for a in apps]

    # all stopped: the app processes have ended, nothing answers at nginx's port
    assert all(p.poll() is not None for p in processes)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", urllib.parse.urlsplit(proxy).port), timeout=2).close()
