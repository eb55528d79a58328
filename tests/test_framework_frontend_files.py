"""frontend_files: the frontend's files answered from memory (the app in dashboard.py), the same bytes as Streamlit's."""

import asyncio
import concurrent.futures
import gzip
import urllib.request
from pathlib import Path

import pytest
import streamlit

from tests.browser_support import running_app
from ui.framework import frontend_files
from ui.framework.frontend_files import FrontendFiles, accepts_gzip

STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"


def _get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.mark.parametrize("value, expected", [
    (b"gzip, deflate, br, zstd", True), (b"gzip;q=0.5", True), (b"*", True), (b"br", False),
    (b"gzip;q=0", False), (b"gzip; q=0.0", False), (None, False), (b"", False),
])
def test_accepts_gzip(value, expected):
    assert accepts_gzip(value) is expected


class _Files:
    """A stand-in for Streamlit: answers every GET with the path as body, counting what it was asked."""

    def __init__(self, content_type=b"application/javascript", status=200):
        self.calls, self.content_type, self.status = [], content_type, status

    async def __call__(self, scope, receive, send):
        self.calls.append(dict(scope["headers"]))
        body = scope["path"].encode() * 200
        await send({"type": "http.response.start", "status": self.status, "headers": [
            (b"content-type", self.content_type), (b"content-length", str(len(body)).encode()),
            (b"etag", b'"abc"'), (b"cache-control", b"public, immutable, max-age=31536000")]})
        await send({"type": "http.response.body", "body": body})


def _call(app, path, headers=(), method="GET"):
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": list(headers)}
    # In a thread of its own: in a test process that has run a browser test, Playwright's sync API keeps an
    # event loop running in this thread, and asyncio.run() refuses to start a second one here.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def base_url(monkeypatch):
    monkeypatch.setattr(streamlit.config, "get_option", lambda key: "" if key == "server.baseUrlPath" else None)


def test_second_get_comes_from_memory_gzipped_for_a_browser_plain_for_others(base_url):
    inner = _Files()
    app = FrontendFiles(inner)
    status, headers, body = _call(app, "/static/js/a.js", [(b"accept-encoding", b"gzip, br")])
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == b"/static/js/a.js" * 200
    assert b"accept-encoding" not in inner.calls[0]  # Streamlit is asked for the plain bytes
    status, headers, body = _call(app, "/static/js/a.js")
    assert status == 200 and b"content-encoding" not in headers and body == b"/static/js/a.js" * 200
    assert headers[b"content-length"] == str(len(body)).encode() and headers[b"vary"] == b"Accept-Encoding"
    assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"
    assert len(inner.calls) == 1
    status, headers, body = _call(app, "/static/js/a.js", [(b"if-none-match", b'"abc"')])
    assert status == 304 and body == b"" and headers[b"etag"] == b'"abc"'


def test_page_websocket_errors_html_range_and_head_go_to_streamlit_every_time(base_url):
    for path, inner, headers, method in [
        ("/", _Files(b"text/html"), [], "GET"),
        ("/_stcore/health", _Files(b"text/plain"), [], "GET"),
        ("/static/unknown", _Files(b"text/html; charset=utf-8"), [], "GET"),  # Streamlit's index.html fallback
        ("/static/js/a.js", _Files(status=404), [], "GET"),
        ("/static/js/a.js", _Files(), [(b"range", b"bytes=0-9")], "GET"),
        ("/static/js/a.js", _Files(), [], "HEAD"),
        ("/static/../x.js", _Files(), [], "GET"),
    ]:
        app = FrontendFiles(inner)
        for _ in range(2):
            _call(app, path, headers, method)
        assert len(inner.calls) == 2, path
        assert not app.entries


def test_the_cache_is_bounded(base_url, monkeypatch):
    monkeypatch.setattr(frontend_files, "MAX_ENTRIES", 2)
    inner = _Files()
    app = FrontendFiles(inner)
    for _ in range(2):
        for name in "abc":
            _call(app, f"/static/js/{name}.js")
    assert sorted(app.entries) == ["/static/js/a.js", "/static/js/b.js"]
    assert len(inner.calls) == 4  # c.js asked twice


def test_app_server_answers_like_streamlit_with_gzip_and_the_same_bytes(tmp_path):
    index = (STREAMLIT_STATIC / "index.html").read_text()
    script = index.split('src="./static/js/')[1].split('"')[0]  # the frontend's main bundle
    original = (STREAMLIT_STATIC / "static" / "js" / script).read_bytes()
    with running_app(tmp_path / "app.sqlite") as url:
        for _ in range(2):  # the first from Streamlit, the second from memory
            status, headers, body = _get(f"{url}/static/js/{script}", {"Accept-Encoding": "gzip, deflate, br, zstd"})
            assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == original
            assert headers["cache-control"] == "public, immutable, max-age=31536000"
            assert headers["content-type"].startswith(("application/javascript", "text/javascript"))
        assert len(body) < len(original) / 2
        status, headers, body = _get(f"{url}/static/js/{script}")
        assert status == 200 and "content-encoding" not in headers and body == original
        assert _get(f"{url}/static/js/{script}", {"If-None-Match": headers["etag"]})[0] == 304
        status, _, body = _get(f"{url}/static/js/{script}", {"Range": "bytes=0-9"})
        assert status == 206 and body == original[:10]
        status, headers, body = _get(f"{url}/")
        assert status == 200 and b"<html" in body.lower()
