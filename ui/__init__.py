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

from ui.errors import attempt, download, guarded
from ui.framework.folium_component import map_component, render_map
from ui.loaders import coverage, data_stand, reference, search_index, settings, store, tables, today
from ui.location import where_am_i
from ui.login import require_coordinator
from ui.setup import MENU, demo_notice, page_setup
from ui.state import lang, query_date, query_number, query_value, remember, restore, say, say_error, set_query, t
from ui.widgets import XLSX, export_info, number_text, show_table, table_downloads

__all__ = [
    "MENU", "XLSX", "attempt", "coverage", "data_stand", "demo_notice", "download", "export_info", "guarded", "lang",
    "map_component", "number_text", "page_setup", "query_date", "query_number", "query_value", "reference",
    "remember", "render_map", "require_coordinator", "restore", "say", "say_error", "search_index", "set_query",
    "settings", "show_table", "store", "t", "tables", "table_downloads", "today", "where_am_i",
]
