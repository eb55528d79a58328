"""The coordinators' login gate: OIDC via ``st.login`` when configured, else local accounts (datastore.auth).
Every write of a page comes after :func:`require_coordinator`.

A local login lives in an HttpOnly cookie (ui/http_guard.py sets it), never in the session: every run reads the
cookie of the browser's current connection (``st.context.cookies``) and asks the database whether its token
is still valid, so a session id without the cookie is no login, and logout, expiry, ``sperren`` and a new
password end it in every tab and process.
"""

from __future__ import annotations

import ipaddress
import json

import streamlit as st

from datastore import auth
from ui.http_guard import BROWSER_COOKIE, DEVICE_COOKIE, LOGIN_COOKIE, LOGIN_ROUTE, LOGOUT_ROUTE
from kita.errors import StoreError
from kita.text import md
from ui.errors import guarded
from ui.loaders import settings, store
from ui.state import say_error, t


def _oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] block: then st.login (OIDC) is the only way in."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_logged_in() -> bool:
    return _oidc_configured() and bool(getattr(st.user, "is_logged_in", False))


def _oidc_name() -> str:
    return str(st.user.get("name") or st.user.get("email") or t("oidc_account"))


def _request_cookies() -> dict[str, str]:
    """The cookies of the browser's current connection (a resumed session gets the new connection's)."""
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 (no client, e.g. a bare run)
        return {}


def client_address() -> str:
    """The visitor's address for the login's limits: the connection's, or behind a trusted proxy
    (``[betrieb] vertrauenswuerdige_proxys``) the rightmost X-Forwarded-For entry that is no trusted proxy."""
    try:
        peer = st.context.ip_address or ""
        forwarded = st.context.headers.get("X-Forwarded-For", "") or ""
    except Exception:  # noqa: BLE001
        return ""
    trusted = set(settings().trusted_proxies)
    if peer not in trusted:
        return peer
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            hop = str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # a forged entry ends the trusted chain
        if hop not in trusted:
            return hop
    return peer


@st.cache_resource(show_spinner=False)
def _accounts(url: str) -> auth.Accounts:
    return auth.Accounts(store().engine, read_only=settings().read_only)


def _route(name: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/{name}" if base else f"/{name}"


def current_coordinator() -> str | None:
    """The logged-in coordinator of this browser (valid login cookie, or OIDC), else None. Asks the database."""
    if settings().read_only:
        return None
    if _oidc_configured():
        return _oidc_name() if _oidc_logged_in() else None
    token = _request_cookies().get(LOGIN_COOKIE, "")
    if not token:
        return None
    return guarded(lambda: _accounts(settings().database_url).session_name(token[:200]), t("step_login"))


def _logout() -> None:
    if _oidc_logged_in():
        st.logout()
        return
    token = _request_cookies().get(LOGIN_COOKIE, "")
    if token and not settings().read_only:
        try:
            _accounts(settings().database_url).end_session(token[:200])
        except StoreError:
            pass  # the cookie route below ends it again
    st.session_state["_abmelden_weiter"] = True


def logout_redirect() -> None:
    """After a click on "Abmelden": the browser clears its login cookie through the logout route."""
    if st.session_state.pop("_abmelden_weiter", False):
        _navigate(f"window.location.replace({json.dumps(_route(LOGOUT_ROUTE))} + '?weiter=' + "
                  "encodeURIComponent(window.location.pathname + window.location.search));")


def _navigate(script: str) -> None:
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def require_coordinator() -> str:
    """The logged-in coordinator's name; otherwise a login form (or, on a read-only instance, a notice)
    and the rest of the page stops. Every write of a page comes after this call."""
    # Read first: the cookies of the connection that sent this run's form (a login ticket is bound to its
    # browser cookie, so a session taken over a moment later gets a ticket it cannot use).
    cookies = _request_cookies()
    if settings().read_only:
        st.info(t("read_only_notice"))
        st.stop()
    if _oidc_configured():
        if _oidc_logged_in():
            return _oidc_name()
        st.header(t("login_title"))
        st.caption(t("login_needed"))
        st.button(t("login_oidc_button"), key="_oidc_login", on_click=st.login, type="primary")
        st.stop()
    name = current_coordinator()
    if name:
        return name
    _login_form(cookies)
    st.stop()
    raise RuntimeError  # unreachable; st.stop() raises


def _finish_login(ticket: str) -> None:
    """Post the one-time ticket to the cookie route (a form, so it stays out of URLs and logs); the route
    sets the login cookie and sends the browser back to this page, which then runs logged in."""
    route = json.dumps(_route(LOGIN_ROUTE))
    _navigate(
        "(() => { const form = document.createElement('form'); form.method = 'post';"
        f" form.action = {route}; form.style.display = 'none';"
        f" for (const [name, value] of [['ticket', {json.dumps(ticket)}],"
        "   ['weiter', window.location.pathname + window.location.search]]) {"
        "   const input = document.createElement('input'); input.type = 'hidden'; input.name = name;"
        "   input.value = value; form.appendChild(input); }"
        " document.body.appendChild(form); form.submit(); })();")


def _login_form(cookies: dict[str, str]) -> None:
    accounts = guarded(lambda: _accounts(settings().database_url), t("step_login"))
    st.header(t("login_title"))
    st.caption(t("login_needed"))
    with st.form("_login", clear_on_submit=True):
        name = st.text_input(t("login_name"), max_chars=auth.MAX_NAME, key="_login_name")
        password = st.text_input(t("login_password"), type="password", max_chars=auth.MAX_PASSWORD,
                                 key="_login_passwort")
        submitted = st.form_submit_button(t("login_button"), type="primary")
    if submitted:
        try:
            who = accounts.verify(str(name or ""), str(password or ""), client=client_address(),
                                  device=cookies.get(DEVICE_COOKIE, "")[:200])
            ticket = accounts.issue_ticket(who, cookies.get(BROWSER_COOKIE, "")[:200])
        except (auth.LoginError, StoreError) as exc:
            st.error(md(say_error(exc)))
        else:
            st.info(t("login_finishing"))
            _finish_login(ticket)
    elif not accounts.names():
        st.info(t("login_no_accounts"))
