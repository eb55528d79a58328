"""The map: folium/Leaflet building blocks, each in the module that says what it is.

- ``classify``: colours (coverage classes, classed figures, hatching) and the legend's rows;
- ``style``: the stylesheet (``map.css``); ``viewport``: label points and zoom, in metres/Web-Mercator;
- ``plugins``: Leaflet plugins as folium elements, their scripts in ``js/``;
- ``assembly``: :func:`build_map`, :func:`highlight_layer`, :func:`clicked_object`.

Pages and reports use the names below as ``maps.x``. No Streamlit here: what the map needs from the page
around it (reporting a click at once) is provided by ``ui/framework``.
"""

from geo.maps.assembly import (
                               OSM_COPYRIGHT,
                               OSM_URL,
                               add_kita_layer,
                               area_tooltip,
                               build_map,
                               clicked_object,
                               gesture_text,
                               highlight_layer,
                               kita_place,
)
from geo.maps.classify import (
                               FIGURE_PALETTE,
                               FILL_OPACITY,
                               HIGHLIGHT_OPACITY,
                               KITA_COVERED,
                               KITA_UNCOVERED,
                               NO_STAFF_COLOUR,
                               SCHEMES,
                               Fill,
                               classed_fill,
                               coverage_fill,
                               hatch_defs,
                               hatch_id,
                               kita_legend,
                               kita_status,
                               legend_html,
                               scheme_label,
                               swatch_style,
)
from geo.maps.plugins import ZOOMABLE_VIEWPORT, DistrictMap, FitOnAdd, KeyboardAccess, linked
from geo.maps.style import (
                               CANVAS_ABOVE,
                               GEMEINDE_LABEL_ZOOM,
                               KITA_PANE,
                               KITA_PANE_Z,
                               LABEL_PANE,
                               LABEL_PANE_Z,
                               LABEL_PLATE,
                               LABEL_TEXT_COLOUR,
                               LEGEND_FOLD_BELOW,
                               LEGEND_PLATE,
                               MAP_BACKGROUND,
                               css_rgba,
                               map_css,
)
from geo.maps.viewport import label_points, zoom_to_fit

__all__ = [
    "CANVAS_ABOVE", "FIGURE_PALETTE", "FILL_OPACITY", "GEMEINDE_LABEL_ZOOM", "HIGHLIGHT_OPACITY", "KITA_COVERED",
    "KITA_PANE", "KITA_PANE_Z", "KITA_UNCOVERED", "LABEL_PANE", "LABEL_PANE_Z", "LABEL_PLATE", "LABEL_TEXT_COLOUR", "LEGEND_FOLD_BELOW", "LEGEND_PLATE",
    "MAP_BACKGROUND", "NO_STAFF_COLOUR", "OSM_COPYRIGHT", "OSM_URL", "SCHEMES", "ZOOMABLE_VIEWPORT", "DistrictMap",
    "FitOnAdd", "Fill", "KeyboardAccess", "add_kita_layer", "area_tooltip", "build_map", "classed_fill", "clicked_object",
    "coverage_fill", "css_rgba", "gesture_text", "hatch_defs", "hatch_id", "highlight_layer", "kita_legend",
    "kita_place", "kita_status", "label_points", "legend_html", "linked", "map_css", "scheme_label",
    "swatch_style", "zoom_to_fit",
]
