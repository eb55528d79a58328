"""The frontend's files – Streamlit's hashed bundles (``/static/…``), the map component's files
(``/component/…``) and the app's own Leaflet copies (``/app/static/…``) – answered from memory, compressed once.

Why: a fresh browser tab loads about 110 such files (3 MB). Streamlit answers each through Starlette's
``FileResponse`` (stat, open, reads and close each in a worker thread, behind five middleware layers), sends
its own bundles uncompressed (its gzip middleware leaves ``/static/`` out so as not to compress the same bytes
on every request) and gzips the others again on every request. For one app process that was about 0.25
CPU-seconds per new visitor – more than the page itself – and 3 MB to every phone.

Here the first GET of such a path goes to Streamlit as before (without ``Accept-Encoding``); a complete
``200`` answer that is not HTML is kept in memory with its headers (content type, ``ETag``, cache headers as
Streamlit set them) and gzip-compressed once; every later GET of the same path is answered from there in two
ASGI messages, gzip when the browser accepts it, ``304`` when it already has the file. These paths only ever
serve files that do not change while the process runs (hashed bundles, the installed component, Leaflet
copied from pinned packages at start-up), so nothing needs invalidating; the cache is bounded in entries and
bytes (past that, requests simply go to Streamlit). Range requests, HEAD and everything else (the page, the
websocket, health) pass through unchanged.

Hooked in through Streamlit's public ``st.App(middleware=…)`` (the ``app`` in ``dashboard.py``). Behind nginx (``deploy/``)
these requests never reach the app at all.

Why not a library: the same folders served by servestatic (WhiteNoise for ASGI; ``KITA_FRONTEND_FILES=servestatic``,
class :class:`ServeStaticFiles`) cost far more server CPU per start-page view. Measured on 2026-12-07 with
``python -m bench.bench_map --runs 3 --only app`` on the 2-core session machine, both in one bench run:
this module 0.06 s per view (0.02 s for the frontend's files), servestatic 0.23 s (0.19 s for the files) –
3.8 times, against the 10 % allowed for replacing it. (servestatic also sends the bundles uncompressed unless
``.gz`` copies are written next to them, into the installed packages.)
"""

from __future__ import annotations

import gzip
import os

PREFIXES = ("static/", "component/", "app/static/")
MAX_ENTRIES = 1000
MAX_BYTES = 64_000_000
# Content types worth compressing (woff2 fonts and PNGs are compressed already).
COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml")
# Headers of the stored answer that describe its body as sent then: set anew per answer.
_BODY_HEADERS = {b"content-length", b"content-encoding", b"transfer-encoding", b"vary"}


class _Entry:
    __slots__ = ("headers", "body", "gzipped", "etag", "size")

    def __init__(self, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.headers = [(n, v) for n, v in headers if n.lower() not in _BODY_HEADERS]
        content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
        self.body = body
        self.gzipped = None
        if content_type.startswith(COMPRESSIBLE) and len(body) > 1000:
            packed = gzip.compress(body, compresslevel=6, mtime=0)  # level 9: 0.25 % smaller, 1.3 × the time
            self.gzipped = packed if len(packed) < len(body) * 0.9 else None
        self.etag = next((v for n, v in headers if n.lower() == b"etag"), None)
        self.size = len(body) + len(self.gzipped or b"")


def _header(scope, name: bytes) -> bytes | None:
    return next((v for n, v in scope.get("headers", []) if n == name), None)


def accepts_gzip(value: bytes | None) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (``gzip``, ``gzip;q=0.5``, ``*``; not ``gzip;q=0``)."""
    for part in (value or b"").lower().split(b","):
        coding, _, params = part.partition(b";")
        if coding.strip() in (b"gzip", b"*"):
            quality = params.replace(b" ", b"").removeprefix(b"q=")
            try:
                return float(quality or b"1") > 0
            except ValueError:
                return False
    return False


class FrontendFiles:
    """ASGI middleware: keeps the answers to GETs of the frontend's file paths and replays them."""

    def __init__(self, app, prefixes: tuple[str, ...] = PREFIXES) -> None:
        self.app = app
        self.prefixes = prefixes
        self.entries: dict[str, _Entry] = {}
        self.bytes = 0
        self.base: str | None = None

    def _key(self, scope) -> str | None:
        if self.base is None:  # read at the first request: Streamlit has loaded its config by then
            from streamlit import config

            base = (config.get_option("server.baseUrlPath") or "").strip("/")
            self.base = f"/{base}/" if base else "/"
        path = scope.get("path", "")
        root_path = scope.get("root_path", "")
        if root_path and path.startswith(root_path + "/"):
            path = path[len(root_path):]
        if not path.startswith(self.base) or "//" in path or ".." in path:
            return None
        rest = path[len(self.base):]
        return path if rest.startswith(self.prefixes) else None

    async def __call__(self, scope, receive, send) -> None:
        key = None
        if scope["type"] == "http" and scope.get("method") == "GET" and _header(scope, b"range") is None:
            key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.entries.get(key)
        if entry is None:
            entry = await self._fetch(key, scope, receive, send)
            if entry is None:
                return  # answered by Streamlit as usual
        await self._answer(entry, scope, send)

    async def _fetch(self, key: str, scope, receive, send) -> _Entry | None:
        """Ask Streamlit (uncompressed); keep a complete, cacheable answer, else pass its messages on."""
        plain = dict(scope, headers=[(n, v) for n, v in scope.get("headers", []) if n != b"accept-encoding"])
        messages: list[dict] = []

        async def collect(message) -> None:
            messages.append(message)

        await self.app(plain, receive, collect)
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        complete = bool(messages) and messages[-1]["type"] == "http.response.body" and not messages[-1].get(
            "more_body", False)
        headers = [(bytes(n).lower(), bytes(v)) for n, v in (start or {}).get("headers", [])]
        content_type = next((v for n, v in headers if n == b"content-type"), b"")
        if (start and start["status"] == 200 and complete and not content_type.startswith(b"text/html")
                and not any(n == b"content-encoding" for n, _ in headers)
                and len(self.entries) < MAX_ENTRIES and self.bytes + len(body) < MAX_BYTES):
            entry = _Entry(headers, body)
            self.entries[key] = entry
            self.bytes += entry.size
            return entry
        # Not kept (an error, the page's HTML, a full cache): Streamlit's plain answer, as it gave it.
        for message in messages:
            await send(message)
        return None

    async def _answer(self, entry: _Entry, scope, send) -> None:
        if entry.etag is not None and entry.etag in (_header(scope, b"if-none-match") or b""):
            headers = [(n, v) for n, v in entry.headers if n in (b"etag", b"cache-control", b"last-modified")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = list(entry.headers)
        body = entry.body
        if entry.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if accepts_gzip(_header(scope, b"accept-encoding")):
                body = entry.gzipped
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class ServeStaticFiles:
    """For the comparison in the module's docstring (``KITA_FRONTEND_FILES=servestatic``): the same folders
    nginx serves (deploy/paths.py) answered by the library servestatic (WhiteNoise for ASGI) instead."""

    def __init__(self, app):
        from pathlib import Path

        import streamlit
        import streamlit_folium
        from servestatic import ServeStaticASGI

        root = Path(__file__).resolve().parents[2]
        self.app = ServeStaticASGI(app, max_age=31_536_000)
        self.app.add_files(Path(streamlit.__file__).parent / "static" / "static", prefix="static/")
        self.app.add_files(Path(streamlit_folium.__file__).parent / "frontend" / "build",
                           prefix="component/streamlit_folium.st_folium/")
        self.app.add_files(root / "static", prefix="app/static/")

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


def middleware() -> list:
    """The middleware list for ``st.App`` (``KITA_FRONTEND_FILES=streamlit``: leave the files to Streamlit;
    ``servestatic``: the library variant the docstring compares)."""
    from starlette.middleware import Middleware

    from ui.framework.page_title import PageTitle

    title = [Middleware(PageTitle)]  # H11: the page's title and language in its HTML
    choice = os.environ.get("KITA_FRONTEND_FILES", "memory")
    if choice == "streamlit":
        return title
    if choice == "servestatic":
        return [Middleware(ServeStaticFiles), *title]
    return [Middleware(FrontendFiles), *title]
