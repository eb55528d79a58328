"""Streamlit glue shared by all pages: page setup, cached loading, error display, sidebar, language, URL state.

Rules live in ``geo/``; this module only connects them to Streamlit. The one rule for a page: its first
Streamlit call is ``ui.page_setup()`` (``tests/test_layout.py`` fails for a page in ``pages/`` without it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import TypeVar

import folium
import pandas as pd
import streamlit as st
import streamlit_folium as sf

from geo import assets, dataset, locate
from datastore import auth, uploads
from kita import i18n
from reports import tables as geo_tables
from kita.coverage import coverage_at, kita_coverage, rule_text
from kita.errors import DataError, StoreError
from kita.i18n import N_
from geo.layers import uses_demo_data
from kita.numbers import NumberInputError, format_input, parse_number
from geo.reference import boundary_licence
from kita.settings import Settings, load_settings
from datastore.store import Store
from kita.text import date, md

T = TypeVar("T")


_LOG = logging.getLogger("kita")


def _show_failure(exc: Exception, what: str) -> None:
    """A message for a failed step (``what``, in the UI language): bad data says what is wrong (escaped: it may
    quote data; catalogue messages in the UI language); anything else is logged with its traceback for the
    administration and shown without details."""
    failed = t("error_step_failed", what=md(what))
    if isinstance(exc, (DataError, StoreError)):
        st.error(f"**{failed}** {md(say_error(exc))}")
    else:
        _LOG.exception("%s: unerwarteter Fehler", what)
        st.error(f"**{failed}** {md(t('error_unexpected'))}")


def guarded(load: Callable[[], T], what: str) -> T:
    """Run a loading step; on failure show a German message instead of a traceback and stop the page."""
    try:
        return load()
    except Exception as exc:  # noqa: BLE001 (every failure becomes a message, never a traceback)
        _show_failure(exc, what)
        st.stop()
        raise  # unreachable; st.stop() raises


def attempt(make: Callable[[], T], what: str) -> T | None:
    """Like :func:`guarded`, but the page goes on: None after showing the message (e.g. a failed export)."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001
        _show_failure(exc, what)
        return None


def download(container, label: str, make: Callable[[], bytes], file_name: str, mime: str, key: str,
             deferred: bool = False, **options) -> None:
    """A download button whose file comes from ``make``. Made now: a failure shows a German message instead
    of the button. ``deferred`` (made on click, for slow exports): a failure is logged and the file says in
    German that the export failed, since a click can no longer write to the page."""
    if deferred:
        failure = t("error_export_file", what=label)

        def deliver() -> bytes:
            try:
                return make()
            except Exception:  # noqa: BLE001
                _LOG.exception("Export %s fehlgeschlagen", file_name)
                from reports.export import message_file  # here: the parents' map need not load matplotlib

                return message_file(failure, mime)

        container.download_button(label, deliver, file_name, mime, key=key, on_click="ignore", **options)
        return
    data = attempt(make, t("error_export", what=label))
    if data is not None:
        container.download_button(label, data, file_name, mime, key=key, **options)


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def _reference() -> dataset.Reference:
    return dataset.load_reference()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(_settings().database_url, gemeinden=_reference().gemeinden, read_only=_settings().read_only)


@st.cache_resource(show_spinner=False)
def _prepare_assets() -> bool:
    assets.copy_vendor_files()
    assets.use_local_assets()
    return True


_LOADED: set[str] = set()  # slow first loads of this process that are done (cache_resource keeps them)


def _first_load(name: str, load: Callable[[], T], message: str) -> T:
    """``load()`` with a spinner saying ``message`` the first time in this process (later calls hit the cache
    and need none; cache_resource's own spinner text could not follow the UI language)."""
    if name in _LOADED:
        return load()
    with st.spinner(message):
        value = load()
    _LOADED.add(name)
    return value


def settings() -> Settings:
    return guarded(_settings, t("step_settings"))


def reference() -> dataset.Reference:
    return guarded(lambda: _first_load("reference", _reference, t("loading_boundaries")), t("step_boundaries"))


def store() -> Store:
    return guarded(lambda: _first_load("store", lambda: _store(settings().database_url), t("loading_database")),
                   t("step_database"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _tables(url: str, version: int) -> dict:
    return store().read_all()


def _current(version: int | None) -> int:
    return store().version() if version is None else version


def _own(frame: pd.DataFrame) -> pd.DataFrame:
    """A page's own view of a shared frame: with pandas' copy-on-write a shallow copy costs nothing, and a
    change the page makes to it (a new column, a set value) copies only then and never reaches the cache."""
    return frame.copy(deep=False)


def tables(version: int | None = None) -> dict:
    """The operational tables, read from the database once per data version and shared by all sessions.

    ``store().version()`` is the database's own change counter, so an edit made through any app process
    (several behind a proxy, one PostgreSQL) shows in every process on its next run. The frames are held
    once (cache_resource, not a pickled copy per run: that was a tenth of a start-page run's CPU); each
    caller gets its own shallow copy, so a page may still change the frames it gets. ``version``: the data
    version this run has already read (saves a database round trip), else it is read here.
    """
    shared = guarded(lambda: _tables(settings().database_url, _current(version)), t("step_data"))
    return {name: _own(frame) for name, frame in shared.items()}


@st.cache_resource(show_spinner=False, max_entries=16)
def _coverage(url: str, version: int, stand: dt.date, max_children_per_fte: float):
    current = _tables(url, version)
    areas = reference().areas
    return (coverage_at(stand, areas, current["kitas"], current["fachkraefte"], max_children_per_fte),
            kita_coverage(stand, current["kitas"], current["fachkraefte"]))


def coverage(stand: dt.date, version: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(coverage per area, Kitas with ``versorgt``) at ``stand``: computed once per data version and date,
    shared like :func:`tables`."""
    per_area, per_kita = guarded(
        lambda: _coverage(settings().database_url, _current(version), stand, settings().max_children_per_fte),
        t("step_coverage"),
    )
    return _own(per_area), _own(per_kita)


@st.cache_resource(show_spinner=False, max_entries=4)
def _search_index(version: int):
    return dataset.search_index(reference(), store().read("kitas"))


def search_index():
    """The place index for the current data version (Kitas can change)."""
    return _search_index(store().version())


# The sidebar menu: (page file, text key, icon). dashboard.py is the start page ("/"); the files in pages/
# give the URLs /versorgung, /planung, /praesentation, /ueber.
MENU = [
    ("dashboard.py", N_("nav_map"), ":material/map:"),
    ("pages/versorgung.py", N_("nav_coverage"), ":material/bar_chart:"),
    ("pages/planung.py", N_("nav_planning"), ":material/calculate:"),
    ("pages/praesentation.py", N_("nav_presentation"), ":material/slideshow:"),
    ("pages/daten.py", N_("nav_data"), ":material/table_edit:"),
    ("pages/ueber.py", N_("nav_about"), ":material/info:"),
]
# The chosen language lives under this plain session key and in the URL (?lang=en). A widget's own key
# includes the page's script hash, so a widget-keyed value would reset on every page change.
LANG_KEY = "lang"


def page_setup(title_key: str = "app_title", sidebar_state: str = "auto", language_switch: bool = True) -> None:
    """The first call of every page: language, page config, self-hosted map assets, sidebar menu.

    ``language_switch``: the language choice at the top of the page (reachable on a phone without opening the
    sidebar); a page without it (the presentation) has it in the sidebar instead.
    """
    _init_language()
    title = t(title_key) if title_key == "app_title" else f"{t(title_key)} – {t('app_title')}"
    st.set_page_config(page_title=title, page_icon="🗺️", layout="wide", initial_sidebar_state=sidebar_state)
    _document_language()
    st.html(ACCESSIBLE_STYLE)
    _prepare_assets()
    if language_switch:
        language_choice(top=True)
    sidebar(language=not language_switch)


# WCAG 2.1 AA where Streamlit's defaults fall short: captions at 3.8:1 → 7.5:1 on white and the sidebar grey,
# inline code 3:1 → 7:1;
# a visible focus ring on every link and control reached by keyboard (sidebar links show none by default).
ACCESSIBLE_STYLE = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #52514e !important; }
[data-testid="stMarkdownContainer"] code { color: #1d5c45 !important; }
/* Right-to-left blocks (Arabic): Streamlit aligns markdown and headings to the left explicitly. */
[dir="rtl"] :is(p, li, h1, h2, h3, h4, h5, h6, [data-testid="stMarkdownContainer"]) { text-align: start !important; }
a:focus-visible, button:focus-visible, [role="button"]:focus-visible, [role="option"]:focus-visible,
[tabindex]:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid #1f5fa8 !important; outline-offset: 2px;
}
</style>"""


def _document_language() -> None:
    """Declare the language on the document (``<html lang>``: Streamlit always serves ``lang="en"``, and screen
    readers pick their voice from it) and the writing direction on the page's main block and sidebar content
    (``dir="rtl"`` for Arabic). Not on ``<html>`` itself: Streamlit's collapsed sidebar would slide into view.
    The map's iframe is its own document and stays left-to-right."""
    code = lang()  # one of i18n.LANGUAGES, so safe inside the script
    direction = i18n.direction(code)
    map_title = json.dumps(t("map_frame_title")).replace("</", "<\\/")
    st.html(
        "<script>(() => {"
        f"document.documentElement.lang = '{code}';"
        # The map's iframe is named for screen readers (Streamlit titles it 'streamlit_folium.st_folium'); it
        # may appear after this script, so an observer names every map frame that comes.
        # The accessibility style lives in <head> (not in an element of the run, which a rerun replaces).
        "if (!document.getElementById('kita-a11y')) { const style = document.createElement('style');"
        f" style.id = 'kita-a11y'; style.textContent = {json.dumps(ACCESSIBLE_STYLE[7:-8])};"
        " document.head.appendChild(style); }"
        f"window.kitaMapTitle = {map_title};"
        "const name = () => document.querySelectorAll('iframe[src*=\"/streamlit_folium.st_folium/\"]')"
        "  .forEach(f => { if (f.title !== window.kitaMapTitle) f.title = window.kitaMapTitle; });"
        "name();"
        "if (!window.kitaMapObserver) { window.kitaMapObserver = new MutationObserver(name);"
        "  window.kitaMapObserver.observe(document.body, {childList: true, subtree: true}); }"
        "for (const id of ['stMain', 'stSidebarContent']) {"
        f"  const block = document.querySelector(`[data-testid=\"${{id}}\"]`); if (block) block.dir = '{direction}';"
        "}})();</script>",
        unsafe_allow_javascript=True,
    )


def _init_language() -> None:
    if LANG_KEY not in st.session_state:
        requested = st.query_params.get("lang", "de")
        st.session_state[LANG_KEY] = requested if requested in i18n.LANGUAGES else "de"
    keep_language_in_url()


def keep_language_in_url() -> None:
    """Put a non-default language into the URL so a reload or a shared link keeps it."""
    if lang() == "de":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang()


def set_query(params: dict[str, str]) -> None:
    """Replace the page's URL query by ``params`` (empty values dropped), keeping the language.

    One ``from_dict`` call sends one URL change, so the browser gets one history entry (not three)."""
    query = {k: v for k, v in params.items() if v}
    if lang() != "de":
        query["lang"] = lang()
    st.query_params.from_dict(query)


def _language_changed(widget_key: str) -> None:
    st.session_state[LANG_KEY] = st.session_state[widget_key]
    keep_language_in_url()


def language_choice(top: bool = False) -> None:
    """The language selection; its label names the choice in every language (a visitor may not read German)."""
    widget_key = "_lang_top" if top else "_lang_widget"
    st.session_state[widget_key] = lang()
    label = " · ".join(dict.fromkeys(i18n.text("language", code) for code in i18n.LANGUAGES))
    if top:
        with st.container(horizontal=True, horizontal_alignment="right", key="sprachwahl"):
            st.selectbox(
                label, list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key=widget_key, width=190,
                on_change=_language_changed, args=(widget_key,), label_visibility="collapsed",
            )
    else:
        st.radio(
            label, list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key=widget_key, horizontal=True,
            on_change=_language_changed, args=(widget_key,),
        )


def lang() -> str:
    return st.session_state.get(LANG_KEY, "de")


def t(key: str, **values) -> str:
    """The text of ``key`` in the chosen language, formatted with ``values`` (``{stand}`` etc.)."""
    return i18n.text(key, lang(), **values)


def say(value) -> str:
    """A text made in ``geo/`` (an ``i18n.Message``, a number, text from the data) in the chosen language."""
    return i18n.say(value, lang())


def say_error(exc: Exception | str) -> str:
    """A DataError's or StoreError's message in the chosen language, each problem on a line of its own (a
    message given as text: as it is)."""
    if isinstance(exc, DataError):
        return "\n".join([say(exc.message), *(say(problem) for problem in exc.problems)])
    if isinstance(exc, Exception):
        return say(exc.args[0]) if exc.args else str(exc)
    return say(exc)


def today() -> dt.date:
    return dt.date.today()


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
        who = st.session_state.get(LOGIN_KEY)
        if who or _oidc_logged_in():
            st.caption(f"{t('logged_in_as')}: {md(who or _oidc_name())}")
            st.button(t("logout"), key="_abmelden", on_click=_logout)
        ref = reference()
        licence_name = boundary_licence(ref.boundary_licence)[0]  # linked with its text on the Über page
        st.caption(
            # Isolates: dates, names and the credit keep their left-to-right order in Arabic ('2017-03').
            f"{t('boundaries')}: \u2068VG250\u2069, {t('data_stand')} \u2068{ref.boundary_stand or '–'}\u2069 · "
            f"\u2068{ref.attribution}, {licence_name}\u2069, {t('boundaries_changed')}  \n"
            f"{t('stand')}: {date(today(), lang())}"
        )


def query_value(name: str, allowed: Container[str]) -> str | None:
    """A URL query value if it is one of ``allowed``; otherwise a warning (UI language) and None."""
    value = st.query_params.get(name)
    if value is None or value == "":
        return None
    if value not in allowed:
        st.warning(t("link_unknown_value", name=md(name), value=md(value[:40])))
        return None
    return value


# --- the map component, rendered once per map content -----------------------------------------------------
# st_folium renders the whole folium map to JavaScript on every run (and renames its elements, so it needs a
# fresh copy each time): about 0.3 CPU-s per run for the district map. The rendered arguments depend only on
# the map's content, so they are computed once per content key (data version, date, language, …) and shared
# by all sessions; each run sends them with its own view (centre, zoom, selection layer).


@dataclass(frozen=True)
class RenderedMap:
    script: str
    header: str
    html: str
    map_id: str
    hash_key: str  # the component's identity: the same content keeps the same component (no remount)
    js_links: tuple[str, ...]
    css_links: tuple[str, ...]
    defaults: dict


def render_map(fmap: folium.Map, key: str, returned_objects: list[str]) -> RenderedMap:
    """What ``st_folium`` would send for ``fmap`` (same streamlit-folium helpers; tests compare the two)."""
    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    js_links: list[str] = []
    css_links: list[str] = []

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    southwest, northeast = fmap.get_bounds()
    # st_folium's initial value; the frontend sends a run whenever its value differs from it.
    defaults = dict.fromkeys(
        ["last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
         "last_object_clicked_popup", "all_drawings", "last_active_drawing", "last_circle_radius",
         "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result"])
    defaults["bounds"] = {"_southWest": {"lat": southwest[0], "lng": southwest[1]},
                          "_northEast": {"lat": northeast[0], "lng": northeast[1]}}
    defaults["zoom"] = fmap.options.get("zoom")
    return RenderedMap(
        script=script, header=header, html=html, map_id=sf.get_full_id(fmap),
        hash_key=sf.generate_js_hash(script, key, False),
        js_links=tuple(dict.fromkeys(js_links)), css_links=tuple(dict.fromkeys(css_links)),
        defaults={k: v for k, v in defaults.items() if k in returned_objects},
    )


@st.cache_resource(show_spinner=False, max_entries=128)  # a Land: 36 Kreis maps + overview per language
def _rendered(content_key: tuple, component_key: str, returned_objects: tuple[str, ...], _build) -> RenderedMap:
    return render_map(_build(), component_key, list(returned_objects))


@st.cache_resource(show_spinner=False, max_entries=256)
def _layer_script(layer_key: tuple, _build) -> str | None:
    layer = _build()
    return None if layer is None else sf._get_feature_group_string(layer, folium.Map(tiles=None), 0)


def map_component(
    content_key: tuple, build: Callable[[], folium.Map], *, key: str, returned_objects: list[str],
    height: int, layer_key: tuple = (), build_layer: Callable[[], folium.FeatureGroup | None] | None = None,
    center=None, zoom=None, on_change: Callable[[], None] | None = None,
):
    """``st_folium`` with the map rendered once per ``content_key`` (shared by sessions) and the extra layer
    (e.g. the selected area) once per ``layer_key``. Returns the component's value like ``st_folium``."""
    rendered = _rendered(content_key, key, tuple(returned_objects), build)
    layer = _layer_script(layer_key, build_layer) if build_layer is not None else None

    def changed():
        st.session_state[key] = st.session_state.get(rendered.hash_key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=rendered.script, header=rendered.header, html=rendered.html, id=rendered.map_id,
        key=rendered.hash_key, height=height, width=None, returned_objects=returned_objects,
        default=rendered.defaults, zoom=zoom, center=center, feature_group=layer, return_on_hover=False,
        layer_control=None, pixelated=False, css_links=list(rendered.css_links), js_links=list(rendered.js_links),
        on_change=changed, wrap_longitude=False,
    )


# --- login gate ---------------------------------------------------------------------------------
_UPLOAD_KEY = "_gelesene_datei"  # (hash, Upload or the DataError it gave) of the file last uploaded


def parsed_upload(upload) -> uploads.Upload:
    """An uploaded file read once: kept in the session by its SHA-256, so the reruns of a dry run (editing the
    preview, choosing a sheet, ticking a box) never parse it again; a refusal is kept as well (DataError)."""
    data = upload.getvalue()
    digest = uploads.digest(data)
    kept = st.session_state.get(_UPLOAD_KEY)
    if kept is None or kept[0] != digest:
        try:
            kept = (digest, uploads.read_file(upload.name, data))
        except DataError as exc:
            kept = (digest, exc)
        st.session_state[_UPLOAD_KEY] = kept
    if isinstance(kept[1], DataError):
        raise kept[1]
    return kept[1]


def forget_upload() -> None:
    """Drop the kept file once the uploader is empty (a 10 MB file's tables need not stay in the session)."""
    st.session_state.pop(_UPLOAD_KEY, None)


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


# "Mein Standort": a button in the page (no iframe) that asks the browser for the position only when clicked and
# sends it back once as a trigger value: it is not kept in the session, the URL or any log.
_LOCATION_BUTTON = st.components.v2.component(
    "kita_standort",
    css="""
button { font: inherit; min-height: 2.5rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid rgba(49, 51, 63, 0.3); background: #fff; color: #1b1b1b; }
button:hover { border-color: #1f5fa8; color: #1f5fa8; }
button:focus-visible { outline: 3px solid #1f5fa8; outline-offset: 2px; }
button:disabled { cursor: progress; }
.status { margin-inline-start: 0.75rem; color: #52514e; }
""",
    js="""
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  // Built here with its text at once (an empty button would have no accessible name, even for a moment).
  let button = parentElement.querySelector('button');
  let status = parentElement.querySelector('.status');
  if (!button) {
    button = document.createElement('button');
    button.type = 'button';
    status = document.createElement('span');
    status.className = 'status';
    status.setAttribute('role', 'status');
    button.textContent = data.label;
    parentElement.append(button, status);
  }
  button.textContent = data.label;
  button.onclick = () => {
    if (!navigator.geolocation) { setTriggerValue('position', {error: 'unsupported'}); return; }
    button.disabled = true;
    status.textContent = data.waiting;
    const done = (value) => { button.disabled = false; status.textContent = ''; setTriggerValue('position', value); };
    navigator.geolocation.getCurrentPosition(
      (p) => done({lat: p.coords.latitude, lon: p.coords.longitude}),
      (e) => done({error: e.code}),
      {enableHighAccuracy: false, timeout: 20000, maximumAge: 0});
  };
}
""",
)


def where_am_i(gemeinden) -> str | None:
    """The "Mein Standort" button; after a click, the 12-digit key of the Gemeinde the user is in (the caller
    selects it and reruns; the confirmation shows on that run), or None with a friendly message for a point
    elsewhere or a refused position."""
    result = _LOCATION_BUTTON(
        key="standort", data={"label": t("locate_button"), "waiting": t("locate_waiting")},
        on_position_change=lambda: None,
    )
    st.caption(t("locate_privacy"))
    position = getattr(result, "position", None)
    if position:
        if not isinstance(position, dict) or not locate.valid_point(position.get("lat"), position.get("lon")):
            st.info(t("locate_denied"))
            return None
        found = locate.locate(position["lat"], position["lon"], gemeinden)
        if found.inside:
            st.session_state["_standort_gefunden"] = found.gemeinde  # a name for one message, not the position
            return found.gemeinde_rs
        st.info(t("locate_outside", anderswo=md(found.kreis)) if found.kreis else t("locate_abroad"))
    elif gemeinde := st.session_state.pop("_standort_gefunden", None):
        st.success(t("locate_found", gemeinde=gemeinde))
    return None


# --- coordinators' pages: tables, typed numbers, view state kept across pages and in the URL ----------

def show_table(table, key: str | None = None) -> None:
    """A table with German numbers (1.020,8), '–' where there is no value, numbers right-aligned and sorted
    as numbers (no staff sorts as the largest need); key columns stay in exports, not on screen."""
    shown = geo_tables.for_display(geo_tables.titled(table, lang()))
    numeric = [c for c in shown.select_dtypes("number").columns if shown[c].dtype != bool]
    st.dataframe(
        geo_tables.german_style(shown, lang()), hide_index=True, width="stretch", key=key, placeholder="–",
        column_config={c: st.column_config.NumberColumn(alignment="right") for c in numeric},
    )


_KEPT = "_kept_views"  # plain session dict: widget values outlive a page change (widget state does not)


def restore(key: str, default, url_value=None) -> None:
    """Call before the widget ``key`` (created without a value): when the page is entered the widget starts
    from the link's value, else from its value when the page was last left, else from ``default``."""
    if key not in st.session_state:
        kept = st.session_state.setdefault(_KEPT, {})
        st.session_state[key] = url_value if url_value is not None else kept.get(key, default)


def remember(*keys: str) -> None:
    """Keep the current values of widgets ``keys`` for the next visit of the page."""
    kept = st.session_state.setdefault(_KEPT, {})
    for key in keys:
        if key in st.session_state:
            kept[key] = st.session_state[key]


def query_date(name: str) -> dt.date | None:
    """An ISO date (2024-08-01) from the URL, or None with a warning (UI language) when it is no date."""
    value = st.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        st.warning(t("link_not_a_date", name=md(name), value=md(value[:40])))
        return None


def query_number(name: str) -> float | None:
    """A number from the URL (written with a point, 3.25), or None with a warning (UI language)."""
    value = st.query_params.get(name)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        st.warning(t("link_not_a_number", name=md(name), value=md(value[:40])))
        return None
    return number


def number_text(container, label: str, key: str, value: float, digits: int = 2, help: str | None = None,
                url_value: float | None = None) -> str:
    """A text field for a number typed in the UI language (1,5 · 1.000); the caller reads it with
    kita.numbers.parse_number. A readable entry is echoed back in the standard form after Enter."""
    def echo() -> None:
        try:
            st.session_state[key] = format_input(parse_number(st.session_state[key], lang()), digits, lang())
        except NumberInputError:
            pass  # the page shows the message

    restore(key, format_input(value, digits, lang()), None if url_value is None else format_input(url_value, digits, lang()))
    return container.text_input(label, key=key, on_change=echo, help=help)


def data_stand() -> str:
    """When the operational data were last changed (the change log), or that they are the shipped start data."""
    log = guarded(lambda: store().change_log(limit=1), t("step_change_log"))  # newest entry only
    if log.empty:
        return t("log_seed_unchanged")
    changed = pd.Timestamp(log["zeit"].max())
    return t("log_last_change", when=f"{date(changed.date(), lang())} {changed:%H:%M}")


def export_info(title: str, stand: str, extra: tuple = ()):
    """What a downloaded table says about itself (date, rule, threshold, data stand, source), in the UI language."""
    ref, threshold = reference(), settings().max_children_per_fte
    return geo_tables.ExportInfo(
        title=title, stand=stand, rule=rule_text(threshold, lang()), threshold=threshold, data_stand=data_stand(),
        source=geo_tables.source_text(uses_demo_data(tables()), ref.attribution, ref.boundary_stand, lang()),
        extra=tuple(extra), created=dt.datetime.now(), lang=lang(),
    )


XLSX = geo_tables.XLSX


def table_downloads(name: str, sheets: dict, info, key: str) -> None:
    """CSV (first table) and Excel (all tables) buttons; both files carry ``info``. Made on click: a page
    with four tables built eight files on every run (a third of the Versorgung page's CPU)."""
    first = next(iter(sheets.values()))
    left, right = st.columns(2)
    download(left, t("download_table_csv"), lambda: geo_tables.csv_bytes(first, info), f"{name}.csv", "text/csv",
             key=f"{key}_csv", deferred=True)
    download(right, t("download_table_xlsx"), lambda: geo_tables.excel_bytes(sheets, info), f"{name}.xlsx", XLSX,
             key=f"{key}_xlsx", deferred=True)
