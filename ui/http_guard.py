"""What the app's HTTP answers add in front of Streamlit (ASGI middleware in ``st.App``, see dashboard.py):
security headers on every answer, ``/_stcore/metrics`` closed, and the two routes that bind a coordinator's
login to the browser with cookies Streamlit itself cannot set.

Login: the login form (ui/login.py) checks name and password and gets a one-time ticket (60 s); a script of
the page posts it to ``_kita/anmelden``, which exchanges it for a random login token in an HttpOnly,
SameSite=Strict cookie (Secure over HTTPS) and sends the browser back to its page. Every run of a writing
page checks that cookie against the database (``st.context.cookies``), so a session id alone – e.g. from an
upload URL – is no login, and logout, expiry, ``sperren`` and a new password end the login everywhere. The
same answer sets a long-lived "known browser" cookie for the name (see datastore.auth's throttling).
``_kita/abmelden`` ends the login token and clears its cookie. Every websocket carries a hash of the browser
cookie as Streamlit's trusted user header, so a session can only be resumed by the browser that opened it.
"""

from __future__ import annotations

import logging
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote

from datastore import auth

LOGIN_COOKIE = "kita_anmeldung"
DEVICE_COOKIE = "kita_geraet"
# A random value per browser, set with the first page: a login ticket is bound to it (see datastore.auth).
BROWSER_COOKIE = "kita_browser"
LOGIN_ROUTE = "_kita/anmelden"
LOGOUT_ROUTE = "_kita/abmelden"
MAX_FORM = 4096
_LOG = logging.getLogger("kita")


def content_security_policy(basemap: str = "none") -> str:
    """The CSP the app works under (checked in Chromium: map, components, presentation). Streamlit's frontend
    needs inline styles, inline scripts (st.html with scripts, component iframes' srcdoc) and eval (Vega);
    nothing loads from another origin except the configured tile server's images."""
    tiles = _origin(basemap)
    images = " ".join(filter(None, ["'self'", "data:", "blob:", tiles]))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "frame-src 'self' blob: data:",
        "worker-src 'self' blob:",
        "media-src 'self' data: blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",  # the components' own iframes (same origin); no other site may frame the app
    ])


def _origin(basemap: str) -> str:
    """The origin of a tile URL template ('https://tiles.example.org/{z}/{x}/{y}.png' → 'https://tiles.example.org')."""
    if basemap == "osm":
        return "https://tile.openstreetmap.org"
    if basemap.startswith(("https://", "http://")):
        scheme, _, rest = basemap.partition("://")
        host = rest.split("/", 1)[0]
        if host and all(c.isalnum() or c in ".-:" for c in host.replace("{s}", "a")):
            return f"{scheme}://{host.replace('{s}', '*')}"
    return ""


def security_headers(basemap: str = "none") -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", content_security_policy(basemap).encode()),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), payment=(), usb=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]


def safe_target(value: str, base: str) -> str:
    """Where the login/logout route may send the browser: a path of this app (below ``base``), never another
    site (no scheme, no '//' or backslash, no control characters); otherwise the start page."""
    if (not value.startswith(base) or value.startswith("//") or "\\" in value
            or any(ord(c) < 0x21 or c == "\x7f" for c in value) or len(value) > 2000):
        return base
    return value


def _cookie_header(name: str, value: str, max_age: int | None, path: str, secure: bool) -> bytes:
    """An HttpOnly, SameSite=Strict cookie (Secure over HTTPS); ``max_age`` None: until the browser closes."""
    cookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = path
    if max_age is not None:
        morsel["max-age"] = max_age
    morsel["httponly"] = True
    morsel["samesite"] = "Strict"
    if secure:
        morsel["secure"] = True
    return morsel.OutputString().encode()


def _header(scope, name: bytes) -> bytes:
    return next((v for n, v in scope.get("headers", []) if n == name), b"")


def request_cookies(scope) -> dict[str, str]:
    cookie = SimpleCookie()
    try:
        cookie.load(_header(scope, b"cookie").decode("latin-1"))
    except Exception:  # noqa: BLE001 (a malformed cookie header counts as none)
        return {}
    return {k: m.value for k, m in cookie.items()}


def same_origin(scope) -> bool:
    """Whether the request comes from a page of this app: no other site may post a ticket (which would log the
    victim into the poster's account) or end a login. Browsers say it in Sec-Fetch-Site; older ones in Origin."""
    site = _header(scope, b"sec-fetch-site").decode("latin-1").lower()
    if site:
        return site == "same-origin"
    origin = _header(scope, b"origin").decode("latin-1")
    if not origin:
        return True  # no browser cross-site request omits both headers
    return origin.split("://", 1)[-1].rstrip("/") == _header(scope, b"host").decode("latin-1")


BROWSER_HEADER = b"x-kita-browser"  # .streamlit/config.toml: server.trustedUserHeaders


def browser_bound(scope) -> dict:
    """The websocket's scope with the browser's identity as Streamlit's "user" header: a hash of its
    BROWSER_COOKIE, never a value sent from outside. Streamlit resumes a session only for the same user, so a
    leaked session id is useless in another browser."""
    browser = request_cookies(scope).get(BROWSER_COOKIE, "")
    headers = [(n, v) for n, v in scope.get("headers", []) if bytes(n).lower() != BROWSER_HEADER]
    if browser:
        headers.append((BROWSER_HEADER, auth.digest(browser[:200]).encode()))
    return dict(scope, headers=headers)


def _is_https(scope) -> bool:
    return scope.get("scheme") in ("https", "wss") or _header(scope, b"x-forwarded-proto").lower() == b"https"


class HttpGuard:
    """ASGI middleware: headers on every HTTP answer, the metrics endpoint closed, the login cookie routes."""

    def __init__(self, app, accounts_factory=None) -> None:
        self.app = app
        self.base: str | None = None
        self.headers: list[tuple[bytes, bytes]] | None = None
        self._accounts_factory = accounts_factory
        self._accounts: auth.Accounts | None = None

    def _setup(self) -> None:
        if self.base is not None:
            return
        from streamlit import config

        from kita.settings import load_settings

        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        self.base = f"/{base}/" if base else "/"
        try:
            basemap = load_settings().basemap
        except Exception:  # noqa: BLE001 (a broken config is reported by the page; the headers stay strict)
            basemap = "none"
        self.headers = security_headers(basemap)

    def accounts(self) -> auth.Accounts:
        if self._accounts is None:
            if self._accounts_factory is not None:
                self._accounts = self._accounts_factory()
            else:
                from sqlalchemy import create_engine

                from kita.settings import load_settings

                settings = load_settings()
                self._accounts = auth.Accounts(create_engine(settings.database_url), read_only=settings.read_only)
        return self._accounts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        self._setup()
        path = scope.get("path", "")
        if scope["type"] == "websocket":
            await self.app(browser_bound(scope), receive, send)
            return
        if path == f"{self.base}_stcore/metrics":
            await self._plain(send, 404, b"")
            return
        if path == f"{self.base}{LOGIN_ROUTE}":
            await self._login(scope, receive, send)
            return
        if path == f"{self.base}{LOGOUT_ROUTE}":
            await self._logout(scope, send)
            return

        needs_browser_cookie = not request_cookies(scope).get(BROWSER_COOKIE)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {bytes(n).lower(): bytes(v) for n, v in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                if needs_browser_cookie and present.get(b"content-type", b"").startswith(b"text/html"):
                    extra.append((b"set-cookie", _cookie_header(BROWSER_COOKIE, secrets.token_urlsafe(24), None,
                                                                self.base, _is_https(scope))))
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _plain(self, send, status: int, body: bytes, headers: list | None = None) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"),
                                *(headers or []), *self.headers]})
        await send({"type": "http.response.body", "body": body})

    async def _redirect(self, send, target: str, cookies: list[bytes]) -> None:
        headers = [(b"location", quote(target, safe="/?=&%:;,+@!$'()*-._~#").encode())]
        headers += [(b"set-cookie", c) for c in cookies]
        await self._plain(send, 303, b"", headers)

    async def _login(self, scope, receive, send) -> None:
        """POST ticket=…&weiter=…: the ticket becomes the login cookie (and the known-browser cookie)."""
        import anyio

        if scope.get("method") != "POST":
            await self._plain(send, 405, b"", [(b"allow", b"POST")])
            return
        if not same_origin(scope):
            await self._plain(send, 403, b"")
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > MAX_FORM:
                await self._plain(send, 413, b"")
                return
            if not message.get("more_body"):
                break
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        target = safe_target(form.get("weiter", ""), self.base)
        ticket = form.get("ticket", "")[:200]
        cookies = request_cookies(scope)
        device, browser = cookies.get(DEVICE_COOKIE, "")[:200], cookies.get(BROWSER_COOKIE, "")[:200]
        try:
            tokens = await anyio.to_thread.run_sync(lambda: self.accounts().exchange_ticket(ticket, browser, device))
        except Exception:  # noqa: BLE001 (the visitor sees the login form again; the server log has the details)
            _LOG.exception("Anmeldung: Ticket nicht eingelöst")
            tokens = None
        if tokens is None:
            await self._redirect(send, target, [])
            return
        session, device = tokens
        secure = _is_https(scope)
        await self._redirect(send, target, [
            _cookie_header(LOGIN_COOKIE, session, auth.SESSION_HOURS * 3600, self.base, secure),
            _cookie_header(DEVICE_COOKIE, device, auth.DEVICE_DAYS * 86400, self.base, secure),
        ])

    async def _logout(self, scope, send) -> None:
        import anyio

        query = {k: v[0] for k, v in parse_qs(scope.get("query_string", b"").decode("utf-8", "replace")).items()}
        target = safe_target(query.get("weiter", ""), self.base)
        if not same_origin(scope):  # another site cannot end a login (nor clear its cookie)
            await self._redirect(send, target, [])
            return
        token = request_cookies(scope).get(LOGIN_COOKIE, "")[:200]
        if token:
            try:
                await anyio.to_thread.run_sync(lambda: self.accounts().end_session(token))
            except Exception:  # noqa: BLE001
                _LOG.exception("Abmeldung: Token nicht beendet")
        await self._redirect(send, target, [_cookie_header(LOGIN_COOKIE, "", 0, self.base, _is_https(scope))])
