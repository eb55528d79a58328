"""Entry and start page for parents: search by place or PLZ (or tap the map) → whom to call (ui/start_page.py).

Run with ``streamlit run dashboard.py`` (Streamlit finds the server app ``app`` below). The other pages are
the files in ``pages/`` (Streamlit's classic multipage layout); every page, this one included, starts with
``ui.page_setup()``.
"""

from __future__ import annotations

import streamlit as st

if __name__ != "__main__":
    # `streamlit run dashboard.py` first imports this file to look for a server app, finds `app` and serves
    # through it: Streamlit's own server (st.App), which runs this file and pages/ as usual, with one
    # middleware in front that answers the frontend's files from memory, compressed once (ui/framework/frontend_files.py).
    # Nothing that declares a component is imported here: components (the map) must be declared inside the
    # running server. kita.constants reads the data folder's kreis.toml; geo.assets copies Leaflet's files.
    from kita import constants
    from kita.errors import DataError
    from ui.framework import frontend_files

    try:  # a broken data folder stops the start with its German message, not with a blank page per visitor
        constants.district()
    except DataError as exc:
        raise SystemExit(f"Die Kita-Karte startet nicht: {exc}") from None
    from geo import assets

    # Leaflet into static/vendor/ before Streamlit looks for static/ (on a fresh checkout it warned that the
    # folder was missing) and before the first visitor (ui.page_setup's once-per-process copy then finds them).
    assets.copy_vendor_files()

    # http_guard: security headers, /_stcore/metrics closed, the login cookie routes (outermost, so every
    # answer gets the headers, also those from memory).
    from ui import http_guard
    from starlette.middleware import Middleware

    app = st.App(__file__, middleware=[Middleware(http_guard.HttpGuard), *frontend_files.middleware()])
else:  # a run of the page: Streamlit executes this file as __main__
    import ui
    from ui import start_page

    ui.page_setup()
    start_page.render()
