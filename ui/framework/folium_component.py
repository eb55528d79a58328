"""HOOKS H1 and H5 (ui/framework/__init__.py): the map component, ``st_folium`` with the map rendered once per
content and shared by sessions, and the script that lets the map report a click at once.

st_folium renders the whole folium map to JavaScript on every run (and renames its elements, so it needs a
fresh copy each time): about 0.3 CPU-s per run for the district map. The rendered arguments depend only on
the map's content, so they are computed once per content key (data version, date, language, …) and shared
by all sessions; each run sends them with its own view (centre, zoom, selection layer). For that it calls
streamlit-folium's private helpers (``_get_html``, ``_get_header``, ``_get_map_string``,
``_get_feature_group_string``, ``_component_func``); tests/test_lightgeo_component.py compares the result
with ``st_folium``'s own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium
import streamlit as st
import streamlit_folium as sf

# HOOK H7: folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template
# environment for all its elements (``folium.Map._template``, private). Jinja's documented
# ``json.dumps_kwargs`` policy there drops the spaces after ',' and ':' – a sixth of the parents' map
# component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.
folium.Map._template.environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}

# HOOK H5: the map's click handler (geo/maps/js/keyboard_access.js) reports through this function. It goes in
# front of the map's script, which streamlit-folium runs: a <script> in the header is inserted as HTML and never
# runs (clicks then reached the page only through streamlit-folium's own value, which the page does not ask for).
_REPORT_VALUE = (Path(__file__).parent / "report_value.js").read_text(encoding="utf-8")


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
        script=_REPORT_VALUE + "\n" + rendered.script, header=rendered.header, html=rendered.html, id=rendered.map_id,
        key=rendered.hash_key, height=height, width=None, returned_objects=returned_objects,
        default=rendered.defaults, zoom=zoom, center=center, feature_group=layer, return_on_hover=False,
        layer_control=None, pixelated=False, css_links=list(rendered.css_links), js_links=list(rendered.js_links),
        on_change=changed, wrap_longitude=False,
    )
