"""HOOK H11 (ui/framework/__init__.py): the page's HTML as the server sends it carries the app's title and
language: Streamlit's ``index.html`` says ``<title>Streamlit</title>`` and ``<html lang="en">`` until its scripts
run, so a shared link's preview (messengers read the HTML only) said "Streamlit", and a screen reader started in
English. This ASGI middleware (public ``st.App(middleware=…)``) rewrites both in the HTML answer of a page
request, in the language the URL asks for (``?lang=ar``; German by default). Not the writing direction: on
``<html>`` it slides Streamlit's collapsed sidebar over the page (page_dom.js sets it on the main block).

Relies on the literal ``<title>Streamlit</title>`` and ``lang="en"`` in Streamlit's index.html (the test
test_framework_page_title.py notices when they change). Replace by: a server-side page title in Streamlit.
Nothing here declares a component (dashboard.py's server branch imports it)."""

from __future__ import annotations

import html
from urllib.parse import parse_qs

from kita import i18n

_SKIP = ("_stcore/", "static/", "component/", "app/static/", "media/")


def page_html(body: bytes, lang: str) -> bytes:
    """``index.html`` with the app's title and ``lang`` (an unknown language: German)."""
    lang = lang if lang in i18n.CATALOGUES else i18n.SOURCE_LANGUAGE
    title = html.escape(i18n.text("app_title", lang), quote=False).encode()
    attributes = f'lang="{lang}"'.encode()
    return (body.replace(b"<title>Streamlit</title>", b"<title>" + title + b"</title>", 1)
            .replace(b'<html lang="en">', b"<html " + attributes + b">", 1))


class PageTitle:
    """ASGI middleware: the page's HTML with title and language; every other request passes untouched."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "GET" or any(f"/{p}" in path for p in _SKIP):
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        lang = (query.get("lang") or [i18n.SOURCE_LANGUAGE])[0]
        # Uncompressed (the page's HTML is 1–2 KB), so that it can be read and rewritten.
        plain = dict(scope, headers=[(n, v) for n, v in scope.get("headers", []) if n != b"accept-encoding"])
        start: dict | None = None
        chunks: list[bytes] = []

        async def rewrite(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict((bytes(n).lower(), bytes(v)) for n, v in message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    start = message  # held until the whole body is here
                    return
                await send(message)
            elif start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = page_html(b"".join(chunks), lang)
                    headers = [(n, v) for n, v in start.get("headers", []) if bytes(n).lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(plain, receive, rewrite)
