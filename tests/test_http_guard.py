"""ui/http_guard.py as plain ASGI: headers on every answer, metrics closed, the login cookie route (POST only, one
use per ticket, cookie flags, Secure over HTTPS, never a redirect to another site), logout."""

import asyncio
from http.cookies import SimpleCookie

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui import http_guard
from datastore import auth
from datastore.auth import Accounts
from datastore.store import Store
from tests.conftest import BROWSER

PASSWORD = "ein langes Passwort 1"


async def _inner(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
    await send({"type": "http.response.body", "body": b"seite"})


def call(guard, path: str, method: str = "GET", body: bytes = b"", headers: list | None = None,
         scheme: str = "http", browser: str | None = BROWSER) -> tuple[int, dict[bytes, list[bytes]]]:
    """One request through the guard (with the browser cookie of the test's browser, unless None)."""
    sent = []
    headers = list(headers or [])
    if browser:
        cookie = next((v for n, v in headers if n == b"cookie"), b"")
        headers = [(n, v) for n, v in headers if n != b"cookie"]
        headers.append((b"cookie", b"; ".join(filter(None, [cookie, f"{http_guard.BROWSER_COOKIE}={browser}".encode()]))))
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    path, _, query = path.partition("?")
    scope = {"type": "http", "method": method, "path": path, "query_string": query.encode(), "scheme": scheme,
             "headers": headers, "root_path": ""}
    asyncio.run(guard(scope, receive, send))
    start = sent[0]
    answer: dict[bytes, list[bytes]] = {}
    for name, value in start["headers"]:
        answer.setdefault(bytes(name).lower(), []).append(bytes(value))
    return start["status"], answer


@pytest.fixture
def accounts(db_url, reference):
    store = Store(db_url, gemeinden=reference.gemeinden)
    accounts = Accounts(store.engine)
    accounts.add("Anna", PASSWORD)
    yield accounts
    store.close()


@pytest.fixture
def guard(accounts):
    return http_guard.HttpGuard(_inner, accounts_factory=lambda: accounts)


def test_every_answer_carries_the_security_headers_and_metrics_are_closed(guard):
    status, headers = call(guard, "/")
    assert status == 200
    assert b"frame-ancestors 'self'" in headers[b"content-security-policy"][0]
    assert headers[b"x-content-type-options"] == [b"nosniff"]
    assert headers[b"x-frame-options"] == [b"SAMEORIGIN"]
    assert headers[b"referrer-policy"] == [b"same-origin"]
    assert call(guard, "/_stcore/metrics")[0] == 404


def cookies_of(headers) -> dict:
    jar = SimpleCookie()
    for value in headers.get(b"set-cookie", []):
        jar.load(value.decode())
    return jar


def test_a_ticket_becomes_the_login_cookie_once(guard, accounts):
    ticket = accounts.issue_ticket("Anna", BROWSER)
    assert call(guard, f"/_kita/anmelden?ticket={ticket}")[0] == 405  # never by GET (URLs end up in logs)
    status, headers = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}&weiter=/daten%3Flang%3Den".encode())
    assert status == 303 and headers[b"location"] == [b"/daten?lang=en"]
    jar = cookies_of(headers)
    login = jar[http_guard.LOGIN_COOKIE]
    assert login["httponly"] and login["samesite"] == "Strict" and not login["secure"] and login["path"] == "/"
    assert accounts.session_name(login.value) == "Anna"
    assert jar[http_guard.DEVICE_COOKIE].value
    status, headers = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}&weiter=/daten".encode())
    assert status == 303 and b"set-cookie" not in headers  # used up


def test_a_ticket_is_worth_nothing_without_the_browser_cookie_it_was_issued_for(guard, accounts):
    """Someone who saw the ticket (e.g. over a taken-over session) posts it from another browser."""
    ticket = accounts.issue_ticket("Anna", BROWSER)
    for other in (None, "ein-anderer-browser"):
        status, headers = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}".encode(), browser=other)
        assert status == 303 and b"set-cookie" not in headers
    _, headers = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}".encode())
    assert accounts.session_name(cookies_of(headers)[http_guard.LOGIN_COOKIE].value) == "Anna"


def test_the_first_page_sets_the_browser_cookie_once(guard):
    _, headers = call(guard, "/daten", browser=None)
    browser = cookies_of(headers)[http_guard.BROWSER_COOKIE]
    assert len(browser.value) >= 30 and browser["httponly"] and browser["samesite"] == "Strict"
    assert b"set-cookie" not in call(guard, "/daten")[1]  # the browser has one


def test_cookie_is_secure_over_https(guard, accounts):
    for kwargs in ({"scheme": "https"}, {"headers": [(b"x-forwarded-proto", b"https")]}):
        ticket = accounts.issue_ticket("Anna", BROWSER)
        _, headers = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}".encode(), **kwargs)
        assert cookies_of(headers)[http_guard.LOGIN_COOKIE]["secure"]


def test_logout_route_ends_the_token_and_clears_the_cookie(guard, accounts):
    session, _ = accounts.exchange_ticket(accounts.issue_ticket("Anna", BROWSER), BROWSER)
    status, headers = call(guard, "/_kita/abmelden?weiter=/daten",
                           headers=[(b"cookie", f"{http_guard.LOGIN_COOKIE}={session}".encode())])
    assert status == 303 and headers[b"location"] == [b"/daten"]
    assert cookies_of(headers)[http_guard.LOGIN_COOKIE]["max-age"] == "0"
    assert accounts.session_name(session) is None


@pytest.mark.parametrize("headers", [[(b"sec-fetch-site", b"cross-site")], [(b"sec-fetch-site", b"same-site")],
                                     [(b"origin", b"https://evil.example"), (b"host", b"kita.example")]])
def test_another_site_can_neither_post_a_ticket_nor_end_a_login(guard, accounts, headers):
    """Login CSRF: a page elsewhere posting its owner's ticket would log the visitor into that account."""
    ticket = accounts.issue_ticket("Anna", BROWSER)
    status, answer = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}".encode(), headers=headers)
    assert status == 403 and b"set-cookie" not in answer
    session, _ = accounts.exchange_ticket(ticket, BROWSER)  # the ticket was not used
    cookie = (b"cookie", f"{http_guard.LOGIN_COOKIE}={session}".encode())
    status, answer = call(guard, "/_kita/abmelden", headers=[*headers, cookie])
    assert status == 303 and b"set-cookie" not in answer and accounts.session_name(session) == "Anna"


def test_own_pages_may_post(guard, accounts):
    for headers in ([(b"sec-fetch-site", b"same-origin")], [(b"origin", b"http://kita.example"), (b"host", b"kita.example")]):
        ticket = accounts.issue_ticket("Anna", BROWSER)
        _, answer = call(guard, "/_kita/anmelden", "POST", f"ticket={ticket}".encode(), headers=headers)
        assert http_guard.LOGIN_COOKIE in cookies_of(answer)


def test_websocket_carries_the_browser_identity_and_nothing_forged():
    scope = {"type": "websocket", "headers": [(b"x-kita-browser", b"gefaelscht"),
                                              (b"cookie", f"{http_guard.BROWSER_COOKIE}=abc".encode())]}
    headers = http_guard.browser_bound(scope)["headers"]
    assert [v for n, v in headers if n == b"x-kita-browser"] == [auth.digest("abc").encode()]
    forged_only = http_guard.browser_bound({"type": "websocket", "headers": [(b"x-kita-browser", b"gefaelscht")]})
    assert not [v for n, v in forged_only["headers"] if n == b"x-kita-browser"]


def test_session_resume_is_bound_to_the_user_header_streamlit_checks():
    """The config names the header http_guard sets; Streamlit reads it into st.user on websocket connect."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert {k.lower(): v for k, v in config["server"]["trustedUserHeaders"].items()} == {
        http_guard.BROWSER_HEADER.decode(): "kita_browser"}


def test_oversized_form_is_refused(guard):
    assert call(guard, "/_kita/anmelden", "POST", b"ticket=" + b"x" * 10_000)[0] == 413


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "daten",
                                    "/daten\r\nSet-Cookie: x=1", "javascript:alert(1)", ""])
def test_never_sends_the_browser_elsewhere(target):
    assert http_guard.safe_target(target, "/") == "/"


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_redirect_target_is_always_a_path_of_this_app(target):
    safe = http_guard.safe_target(target, "/kita/")
    assert safe.startswith("/kita/") and not safe.startswith("//") and "\\" not in safe
    assert not any(ord(c) < 0x21 for c in safe)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_cookie_header_is_read_without_error(raw):
    cookies = http_guard.request_cookies({"headers": [(b"cookie", raw)]})
    assert isinstance(cookies, dict)


@pytest.mark.parametrize("basemap,origin", [("none", ""), ("osm", "https://tile.openstreetmap.org"),
                                            ("https://tiles.kreis.example/{z}/{x}/{y}.png", "https://tiles.kreis.example"),
                                            ("https://x.example'; script-src *;/{z}", "")])
def test_images_only_from_the_configured_tile_server(basemap, origin):
    policy = http_guard.content_security_policy(basemap)
    images = next(p for p in policy.split("; ") if p.startswith("img-src"))
    assert images == " ".join(filter(None, ["img-src 'self' data: blob:", origin]))
    assert policy.count("script-src") == 1
