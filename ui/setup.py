"""``page_setup()``, the first call of every page: language, page config, assets, the menu and the sidebar."""

from __future__ import annotations

import streamlit as st

from geo.layers import uses_demo_data
from geo.reference import boundary_licence
from kita import i18n
from kita.i18n import N_
from kita.text import date, md
from ui.framework import page_dom
from ui.loaders import _prepare_assets, reference, today
from ui.login import _logout, current_coordinator, logout_redirect
from ui.state import _init_language, lang, language_choice, t

# The public menu: (page file, text key, icon). dashboard.py is the start page ("/"); the files in pages/ give
# the URLs /versorgung, /praesentation, /ueber. Parents and the public see only these.
MENU = [
    ("dashboard.py", N_("nav_map"), ":material/map:"),
    ("pages/versorgung.py", N_("nav_coverage"), ":material/bar_chart:"),
    ("pages/praesentation.py", N_("nav_presentation"), ":material/slideshow:"),
    ("pages/ueber.py", N_("nav_about"), ":material/info:"),
]
# Pages behind the coordinators' login (/planung, /daten): listed for a logged-in coordinator; before the login
# one "Anmelden (Koordination)" entry leads to the first of them, whose login form comes first.
COORDINATION_MENU = [
    ("pages/planung.py", N_("nav_planning"), ":material/calculate:"),
    ("pages/daten.py", N_("nav_data"), ":material/table_edit:"),
]


def page_setup(title_key: str = "app_title", sidebar_state: str = "auto", language_switch: bool = True) -> None:
    """The first call of every page: language, page config, self-hosted map assets, sidebar menu.

    ``language_switch``: the language choice at the top of the page (reachable on a phone without opening the
    sidebar); a page without it (the presentation) has it in the sidebar instead.
    """
    _init_language()
    title = t(title_key) if title_key == "app_title" else f"{t(title_key)} – {t('app_title')}"
    st.set_page_config(page_title=title, page_icon="🗺️", layout="wide", initial_sidebar_state=sidebar_state)
    _document_language()
    page_dom.page_style("accessible")
    _prepare_assets()
    if language_switch:
        language_choice(top=True)
    sidebar(language=not language_switch)




def _document_language() -> None:
    """Declare the language on the document and the writing direction of the page (ui/framework/page_dom.py)."""
    code = lang()  # one of i18n.LANGUAGES (ui.state checks it), so safe inside the script
    page_dom.document_language(code, i18n.direction(code), t("map_frame_title"))


def demo_notice(current_tables: dict, compact: bool = False) -> None:
    """The "Beispieldaten" warning while demo rows are in use; ``compact``: one short box for the top of the
    parents' page (on a phone's first screen, above search and card)."""
    if not uses_demo_data(current_tables):
        return
    if compact:
        with st.container(key="beispieldaten"):
            st.warning(t("demo_notice_short"), icon=":material/info:")
    else:
        st.warning(t("demo_notice"), icon=":material/info:")


def sidebar(language: bool = False) -> None:
    """The shared sidebar: menu, language (if not at the top of the page), data stand, sources."""
    with st.sidebar:
        for page, key, icon in MENU:
            st.page_link(page, label=t(key), icon=icon)
        st.divider()
        if language:
            language_choice()
        logout_redirect()
        who = current_coordinator()
        if who:
            st.caption(t("nav_coordination"))
            for page, key, icon in COORDINATION_MENU:
                st.page_link(page, label=t(key), icon=icon)
            st.caption(f"{t('logged_in_as')}: {md(who)}")
            st.button(t("logout"), key="_abmelden", on_click=_logout)
        else:
            page, _, _ = COORDINATION_MENU[0]
            st.page_link(page, label=t("nav_coordination_login"), icon=":material/login:")
        ref = reference()
        licence_name = boundary_licence(ref.boundary_licence)[0]  # linked with its text on the Über page
        st.caption(
            # Isolates: dates, names and the credit keep their left-to-right order in Arabic ('2017-03').
            f"{t('boundaries')}: \u2068VG250\u2069, {t('data_stand')} \u2068{ref.boundary_stand or '–'}\u2069 · "
            f"\u2068{ref.attribution}, {licence_name}\u2069, {t('boundaries_changed')}  \n"
            f"{t('stand')}: {date(today(), lang())}"
        )
