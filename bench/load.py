"""Load test of the parents' map: N sessions at once for a bounded time, searching and clicking (not a test).

Run from the repository root::

    python -m bench.load [--sessions 50] [--seconds 60]                 # starts one app process itself
    python -m bench.load --url http://127.0.0.1:8080 --pid 1234 --pid 1235  # an app behind nginx (deploy/)

Each session behaves like a browser tab, speaking Streamlit's own websocket protocol (the protobuf
messages the frontend sends and receives): it loads the page and the map's static files, then until the
time is up it clicks an area, searches a Gemeinde by name and clicks a Kita, with 1–3 s think time between.
A click sends the component value the map posts, as a rerun of the map's fragment (card and map), as the
browser does. It reports errors (failed connections, exceptions shown by the app, missing cards, timeouts),
p50/p95 of "first map" (connect → map component and static files received, run finished) and of "click →
card" (→ heading of the clicked area or Kita), and the server processes' RSS and CPU seconds. Exit code 1 when
any error was counted. Loopback only; sessions, time and each wait are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import re
import shutil
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench.support import BROWSER_ACCEPT_ENCODING, ROOT, cpu_seconds, percentile, rss_mb, running
from geo.layers import area_label

MAX_SESSIONS, MAX_SECONDS = 200, 600
WAIT_S = 60  # longest wait for one answer before it counts as an error
COMPONENT_PATH = "/component/streamlit_folium.st_folium/index.html"
BROWSER_CONNECTIONS = 6


def plain(markdown: str) -> str:
    """What a reader sees of a heading: without Markdown backslash escapes, word joiners and bidi isolates
    (kita.text.md and the card add them to data texts)."""
    return re.sub(r"\\(.)", r"\1", re.sub("[\u2060\u2066-\u2069]", "", markdown))


@dataclass
class Results:
    first_map: list[float] = field(default_factory=list)
    first_run: list[float] = field(default_factory=list)  # of first_map: connect → the page's run finished
    click_card: list[float] = field(default_factory=list)
    searches: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Place:
    areas: list[tuple[str, str]]  # (gebiet_rs, heading)
    kitas: list[tuple[str, str]]  # (id, name)
    gemeinden: list[str]
    files: list[str] = field(default_factory=list)  # paths a fresh browser tab loads over HTTP (browser_files)


class Session:
    """One browser-like session on the app's websocket."""

    def __init__(self, base: str, results: Results, rng: random.Random, source_ip: str = ""):
        self.base = base
        self.source_ip = source_ip
        self.results = results
        self.rng = rng
        self.query = ""
        self.widgets: dict[str, BackMsg] = {}
        self.map_id = ""
        self.map_fragment = ""  # the fragment the map is drawn in (card and map): a click reruns only that
        self.search_id = ""
        self.ws = None
        self.links: list[str] = []

    async def rerun(self, fragment_id: str = "") -> None:
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.fragment_id = fragment_id
        for state in self.widgets.values():
            msg.rerun_script.widget_states.widgets.append(state)
        await self.ws.send(msg.SerializeToString())

    async def until_finished(self, heading: str | None = None) -> tuple[bool, list[str]]:
        """Read messages until a run finishes with nothing queued (and ``heading`` seen, if given)."""
        headings: list[str] = []
        deadline = time.monotonic() + WAIT_S
        running_runs = 0
        while time.monotonic() < deadline:
            payload = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                running_runs += 1
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "component_instance" and "st_folium" in element.component_instance.component_name:
                    self.map_id = element.component_instance.id
                    self.map_fragment = msg.delta.fragment_id
                    args = json.loads(element.component_instance.json_args or "{}")
                    self.links = list(args.get("js_links", [])) + list(args.get("css_links", []))
                elif which == "text_input" and not self.search_id:
                    self.search_id = element.text_input.id
                elif which == "heading":
                    headings.append(plain(element.heading.body))
                elif which == "exception":
                    self.results.errors.append(f"Ausnahme in der App: {element.exception.message[:120]}")
            elif kind == "script_finished":
                running_runs -= 1
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    self.results.errors.append("Skript mit Fehler beendet")
                    return False, headings
                # A run stopped for st.rerun() is followed by the next one: wait for that one as well.
                if running_runs <= 0 and status != ForwardMsg.FINISHED_EARLY_FOR_RERUN and (
                    heading is None or plain(heading) in headings
                ):
                    return True, headings
        return False, headings

    async def fetch_static(self, files: list[str]) -> None:
        """What a browser loads over HTTP for the first view: ``files`` (recorded from a real browser, see
        :func:`browser_files`), else the page, the component frame and the map's Leaflet files. Keep-alive
        connections from the session's own source address, like a browser tab."""
        if files:
            paths = list(files)
        else:
            component = f"{self.base}{COMPONENT_PATH}"
            paths = ["/", COMPONENT_PATH] + [
                urllib.parse.urlsplit(urllib.parse.urljoin(component, link)).path for link in self.links]
        # Six connections at once, as browsers open per host.
        await asyncio.gather(*(asyncio.to_thread(self._get_all, paths[i::BROWSER_CONNECTIONS])
                               for i in range(min(BROWSER_CONNECTIONS, len(paths)))))

    def _get_all(self, paths: list[str]) -> None:
        parts = urllib.parse.urlsplit(self.base)
        source = (self.source_ip, 0) if self.source_ip else None
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT_S, source_address=source)
        try:
            for path in paths:
                connection.request("GET", path, headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    raise OSError(f"HTTP {response.status} für {path[:80]}")
        finally:
            connection.close()

    async def run(self, places: Place, until: float) -> None:
        ws_url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        start = time.monotonic()
        doing = "Verbindung"
        try:
            # A source address of its own per simulated household, so a proxy's ip_hash spreads the sessions.
            extra = {"local_addr": (self.source_ip, 0)} if self.source_ip else {}
            # No client pings: a browser sends none, and a busy server would fail them while still serving.
            async with connect(ws_url, subprotocols=["streamlit"], max_size=50_000_000, open_timeout=WAIT_S,
                               ping_interval=None, **extra) as ws:
                self.ws = ws
                doing = "erste Karte"
                await self.rerun()
                ok, _ = await self.until_finished()
                if not ok or not self.map_id:
                    self.results.errors.append("Karte nicht erhalten")
                    return
                self.results.first_run.append(time.monotonic() - start)
                await self.fetch_static(places.files)
                self.results.first_map.append(time.monotonic() - start)
                step = 0
                while time.monotonic() < until:
                    await asyncio.sleep(self.rng.uniform(1, 3))
                    if time.monotonic() >= until:
                        break
                    action = step % 3
                    step += 1
                    if action == 0:
                        key, heading = self.rng.choice(places.areas)
                        doing = f"Gebietsklick {key}"
                        await self.click({"typ": "gebiet", "gebiet_rs": key}, heading)
                    elif action == 1:
                        query = self.rng.choice(places.gemeinden)
                        doing = f"Suche {query}"
                        await self.search(query)
                    else:
                        kita_id, name = self.rng.choice(places.kitas)
                        doing = f"Kita-Klick {kita_id}"
                        await self.click({"typ": "kita", "id": kita_id}, name)
        except (OSError, asyncio.TimeoutError, Exception) as exc:  # every failure counts, none stops the run
            self.results.errors.append(f"{doing}: {type(exc).__name__} {str(exc)[:120]}".rstrip())

    async def click(self, properties: dict, heading: str) -> None:
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = self.map_id
        state.json_value = json.dumps({"last_active_drawing": {"type": "Feature", "properties": properties}})
        self.widgets[self.map_id] = state
        start = time.monotonic()
        await self.rerun(self.map_fragment)  # as the browser does for a widget inside a fragment
        ok, _ = await self.until_finished(heading)
        if ok:
            self.results.click_card.append(time.monotonic() - start)
        else:
            self.results.errors.append(f"keine Karte für „{heading}“")

    async def search(self, text: str) -> None:
        if not self.search_id:
            return
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = self.search_id
        state.string_value = text
        self.widgets[self.search_id] = state
        start = time.monotonic()
        await self.rerun()
        ok, _ = await self.until_finished()
        if ok:
            self.results.searches.append(time.monotonic() - start)
        else:
            self.results.errors.append(f"Suche „{text}“ ohne Ergebnis")


def browser_files(url: str) -> list[str]:
    """The paths (with query) a fresh Chromium tab requests over HTTP until the start page's map is drawn:
    Streamlit's frontend (~115 files), the map component and Leaflet. Recorded once per run, so each
    simulated session loads what a first-time visitor's browser loads, without running a browser each."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium fehlt (apt-get install chromium) – oder --no-browser-files")
    from playwright.sync_api import sync_playwright

    from bench.bench_map import Session as BrowserSession
    from bench.support import CHROMIUM_ARGS

    origin = urllib.parse.urlsplit(url)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        tab = BrowserSession(browser, url)
        seen: list[str] = []
        tab.page.on("request", lambda r: seen.append(r.url) if r.method == "GET" else None)
        tab.open()
        tab.settle()
        tab.close()
        browser.close()
    paths = []
    for address in seen:
        parts = urllib.parse.urlsplit(address)
        if parts.scheme in ("http", "https") and parts.netloc == origin.netloc and "/_stcore/stream" not in parts.path:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def places_for(data_dir: Path) -> Place:
    areas = gpd.read_file(data_dir / "boundaries" / "areas.geojson")
    gemeinden = gpd.read_file(data_dir / "boundaries" / "gemeinden.geojson")
    kitas = pd.read_csv(data_dir / "seed" / "kitas.csv", dtype=str, keep_default_na=False)
    names = gemeinden["GEN"].value_counts()
    return Place(
        areas=[(rs, area_label(gen, bez)) for rs, gen, bez in zip(areas["RS"], areas["GEN"], areas["BEZ"])],
        kitas=list(zip(kitas["id"], kitas["name"])),
        gemeinden=sorted(n for n, count in names.items() if count == 1),  # a unique name gives one hit
    )


async def hold(
    base: str, sessions: int, seconds: float, ramp: float, places: Place, seed: int, source_ips: int = 0
) -> Results:
    results = Results()
    # Threads for the HTTP downloads: enough that no session waits for another's (they mostly wait on sockets).
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=min(4 * BROWSER_CONNECTIONS * sessions, 256)))
    until = time.monotonic() + seconds
    tasks = []
    for i in range(sessions):
        source_ip = f"127.0.{i % source_ips + 1}.1" if source_ips else ""  # ip_hash looks at 3 octets
        session = Session(base, results, random.Random(seed + i), source_ip)
        tasks.append(asyncio.create_task(session.run(places, until)))
        await asyncio.sleep(ramp / max(sessions, 1))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 2 * WAIT_S + ramp)
    return results


async def warm_up(url: str, places: Place) -> None:
    """One view of the start page, not counted: the map is built once per process and data version (a
    server that has run for a while has it); a failure here shows in the run itself."""
    results = Results()
    await Session(url, results, random.Random(0)).run(places, time.monotonic())


def _check_loopback(url: str) -> None:
    host = urllib.parse.urlparse(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"Nur Loopback erlaubt, nicht {host}.")


def report(results: Results, pids: list[int], cpu_before: dict[int, float], wall: float, sessions: int,
           client: float) -> None:
    """``client``: CPU seconds of this script during the run (the sessions share the cores with the server)."""
    print(f"\nSitzungen: {sessions}, Dauer {wall:.0f} s, Fehler: {len(results.errors)}")
    for error in sorted(set(results.errors))[:10]:
        print(f"  - {error} ({results.errors.count(error)}×)")
    for label, values in (("erste Karte", results.first_map), ("  davon Seitenlauf", results.first_run),
                          ("Klick → Karte", results.click_card),
                          ("Suche → Ergebnis", results.searches)):
        print(f"{label:<18} n={len(values):<5} p50 {percentile(values, .5):6.2f} s   p95 {percentile(values, .95):6.2f} s")
    for pid in pids:
        cpu = cpu_seconds(pid) - cpu_before[pid]
        print(f"Server {pid}: RSS {rss_mb(pid):.0f} MB, CPU {cpu:.1f} s ({cpu / wall:.2f} Kerne im Mittel)")
    print(f"Lastskript selbst: CPU {client:.1f} s ({client / wall:.2f} Kerne im Mittel); "
          f"Load average der Maschine (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=5, help="Sekunden, über die die Sitzungen starten")
    parser.add_argument("--url", help="laufende App (nur 127.0.0.1), sonst startet das Skript selbst eine")
    parser.add_argument("--pid", type=int, action="append", default=[], help="PID eines App-Prozesses (für RSS/CPU)")
    parser.add_argument("--data", type=Path, help="Datenordner (KITA_DATA_DIR) der App")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", action="append", default=[],
                        help="App-Prozess hinter dem Proxy (http://127.0.0.1:PORT), vorher einmal aufrufen (Karte gebaut)")
    parser.add_argument("--no-browser-files", action="store_true",
                        help="nur Seite, Kartenrahmen und Leaflet laden statt der Dateien eines frischen Browser-Tabs")
    parser.add_argument("--source-ips", type=int, default=0,
                        help="Sitzungen auf so viele Absender 127.0.N.1 verteilen (für ip_hash eines Proxys)")
    args = parser.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.seconds <= MAX_SECONDS or not 0 <= args.source_ips <= 250:
        raise SystemExit(f"1–{MAX_SESSIONS} Sitzungen und 1–{MAX_SECONDS} s.")
    data_dir = args.data or ROOT / "data"
    places = places_for(data_dir)

    def go(url: str, pids: list[int]) -> None:
        for address in [url] + args.warm:
            _check_loopback(address)
            asyncio.run(warm_up(address.rstrip("/"), places))
        if not args.no_browser_files:
            places.files = browser_files(url)
            print(f"Je Sitzung {len(places.files)} HTTP-Abrufe wie ein frischer Browser-Tab (einmal mit Chromium "
                  "aufgezeichnet)", flush=True)
        cpu_before = {pid: cpu_seconds(pid) for pid in pids}
        start, client = time.monotonic(), time.process_time()
        results = asyncio.run(hold(url, args.sessions, args.seconds, args.ramp, places, args.seed, args.source_ips))
        report(results, pids, cpu_before, time.monotonic() - start, args.sessions, time.process_time() - client)
        if results.errors:  # reported above; a caller (deploy.local, a script) must see the failure
            raise SystemExit(1)

    if args.url:
        _check_loopback(args.url)
        go(args.url.rstrip("/"), args.pid)
    else:
        env = {"KITA_DATA_DIR": str(args.data)} if args.data else {}
        with running("dashboard.py", env) as app:
            go(app.url, [app.pid])


if __name__ == "__main__":
    main()
