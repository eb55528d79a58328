""""Mein Standort": a button (Streamlit custom component v2) that asks the browser for the position only
when clicked; the position is used once and kept nowhere."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo import locate
from kita.text import md
from ui.state import t

# "Mein Standort": a button in the page (no iframe) that asks the browser for the position only when clicked and
# sends it back once as a trigger value: it is not kept in the session, the URL or any log.
_HERE = Path(__file__).parent
_LOCATION_BUTTON = st.components.v2.component(
    "kita_standort",
    css=(_HERE / "location.css").read_text(encoding="utf-8"),
    js=(_HERE / "location.js").read_text(encoding="utf-8"),
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
