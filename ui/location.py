""""Mein Standort": a button (Streamlit custom component v2) that asks the browser for the position only
when clicked; the position is used once and kept nowhere."""

from __future__ import annotations

import streamlit as st

from geo import locate
from kita.text import md
from ui.state import t

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
