"""Streamlit glue shared by all pages; the rules live in ``kita/``, ``geo/``, ``datastore/`` and ``reports/``.

Pages use the names below as ``ui.x``; each lives in the module that says what it is:

- ``ui.setup``: ``page_setup()`` (the first call of every page), the menu, the sidebar, the demo notice;
- ``ui.state``: language (``lang``, ``t``, ``say``) and what the URL and the session keep (``set_query``,
  ``query_value``, ``restore``/``remember``);
- ``ui.loaders``: settings, reference layers, the store and its tables, coverage, the search index, cached;
- ``ui.errors``: failures shown as German messages, never as tracebacks (``guarded``, ``attempt``, ``download``);
- ``ui.login``: the coordinators' login gate;
- ``ui.widgets``: tables, typed numbers, table downloads; ``ui.location``: the "Mein Standort" button;
- ``ui.framework``: THE seam to Streamlit's and streamlit-folium's internals (the map component among them).

The one rule for a page: its first Streamlit call is ``ui.page_setup()`` (``tests/test_layout.py``).
"""

from importlib import import_module

# Each name's home module. Imported on first use (PEP 562), so that ``ui.framework.frontend_files`` can be
# imported by the server before any component is declared (streamlit-folium's and ui.location's components
# must be declared inside the running server).
_HOME = {
    "attempt": "errors", "download": "errors", "guarded": "errors",
    "map_component": "framework.folium_component", "render_map": "framework.folium_component",
    "page_style": "framework.page_dom", "show_card": "framework.page_dom",
    "coverage": "loaders", "data_stand": "loaders", "reference": "loaders", "search_index": "loaders",
    "settings": "loaders", "store": "loaders", "tables": "loaders", "today": "loaders",
    "where_am_i": "location", "require_coordinator": "login",
    "parsed_upload": "upload_cache", "forget_upload": "upload_cache",
    "COORDINATION_MENU": "setup", "MENU": "setup", "demo_notice": "setup", "page_setup": "setup",
    "lang": "state", "query_date": "state", "query_number": "state", "query_value": "state", "remember": "state",
    "restore": "state", "say": "state", "say_error": "state", "set_query": "state", "t": "state",
    "XLSX": "widgets", "export_info": "widgets", "number_text": "widgets", "show_table": "widgets",
    "table_downloads": "widgets",
}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(f"ui.{_HOME[name]}"), name)
    raise AttributeError(f"module 'ui' has no attribute {name!r}")


__all__ = [
    "COORDINATION_MENU", "MENU", "XLSX", "attempt", "coverage", "data_stand", "demo_notice", "download", "export_info",
    "forget_upload", "guarded", "lang", "map_component", "number_text", "page_style", "parsed_upload",
    "show_card", "page_setup", "query_date", "query_number", "query_value", "reference",
    "remember", "render_map", "require_coordinator", "restore", "say", "say_error", "search_index", "set_query",
    "settings", "show_table", "store", "t", "tables", "table_downloads", "today", "where_am_i",
]
