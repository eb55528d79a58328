"""Entry point: page config, navigation over views/, the shared sidebar.

Run with ``streamlit run dashboard.py``. The page files live in ``views/``, not ``pages/``: Streamlit
still treats a ``pages/`` folder as old-style automatic pages, so a deep link opened first after a
server start would run the page without this entry script.
"""

import streamlit as st

import ui

st.set_page_config(
    page_title="Kita-Sozialarbeit Alzey-Worms",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="auto",
)
ui.prepare_assets()

PAGES = [
    st.Page("views/karte.py", title=ui.t("nav_map"), icon=":material/map:", default=True),
    st.Page("views/versorgung.py", title=ui.t("nav_coverage"), icon=":material/bar_chart:", url_path="versorgung"),
    st.Page("views/planung.py", title=ui.t("nav_planning"), icon=":material/calculate:", url_path="planung"),
    st.Page("views/praesentation.py", title=ui.t("nav_presentation"), icon=":material/slideshow:", url_path="praesentation"),
    st.Page("views/ueber.py", title=ui.t("nav_about"), icon=":material/info:", url_path="ueber"),
]
navigation = st.navigation(PAGES)
ui.sidebar()
navigation.run()
