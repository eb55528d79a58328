"""H11: the page's HTML carries the app's title and the URL's language before any script runs."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit

from kita import i18n
from ui.framework.page_title import PageTitle, page_html

INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def test_streamlits_index_has_the_literals_the_hook_replaces():
    html = INDEX.read_bytes()
    assert b"<title>Streamlit</title>" in html and b'<html lang="en">' in html


def test_title_and_language_in_each_language():
    for lang in i18n.CATALOGUES:
        html = page_html(INDEX.read_bytes(), lang).decode()
        assert f"<title>{i18n.text('app_title', lang)}</title>" in html and "<title>Streamlit" not in html
        assert f'<html lang="{lang}">' in html and "dir=" not in html.split("<head")[0]
    assert '<html lang="de">' in page_html(INDEX.read_bytes(), "<script>").decode()  # unknown: German


def _call(path: str, query: bytes, content_type: bytes, body: bytes) -> list[dict]:
    async def app(scope, receive, send):
        assert not any(n == b"accept-encoding" for n, _ in scope["headers"]) or "_stcore" in scope["path"]
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": query,
             "headers": [(b"accept-encoding", b"gzip")]}
    with ThreadPoolExecutor(1) as thread:  # its own event loop (a browser test may hold one in this process)
        thread.submit(asyncio.run, PageTitle(app)(scope, None, send)).result()
    return sent


def test_middleware_rewrites_the_page_and_leaves_everything_else():
    sent = _call("/ueber", b"lang=ar", b"text/html", INDEX.read_bytes())
    body = sent[-1]["body"]
    assert i18n.text("app_title", "ar").encode() in body and b'<html lang="ar">' in body
    assert dict(sent[0]["headers"])[b"content-length"] == str(len(body)).encode()
    health = _call("/_stcore/health", b"", b"text/plain", b"ok")
    assert health[-1]["body"] == b"ok"
