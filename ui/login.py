"""The coordinators' login gate: OIDC via ``st.login`` when configured, else local accounts (datastore.auth).
Every write of a page comes after :func:`require_coordinator`."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from datastore import auth
from kita.errors import StoreError
from kita.text import md
from ui.errors import guarded
from ui.loaders import settings, store
from ui.state import say_error, t

# --- login gate ---------------------------------------------------------------------------------
LOGIN_KEY = "_koordination"  # the logged-in person's name (local accounts), per browser session


LOGIN_HOURS = 8


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


def _logout() -> None:
    st.session_state.pop(LOGIN_KEY, None)
    st.session_state.pop("_koordination_seit", None)
    if _oidc_logged_in():
        st.logout()


@st.cache_resource(show_spinner=False)
def _accounts(url: str) -> auth.Accounts:
    return auth.Accounts(store().engine)


def require_coordinator() -> str:
    """The logged-in coordinator's name; otherwise a login form (or, on a read-only instance, a notice)
    and the rest of the page stops. Every write of a page comes after this call."""
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
    name, since = st.session_state.get(LOGIN_KEY), st.session_state.get("_koordination_seit")
    if name and since and dt.datetime.now() - since < dt.timedelta(hours=LOGIN_HOURS):
        return name
    _logout()
    _login_form()
    st.stop()
    raise RuntimeError  # unreachable; st.stop() raises


def _login_form() -> None:
    accounts = guarded(lambda: _accounts(settings().database_url), t("step_login"))
    st.header(t("login_title"))
    st.caption(t("login_needed"))
    with st.form("_login", clear_on_submit=True):
        name = st.text_input(t("login_name"), max_chars=auth.MAX_NAME, key="_login_name")
        password = st.text_input(t("login_password"), type="password", max_chars=1024, key="_login_passwort")
        submitted = st.form_submit_button(t("login_button"), type="primary")
    failures = [t for t in st.session_state.get("_fehlversuche", []) if dt.datetime.now() - t < auth.WINDOW]
    st.session_state["_fehlversuche"] = failures
    if submitted and len(failures) >= auth.MAX_FAILURES:
        st.error(t("login_too_many"))
    elif submitted:
        try:
            st.session_state[LOGIN_KEY] = accounts.verify(name, password)
            st.session_state["_koordination_seit"] = dt.datetime.now()
            st.rerun()
        except (auth.LoginError, StoreError) as exc:
            failures.append(dt.datetime.now())
            st.error(md(say_error(exc)))
    elif not accounts.names():
        st.info(t("login_no_accounts"))
