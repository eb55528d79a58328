"""THE seam to the framework: every use of Streamlit, streamlit-folium or folium beyond their public API.

Nothing outside this package reaches into a framework's internals (tests/test_layout.py checks the imports).
When a framework is upgraded, run ``python -m pytest tests/test_framework.py`` first: it fails with the list
below when an installed version differs from :data:`CHECKED`, the versions these hooks were checked against.
Check each hook (its test names it), then update :data:`CHECKED`.

Hooks (id, where, why, what public API would replace it):

H1  folium_component.py – the map component calls streamlit-folium's private ``_get_html``, ``_get_header``,
    ``_get_map_string``, ``_get_feature_group_string``, ``_component_func``: the map is rendered once per
    content for all sessions instead of on every run (0.3 CPU-s per run). Replace by: a streamlit-folium API
    that takes pre-rendered map arguments. Tests: test_lightgeo_component.py (same arguments as st_folium).
H2  page_dom.js – sets ``<html lang>`` (Streamlit serves ``lang="en"``), the writing direction on
    ``[data-testid=stMain]``/``stSidebarContent`` (Arabic), and the map iframe's title (found by its
    ``/streamlit_folium.st_folium/`` address). Replace by: a page-language option in ``st.set_page_config`` and
    a title argument for components. Tests: test_browser_a11y.py, test_map_language.py.
H3  *.css – styles keyed on ``data-testid`` attributes and ``st-key-<key>`` classes: accessible contrast and
    focus rings (accessible.css), the parents' page on phones (start_page.css), presentation chrome
    (presentation.css); accessible.css also hides Streamlit's untranslated key hints under text inputs
    (``InputInstructions``: "Press Enter to apply", drawn over Arabic text; the forms have a visible button).
    Replace by: Streamlit theming options for caption colour, focus ring and spacing, translated hints.
    Tests: test_browser_karte.py (layout at 390×844), test_browser_praesentation.py, test_browser_a11y.py.
H4  scroll_into_view.js – when a card opens, brings the keyed container's heading (the parents' card) into
    view below Streamlit's fixed header (``[data-testid=stHeader]``) and moves the focus to it. Replace by: a
    scroll/focus option on ``st.container`` that knows the header. Tests: test_browser_phone.py (390×844).
H5  report_value.js – inside the map's iframe, posts Streamlit's component message
    ``streamlit:setComponentValue`` so a click reaches the page at once (streamlit-folium waits 250 ms).
    Replace by: a streamlit-folium option without debounce for clicks. Tests: test_browser_clicks.py.
H6  slide_keys.py, slide_keys.js – from the map's iframe, presses the slide buttons of the page around it
    (``.st-key-folie_*``) so arrow keys and clickers keep working after a click in the map. Replace by:
    keyboard shortcuts that work across component frames. Tests: test_presentation.py,
    test_browser_praesentation.py.
H7  folium_component.py – compact JSON in folium's template environment (``folium.Map._template``, private):
    a sixth less map payload. Replace by: a folium option for compact JSON. Tests: test_maps.py.
H8  apptest.py – for the tests: AppTest's private ``_bidi_component_manager`` slot, filled once per test session
    (1 s per AppTest otherwise), and its private ``_run``, wrapped so that every interaction of every AppTest
    fails on a page exception; and the callables of deferred downloads (``MediaFileManager.add_deferred``).
    Replace by: AppTest options for these. Tests: every tests/test_app_*.py.
H9  frontend_files.py – an ASGI middleware (public ``st.App(middleware=…)``) that answers Streamlit's own
    bundles (``/static/``), component files (``/component/``) and app static files from memory, gzipped once;
    relies on those URL prefixes and on the files not changing while the process runs. Replace by: nginx in
    front (deploy/), or Streamlit compressing its static files itself. Tests: test_framework_frontend_files.py.
H10 uploader.py – the file uploader's button and limit line ("Upload", "200MB per file") are English in every
    language: hidden by their ``data-testid`` and replaced by the catalogue's texts (CSS generated content).
    Replace by: label options of ``st.file_uploader``. Tests: test_app_daten.py, test_browser_daten.py.
H11 page_title.py – an ASGI middleware (public ``st.App(middleware=…)``) that writes the app's title and the
    URL's language (``lang``, not ``dir``) into the page's HTML, where Streamlit's index.html says ``<title>Streamlit</title>`` and
    ``lang="en"`` until its scripts run (link previews, screen readers). Relies on those literals. Replace by: a
    server-side title and language in Streamlit. Tests: test_framework_page_title.py, test_browser_phone.py.
H12 (tests only) tests/browser_support.py and tests/test_browser_*.py find Streamlit's elements by ``data-testid``
    (the status widget that says a run is done, the sidebar, alerts); tests/test_parallel_login.py (and the
    load tool bench/load.py) speak Streamlit's websocket protocol with its protobuf messages. Replace by: roles
    and labels where Streamlit's markup offers them; a load-test client from Streamlit.
"""

from __future__ import annotations

from importlib import metadata

# The versions every hook above was checked against (the suite passes with them; requirements.txt pins them).
CHECKED = {"streamlit": "1.67.0", "streamlit-folium": "0.27.4", "folium": "0.20.0"}


def version_mismatches(installed: dict[str, str] | None = None) -> list[str]:
    """One line per framework whose installed version is not the checked one ('' when all match)."""
    found = installed if installed is not None else {name: _installed(name) for name in CHECKED}
    return [f"{name}: installiert {found.get(name) or 'nicht installiert'}, geprüft mit {version}"
            for name, version in CHECKED.items() if found.get(name) != version]


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
