"""Leaflet plugins as folium elements: labels, legend, sources, scale bar, keyboard access, Kita tooltips,
the map document's language, Gemeinde names by zoom, fitting a selection. Their scripts are the files in
``js/`` (Jinja macros as folium expects them); every text they carry is escaped or set as text."""

from __future__ import annotations

import re
from pathlib import Path

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.maps.classify import kita_status
from geo.maps.style import LEGEND_FOLD_BELOW
from geo.maps.viewport import label_points
from kita.i18n import direction
from kita.text import esc

_SCRIPTS = Path(__file__).with_name("js")


def plugin_template(file_name: str) -> Template:
    """The Jinja template of a plugin's script (``js/<file_name>``: a ``script`` macro, as folium renders it)."""
    return Template((_SCRIPTS / file_name).read_text(encoding="utf-8"))

# folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template environment
# for all its elements. Jinja's documented ``json.dumps_kwargs`` policy there drops the spaces after ',' and
# ':' – a sixth of the parents' map component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.


class Labels(MacroElement):
    """Name labels (pre-escaped HTML) as non-interactive DivIcon markers in one pane, added by one script.

    One element for all labels instead of a folium Marker + DivIcon each: folium compiles a template per
    element, which cost about half of a map's build time."""

    _template = plugin_template("labels.js")

    def __init__(self, geometries, htmls: list[str], pane: str):
        super().__init__()
        self._name = "Labels"
        points = label_points(geometries)
        self.labels = [[round(lat, 6), round(lon, 6), html] for (lat, lon), html in zip(points, htmls)]
        self.pane = pane


class Legend(MacroElement):
    """A Leaflet control with pre-escaped HTML content."""

    _template = plugin_template("legend.js")

    def __init__(self, html: str, position: str = "topright"):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position
        self.fold_below = LEGEND_FOLD_BELOW


# 'Label: https://…' where the label is the words since the last bracket or comma ('Datensatz', 'Veri seti');
# Unicode isolates (around values in right-to-left text) end a URL.
LINK_PATTERN = re.compile(r"([^\s(),:\u2066-\u2069][^(),:\u2066-\u2069]*): \u2068?(https://[^\s),\u2066-\u2069]+)\u2069?")


def linked(credit: str) -> str:
    """Escaped text in which 'Label: https://…' becomes a link named Label (licence text, dataset)."""
    parts, last = [], 0
    for match in LINK_PATTERN.finditer(credit):
        parts.append(esc(credit[last:match.start()]))
        parts.append(f'<a href="{esc(match.group(2))}" target="_blank" rel="noopener">{esc(match.group(1))}</a>')
        last = match.end()
    parts.append(esc(credit[last:]))
    return "".join(parts)


class Attribution(MacroElement):
    """The sources, bottom left above the scale bar: the long credit (two lines, three on a phone) would cover
    the scale bar if each had its own corner."""

    _template = plugin_template("attribution.js")

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only (Leaflet's default adds miles and feet)."""

    _template = plugin_template("metric_scale.js")

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class KeyboardAccess(MacroElement):
    """Areas and Kitas reachable with Tab and chosen with Enter or Space, named for screen readers; with
    ``report_clicks`` (the parents' map) every click on them is reported to the page at once.

    Each feature of a layer with a ``typ`` property gets ``tabindex=0``, ``role=button`` and its ``label``
    (name and coverage in words) as ``aria-label``; Enter/Space fires the same click (propagated to the GeoJSON
    layer, where streamlit-folium reports it as ``last_active_drawing``) as a mouse click would.

    ``report_clicks``: streamlit-folium sends its value only 250 ms after the last map event (one debounce in
    its frontend for clicks, pans and zooms), half of the 0.5 s a tap may take until the card shows. So the
    start page asks streamlit-folium for no value at all (``returned_objects=[]``: its value never changes, so
    it never sends, and pan or zoom cause no run) and the map posts the value itself in the click handler, with
    the message of Streamlit's component protocol (what streamlit-component-lib's ``setComponentValue`` posts
    to the page from the component's iframe, which streamlit-folium has announced as ready). One message per
    click or Enter/Space: one run. The value has the shape :func:`clicked_object` reads, plus ``klick`` (this
    map instance and a counter), so that a second click on the same spot, e.g. after "Auswahl aufheben", is a
    new value and opens the card again."""

    _template = plugin_template("keyboard_access.js")

    def __init__(self, report_clicks: bool = False):
        super().__init__()
        self._name = "KeyboardAccess"
        self.report_clicks = report_clicks


class KitaTooltip(MacroElement):
    """The Kitas' tooltip (name, PLZ and place, coverage in words), put together in the browser from each
    point's ``name`` and ``ort`` and the two status texts, which travel once per map instead of as HTML in
    every point (that HTML, escaped twice on its way, was a fifth of the parents' map). Text nodes only, so
    nothing in a name can become markup."""

    _template = plugin_template("kita_tooltip.js")

    def __init__(self, lang: str):
        super().__init__()
        self._name = "KitaTooltip"
        self.lang, self.dir = lang, direction(lang)
        self.texts = [kita_status(False, lang), kita_status(True, lang)]


class DocumentLanguage(MacroElement):
    """The map's document speaks the UI language (``<html lang>``) and stays left-to-right, also in Arabic:
    a map is not mirrored. In the app the map lives in its own iframe document; in an export it is the page."""

    _template = plugin_template("document_language.js")

    def __init__(self, lang: str):
        super().__init__()
        self._name = "DocumentLanguage"
        self.lang = lang


ZOOMABLE_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'


_FIXED_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


class DistrictMap(folium.Map):
    """folium's Map whose page may be zoomed: folium writes ``maximum-scale=1.0, user-scalable=no`` into the
    viewport, which forbids pinch-zoom of the text (WCAG 1.4.4); the map's own zoom is Leaflet's."""

    def render(self, **kwargs):
        super().render(**kwargs)
        header = self.get_root().header
        own = header._children.get(self.get_name())
        if own is not None:
            fixed = _FIXED_VIEWPORT.sub(ZOOMABLE_VIEWPORT, own.render())
            header.add_child(folium.Element(fixed), name=self.get_name())


class ZoomClass(MacroElement):
    """Adds the class ``zoom-gemeinden`` to the map container from ``min_zoom`` on: Gemeinde names appear
    (and area names give way) once the map is close enough for them to be read without overlapping."""

    _template = plugin_template("zoom_class.js")

    def __init__(self, min_zoom: float):
        super().__init__()
        self._name = "ZoomClass"
        self.min_zoom = min_zoom


class FitOnAdd(MacroElement):
    """Fit the map to ``bounds`` when the parent layer is added, at whatever size the map has then.

    streamlit-folium adds a ``feature_group_to_add`` anew only when it changes, so the map fits each new
    selection once (phone or desktop width alike) and the user can pan and zoom freely afterwards."""

    _template = plugin_template("fit_on_add.js")

    def __init__(self, bounds: list[list[float]], max_zoom: int = 15):
        super().__init__()
        self._name = "FitOnAdd"
        self.bounds = bounds
        self.max_zoom = max_zoom
