"""folium map building: areas filled by coverage (or a classed figure), Kita markers, labels,
legend and attribution. Every text that reaches HTML (tooltips, labels, legend) is escaped here.

The map content depends only on its inputs, so streamlit-folium keeps the same component
between reruns; the selected area is drawn by :func:`selection_layer` as a separate layer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from shapely.ops import polylabel

from geo import lightgeo
from kita.constants import METRIC_CRS, OUTPUT_CRS
from kita.coverage import CLASS_ORDER, CLASSES, NONE
from kita.i18n import N_, direction, text
from kita.text import esc, number

# folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template environment
# for all its elements. Jinja's documented ``json.dumps_kwargs`` policy there drops the spaces after ',' and
# ':' – a sixth of the parents' map component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.
folium.Map._template.environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"
# Sequential, colour-blind-safe palette for classed figures (ColorBrewer YlOrRd, 5 classes): darker = more need.
FIGURE_PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
NO_STAFF_COLOUR = "#49006a"  # dark purple: apart from every palette colour
KITA_COVERED, KITA_UNCOVERED = "#1b1b1b", "#ffffff"
LABEL_PANE = "gebietsnamen"
# Text on the map sits on a light plate, so it reads on every fill colour (tests compute the contrast ratio).
LABEL_TEXT_COLOUR = "#111111"
LABEL_PLATE = (255, 255, 255, 0.72)  # RGBA behind area and Gemeinde names: Kita points beneath stay visible
LEGEND_PLATE = (255, 255, 255, 0.94)
MAP_BACKGROUND = "#eef0f2"  # where no area is drawn (no tiles by default)
FILL_OPACITY, HIGHLIGHT_OPACITY = 0.8, 0.9
# Leaflet.GestureHandling's hints (its own keys), per UI language.
GESTURE_TEXT = {"touch": N_("map_gesture_touch"), "scroll": N_("map_gesture_scroll"),
                "scrollMac": N_("map_gesture_scroll_mac")}
SCHEMES = {
    "natural_breaks": N_("map_scheme_natural_breaks"),
    "quantiles": N_("map_scheme_quantiles"),
    "fixed": N_("map_scheme_fixed"),
}


def scheme_label(scheme: str, lang: str = "de") -> str:
    """The name of a classification scheme ('natürliche Brüche (Jenks)') in the UI language."""
    return text(SCHEMES[scheme], lang)


def gesture_text(lang: str = "de") -> dict[str, str]:
    return {key: text(message_id, lang) for key, message_id in GESTURE_TEXT.items()}


@dataclass
class Fill:
    """Fill colour per area key and the legend that explains it."""

    colours: dict[str, str]
    title: str
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    text_colours: dict[str, str] = field(default_factory=dict)
    # Colours drawn hatched (no staff at all), so that class differs from the others by more than colour,
    # also in greyscale print and for colour-blind readers; the legend swatch shows the same hatch.
    hatched: set[str] = field(default_factory=set)


def coverage_fill(coverage: pd.DataFrame, title: str | None = None, lang: str = "de") -> Fill:
    """Fill by coverage class (keine / unterversorgt / versorgt), with the count per class; ``title``
    defaults to the coverage legend's title in ``lang``."""
    counts = coverage["klasse"].value_counts()
    return Fill(
        colours={r.gebiet_rs: CLASSES[r.klasse].colour for r in coverage.itertuples()},
        text_colours={r.gebiet_rs: CLASSES[r.klasse].text_colour for r in coverage.itertuples()},
        title=text("map_legend_title", lang) if title is None else title,
        legend=[(CLASSES[k].colour, f"{CLASSES[k].title(lang)} ({number(counts.get(k, 0), 0, lang)})")
                for k in CLASS_ORDER],
        hatched={CLASSES[NONE].colour},
    )


def classed_fill(
    values: pd.Series, title: str, scheme: str = "natural_breaks", k: int = 4, bins: list[float] | None = None,
    digits: int = 0, lang: str = "de",
) -> Fill:
    """Fill by a continuous figure (index: area key) classed with mapclassify.

    Infinite values (no staff at all) get the darkest colour and their own legend entry.
    ``bins`` are the upper bounds for the ``fixed`` scheme.
    """
    import mapclassify  # here: it loads scipy and scikit-learn (~3 s, ~100 MB), which the parents' map never needs

    finite = values[values.abs() != float("inf")].astype(float)
    infinite = values.index.difference(finite.index)
    colours: dict[str, str] = {}
    legend: list[tuple[str, str]] = []
    if len(finite):
        k = max(1, min(k, finite.nunique(), len(FIGURE_PALETTE)))
        if scheme == "fixed":
            classifier = mapclassify.UserDefined(finite.to_numpy(), bins=sorted(bins or [finite.max()]))
        elif scheme == "quantiles":
            classifier = mapclassify.Quantiles(finite.to_numpy(), k=k)
        else:
            classifier = mapclassify.NaturalBreaks(finite.to_numpy(), k=k) if k > 1 else mapclassify.UserDefined(
                finite.to_numpy(), bins=[finite.max()]
            )
        n = len(classifier.bins)
        palette = FIGURE_PALETTE[-n:] if n <= len(FIGURE_PALETTE) else FIGURE_PALETTE
        for key, cls in zip(finite.index, classifier.yb):
            colours[key] = palette[min(cls, len(palette) - 1)]
        members = pd.Series(list(classifier.yb), index=finite.index)
        lower = finite.min()
        shown: set[tuple[str, str]] = set()
        for i, upper in enumerate(classifier.bins):
            in_class = finite[members == i]
            if in_class.empty:  # an empty class (repeated bounds, or a fixed bound above the data) says nothing
                lower = upper
                continue
            if scheme == "fixed":
                # Fixed bounds are the user's: the first class is "up to" its bound, whatever the data's minimum.
                label = (text("map_up_to", lang, value=number(upper, digits, lang)) if i == 0 or lower > upper
                         else f"{number(lower, digits, lang)} – {number(upper, digits, lang)}")
            else:  # the values the class holds; one value (or equal after rounding) is not a range
                low, high = number(in_class.min(), digits, lang), number(in_class.max(), digits, lang)
                label = low if low == high else f"{low} – {high}"
            colour = palette[min(i, len(palette) - 1)]
            if (colour, label) not in shown:
                legend.append((colour, label))
                shown.add((colour, label))
            lower = upper
    for key in infinite:
        colours[key] = NO_STAFF_COLOUR
    if len(infinite):
        legend.append((NO_STAFF_COLOUR, text("map_no_staff", lang)))
    text_colours = {key: ("#ffffff" if colour in FIGURE_PALETTE[3:] + [NO_STAFF_COLOUR] else "#000000")
                    for key, colour in colours.items()}
    return Fill(colours=colours, title=title, legend=legend, text_colours=text_colours, hatched={NO_STAFF_COLOUR})


def _text_box(html: str, lang: str) -> str:
    """Tooltip content in the language's direction (the map itself stays left-to-right)."""
    return f"<div lang='{esc(lang)}' dir='{direction(lang)}'>{html}</div>"


def area_tooltip(row, figures: bool = True, lang: str = "de") -> str:
    """'VG Eich / versorgt · 2,50 VZÄ · 12 Kitas'; without ``figures`` (the parents' map) name and class only.
    The class is named in words, so the map never tells it by colour alone."""
    name, klasse = f"<b>{esc(row['gebiet'])}</b>", esc(CLASSES[row["klasse"]].title(lang))
    if not figures:
        return _text_box(f"{name}<br>{klasse}", lang)
    details = text("map_area_figures", lang, vze=number(row["vze"], 2, lang), kitas=number(row["kitas"], 0, lang))
    return _text_box(f"{name}<br>{klasse} · {esc(details)}", lang)


def kita_status(covered: bool, lang: str = "de") -> str:
    return text("map_kita_covered", lang) if covered else text("map_kita_uncovered", lang)


def kita_place(row) -> str:
    """'55234 Albig': the second line of a Kita's tooltip (plain text; the browser writes it as text)."""
    return f"{row['plz']} {row['ort']}".strip()


def kita_legend(lang: str = "de") -> list[tuple[str, str]]:
    """The two Kita entries of the legend: (fill colour, label)."""
    return [(KITA_COVERED, text("map_legend_kita_covered", lang)),
            (KITA_UNCOVERED, text("map_legend_kita_uncovered", lang))]


def label_points(geometries) -> list[tuple[float, float]]:
    """(lat, lon) of a point well inside each polygon (pole of inaccessibility, computed in metres).

    One reprojection for all geometries: per geometry it cost more than drawing the whole map."""
    metric = gpd.GeoSeries(list(geometries), crs=OUTPUT_CRS).to_crs(METRIC_CRS)
    poles = [polylabel(max(getattr(g, "geoms", [g]), key=lambda part: part.area), tolerance=10) for g in metric]
    points = gpd.GeoSeries(poles, crs=METRIC_CRS).to_crs(OUTPUT_CRS)
    return [(point.y, point.x) for point in points]


class _Labels(MacroElement):
    """Name labels (pre-escaped HTML) as non-interactive DivIcon markers in one pane, added by one script.

    One element for all labels instead of a folium Marker + DivIcon each: folium compiles a template per
    element, which cost about half of a map's build time."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.labels|tojson }}.forEach(function(label) {
            L.marker([label[0], label[1]], {
                icon: L.divIcon({html: label[2], iconSize: [0, 0], className: 'empty'}),
                interactive: false, keyboard: false, pane: {{ this.pane|tojson }}
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, geometries, htmls: list[str], pane: str):
        super().__init__()
        self._name = "Labels"
        points = label_points(geometries)
        self.labels = [[round(lat, 6), round(lon, 6), html] for (lat, lon), html in zip(points, htmls)]
        self.pane = pane


class _Legend(MacroElement):
    """A Leaflet control with pre-escaped HTML content."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function() {
                var div = L.DomUtil.create('div', 'kita-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                // A phone's map is too narrow for the open legend: it starts folded to its title (a
                // disclosure: a tap, Enter or Space opens it); the area labels still name each class.
                var map = {{ this._parent.get_name() }};
                var folds = div.querySelector('details');
                if (folds && map.getSize().x < {{ this.fold_below }}) { folds.open = false; }
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

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


class _Attribution(MacroElement):
    """The sources, bottom left above the scale bar: the long credit (two lines, three on a phone) would cover
    the scale bar if each had its own corner."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {{ this._parent.get_name() }}.attributionControl.setPosition('bottomleft');
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


class _MetricScale(MacroElement):
    """A scale bar in metres and kilometres only (Leaflet's default adds miles and feet)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class _KeyboardAccess(MacroElement):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            {%- if this.report_clicks %}
            var instance = Math.random().toString(36).slice(2), count = 0;
            function report(layer) {
                var p = layer.feature.properties;
                count += 1;
                window.parent.postMessage({
                    isStreamlitMessage: true, type: 'streamlit:setComponentValue', dataType: 'json',
                    value: {last_active_drawing: {type: 'Feature', properties: {typ: p.typ, gebiet_rs: p.gebiet_rs || null,
                                                                                 id: p.id || null}},
                            klick: instance + '-' + count}
                }, '*');
            }
            {%- endif %}
            function wire() {
                map.eachLayer(function(layer) {
                    var p = layer.feature && layer.feature.properties;
                    if (!p || !p.typ) return;
                    {%- if this.report_clicks %}
                    if (!layer._reportsClicks) {  // also a layer drawn on a canvas (no element of its own)
                        layer._reportsClicks = true;
                        layer.on('click', function() { report(layer); });
                    }
                    {%- endif %}
                    var el = layer.getElement && layer.getElement();
                    if (!el || el.getAttribute('data-keyboard')) return;
                    el.setAttribute('data-keyboard', '1');
                    el.setAttribute('tabindex', '0');
                    el.setAttribute('role', 'button');
                    el.setAttribute('aria-label', p.label || (p.typ === 'kita' ? p.name : p.gebiet));
                    el.addEventListener('keydown', function(e) {
                        if (e.key !== 'Enter' && e.key !== ' ') return;
                        e.preventDefault();
                        var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
                        layer.fire('click', {latlng: at, originalEvent: e}, true);
                    });
                });
            }
            map.whenReady(wire);
            map.on('layeradd', function() { setTimeout(wire, 0); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, report_clicks: bool = False):
        super().__init__()
        self._name = "KeyboardAccess"
        self.report_clicks = report_clicks


class _KitaTooltip(MacroElement):
    """The Kitas' tooltip (name, PLZ and place, coverage in words), put together in the browser from each
    point's ``name`` and ``ort`` and the two status texts, which travel once per map instead of as HTML in
    every point (that HTML, escaped twice on its way, was a fifth of the parents' map). Text nodes only, so
    nothing in a name can become markup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(layer, texts, lang, dir) {
            layer.bindTooltip(function(item) {
                var p = item.feature.properties, box = document.createElement('div'), name = document.createElement('b');
                box.lang = lang;
                box.dir = dir;
                name.textContent = p.name;
                box.appendChild(name);
                [p.ort, texts[p.versorgt ? 1 : 0]].forEach(function(line) {
                    box.appendChild(document.createElement('br'));
                    box.appendChild(document.createTextNode(line));
                });
                return box;
            }, {sticky: true});
        })({{ this._parent.get_name() }}, {{ this.texts|tojson }}, {{ this.lang|tojson }}, {{ this.dir|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "KitaTooltip"
        self.lang, self.dir = lang, direction(lang)
        self.texts = [kita_status(False, lang), kita_status(True, lang)]


class _DocumentLanguage(MacroElement):
    """The map's document speaks the UI language (``<html lang>``) and stays left-to-right, also in Arabic:
    a map is not mirrored. In the app the map lives in its own iframe document; in an export it is the page."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            document.documentElement.lang = {{ this.lang|tojson }};
            document.documentElement.dir = 'ltr';
            var container = map.getContainer();
            container.setAttribute('lang', {{ this.lang|tojson }});
            container.setAttribute('dir', 'ltr');
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

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


def hatch_id(colour: str) -> str:
    """The id of the SVG pattern that draws ``colour`` hatched ('#d73027' → 'kita-hatch-d73027')."""
    return "kita-hatch-" + colour.lstrip("#").lower()


def hatch_defs(colours: set[str]) -> str:
    """An invisible SVG with one hatch pattern per colour: the colour crossed by white diagonal stripes. Leaflet
    paths in the same document fill with ``url(#id)``."""
    patterns = "".join(
        f"<pattern id='{hatch_id(c)}' patternUnits='userSpaceOnUse' width='9' height='9' "
        f"patternTransform='rotate(45)'><rect width='9' height='9' fill='{esc(c)}'/>"
        f"<rect width='3' height='9' fill='#ffffff'/></pattern>"
        for c in sorted(colours)
    )
    return (f"<svg aria-hidden='true' focusable='false' width='0' height='0' "
            f"style='position:absolute;width:0;height:0'><defs>{patterns}</defs></svg>")


def swatch_style(colour: str, hatched: bool) -> str:
    """CSS background of a legend box: the colour, hatched like the map where ``hatched``."""
    if not hatched:
        return f"background:{colour}"
    return f"background:repeating-linear-gradient(45deg,#ffffff 0 2px,{colour} 2px 6px)"


class _ZoomClass(MacroElement):
    """Adds the class ``zoom-gemeinden`` to the map container from ``min_zoom`` on: Gemeinde names appear
    (and area names give way) once the map is close enough for them to be read without overlapping."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            function toggle() {
                map.getContainer().classList.toggle('zoom-gemeinden', map.getZoom() >= {{ this.min_zoom }});
            }
            map.on('zoomend', toggle);
            map.whenReady(toggle);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, min_zoom: float):
        super().__init__()
        self._name = "ZoomClass"
        self.min_zoom = min_zoom


class _FitOnAdd(MacroElement):
    """Fit the map to ``bounds`` when the parent layer is added, at whatever size the map has then.

    streamlit-folium adds a ``feature_group_to_add`` anew only when it changes, so the map fits each new
    selection once (phone or desktop width alike) and the user can pan and zoom freely afterwards."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on('add', function(e) {
            var map = e.target._map;
            function fit() {
                // Keep the selection clear of the legend: beside it on a wide map, below it on a narrow one.
                var size = map.getSize(), topLeft = [16, 16], bottomRight = [16, 16];
                var legend = map.getContainer().querySelector('.kita-legend');
                if (legend && size.x > 2.2 * legend.offsetWidth) { bottomRight[0] = legend.offsetWidth + 24; }
                else if (legend) { topLeft[1] = legend.offsetHeight + 24; }
                map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: topLeft, paddingBottomRight: bottomRight,
                                                         maxZoom: {{ this.max_zoom }}, animate: false});
            }
            // On a first load (a shared link) the frame may have no height yet, and the base map may still be
            // animating its own fit (whose end would undo this one): wait for both.
            // (The base map's zoom animation starts in the next animation frame, so look after that frame.)
            function whenSettled() {
                if (map.getSize().y < 100) { map.once('resize', whenSettled); }
                else if (map._animatingZoom) { map.once('zoomend', whenSettled); }
                else { fit(); }
            }
            L.Util.requestAnimFrame(whenSettled);
        });
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], max_zoom: int = 15):
        super().__init__()
        self._name = "FitOnAdd"
        self.bounds = bounds
        self.max_zoom = max_zoom


LEGEND_FOLD_BELOW = 440  # map width in px under which the legend starts folded: phones (a 1280 px desktop has 476)
GEMEINDE_LABEL_ZOOM = 11  # a Verbandsgemeinde fitted to the map is about zoom 11–12.5
CANVAS_ABOVE = 600  # more Kitas than this are drawn on a canvas (a Land), fewer as SVG (keyboard-reachable)


def legend_html(fill: Fill, kitas: bool = True, lang: str = "de") -> str:
    """The legend's rows: title, one box per class with its name, the two kinds of Kita point; written in the
    language's direction (Arabic right-to-left, the map around it stays left-to-right)."""
    rows = []
    for colour, label in fill.legend:
        style = swatch_style(colour, colour in fill.hatched)
        rows.append(f"<div><span class='kl-box' style='{esc(style)}'></span>{esc(label)}</div>")
    if kitas:
        for colour, label in kita_legend(lang):
            rows.append(f"<div><span class='kl-dot' style='background:{colour}'></span>{esc(label)}</div>")
    # A disclosure, open: the map's script folds it on a phone-sized map (_Legend).
    return (f"<div lang='{esc(lang)}' dir='{direction(lang)}'><details open>"
            f"<summary class='kl-title'>{esc(fill.title)}</summary>{''.join(rows)}</details></div>")


def css_rgba(rgba: tuple[int, int, int, float]) -> str:
    return "rgba({},{},{},{})".format(*rgba)


def map_css(large: bool) -> str:
    label_size, legend_size = (20, 20) if large else (13, 14)
    plate = css_rgba(LABEL_PLATE)
    # Large maps (slides): a narrow legend (the title wraps) leaves the slide's map more room beside it.
    wide = ".kita-legend { max-width: 300px; line-height: 1.35; }" if large else ""
    return f"""<style>
    path.leaflet-interactive:focus {{ outline: none; }}
    path.leaflet-interactive:focus-visible {{ stroke: #1f5fa8; stroke-width: 5px; stroke-opacity: 1; }}
    .leaflet-container {{ background: {MAP_BACKGROUND}; font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; }}
    /* Names sit on a light plate: readable (contrast >= 4.5:1) on every fill colour and over Kita points. */
    .area-label {{ font-size: {label_size}px; font-weight: 700; color: {LABEL_TEXT_COLOUR}; white-space: nowrap;
        text-align: center; width: max-content; background: {plate}; padding: 1px 8px 3px; border-radius: 5px;
        box-shadow: 0 0 0 1px rgba(0,0,0,.25); transform: translate(-50%, -50%); pointer-events: none; }}
    .area-label small {{ display: block; font-weight: 400; font-size: {label_size - 2}px; }}
    {wide}
    .kita-legend {{ background: {css_rgba(LEGEND_PLATE)}; padding: 8px 10px; border-radius: 6px;
        font-size: {legend_size}px; line-height: 1.5; box-shadow: 0 1px 4px rgba(0,0,0,.3); color: {LABEL_TEXT_COLOUR}; }}
    .kita-legend .kl-title {{ font-weight: 700; margin-bottom: 2px; cursor: pointer; }}
    .kita-legend details:not([open]) .kl-title {{ margin-bottom: 0; }}
    .kita-legend .kl-title:focus-visible {{ outline: 3px solid #1f5fa8; outline-offset: 2px; }}
    .kita-legend .kl-box {{ display: inline-block; width: 1.1em; height: 1.1em; margin-inline-end: 6px; vertical-align: -2px;
        border: 1px solid #333; }}
    .kita-legend .kl-dot {{ display: inline-block; width: .8em; height: .8em; margin-inline: 3px 8px; border-radius: 50%;
        border: 2px solid #1b1b1b; vertical-align: -1px; }}
    .gemeinde-label {{ display: none; font-size: {label_size - 1}px; color: {LABEL_TEXT_COLOUR}; white-space: nowrap;
        width: max-content; background: {plate}; padding: 0 4px; border-radius: 3px;
        transform: translate(-50%, -50%); pointer-events: none; }}
    .zoom-gemeinden .gemeinde-label {{ display: block; }}
    .zoom-gemeinden .area-label {{ display: none; }}
    .leaflet-control-attribution {{ font-size: {12 if not large else 16}px; }}
    /* Leaflet draws the sources' links in light blue without underline: not told apart from the text
       without colour (WCAG 1.4.1, axe link-in-text-block) and too light on the credit's white. */
    .leaflet-control-attribution a {{ text-decoration: underline; color: #00527a; }}
    .leaflet-tooltip {{ font-size: {13 if not large else 18}px; }}
    @media (max-width: 520px) {{  /* phones: keep the legend from covering the map */
        .kita-legend {{ font-size: 11px; padding: 4px 6px; line-height: 1.35; }}
        .area-label {{ font-size: 11px; padding: 0 4px 1px; }} .area-label small {{ font-size: 10px; }}
    }}
    </style>"""


def build_map(
    areas: gpd.GeoDataFrame,
    coverage: pd.DataFrame,
    kitas: pd.DataFrame | None,
    district: gpd.GeoDataFrame,
    fill: Fill,
    *,
    gemeinden: gpd.GeoDataFrame | None = None,
    basemap: str = "none",
    basemap_attribution: str = "",
    boundary_attribution: str = "© GeoBasis-DE / BKG",
    large: bool = False,
    labels: bool = True,
    gemeinde_labels: bool = False,
    parents: bool = False,
    lang: str = "de",
) -> folium.Map:
    """The district map. ``coverage`` is a coverage_at() result; ``kitas`` a kita_coverage() result
    (or None to leave Kitas out). ``gemeinde_labels`` names the Gemeinden from zoom
    :data:`GEMEINDE_LABEL_ZOOM` on. ``parents`` leaves staff figures out of the area tooltips (they belong to
    the coordinators' pages) and reports clicks on areas and Kitas itself (:class:`_KeyboardAccess`). Every text the map shows is in the UI language ``lang``; names of places and
    Kitas stay as they are, and the map itself stays left-to-right."""
    minx, miny, maxx, maxy = district.total_bounds
    fmap = DistrictMap(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=11,
        tiles=None,
        control_scale=False,  # folium's scale shows miles too: _MetricScale below
        zoom_snap=0.25,
        # Many Kitas (a Land's data folder) are drawn on a canvas: thousands of SVG points would make the map slow.
        prefer_canvas=kitas is not None and len(kitas) > CANVAS_ABOVE,
    )
    fmap.options.update({
        "max_zoom": 18,
        # Out to a whole district; a Land (a larger data folder) may need less to fit, a phone one step more.
        "min_zoom": min(8, zoom_to_fit(tuple(district.total_bounds)) - 1),
        # Leaflet.GestureHandling (self-hosted): the page scrolls past the map; zoom with Ctrl/two fingers.
        "gesture_handling": True,
        "gesture_handling_options": {"text": gesture_text(lang), "duration": 1200},
    })
    _MetricScale().add_to(fmap)
    _DocumentLanguage(lang).add_to(fmap)
    if basemap == "osm":
        attribution = f'&copy; <a href="{OSM_COPYRIGHT}">{esc(text("map_osm_contributors", lang))}</a>'
        folium.TileLayer(OSM_URL, attr=attribution, name="OpenStreetMap", max_zoom=19, opacity=0.55).add_to(fmap)
    elif basemap not in ("", "none"):
        folium.TileLayer(basemap, attr=esc(basemap_attribution) or esc(text("map_basemap", lang)), name="basemap",
                         opacity=0.55).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(map_css(large)))
    if fill.hatched:
        fmap.get_root().html.add_child(folium.Element(hatch_defs(fill.hatched)), name="kita_hatches")

    frame = areas[["gebiet_rs", "geometry"]].merge(coverage, on="gebiet_rs")
    frame["typ"] = "gebiet"
    colours = frame["gebiet_rs"].map(fill.colours).fillna("#cccccc")
    frame["fill"] = colours
    # What the browser paints: the colour, or its hatch pattern (the export draws ``fill``).
    frame["paint"] = [f"url(#{hatch_id(c)})" if c in fill.hatched else c for c in colours]
    frame["label"] = [f"{row['gebiet']}: {CLASSES[row['klasse']].title(lang)}" for _, row in frame.iterrows()]
    frame["tooltip"] = [area_tooltip(row, figures=not parents, lang=lang) for _, row in frame.iterrows()]
    area_columns = ["gebiet_rs", "gebiet", "typ", "klasse", "fill", "paint", "label", "tooltip", "geometry"]
    folium.GeoJson(
        lightgeo.feature_collection(frame[area_columns]),
        name="Versorgungsgebiete",
        style_function=lambda f: {
            "fillColor": f["properties"]["paint"], "fillOpacity": FILL_OPACITY, "color": "#333333", "weight": 1.5,
        },
        highlight_function=lambda f: {"weight": 3.5, "color": "#000000", "fillOpacity": HIGHLIGHT_OPACITY},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=False),
    ).add_to(fmap)
    if gemeinden is not None:
        # Only the borders inside areas: the area polygons draw the rest (each border sent once).
        folium.GeoJson(
            lightgeo.feature_collection(lightgeo.inner_borders(gemeinden, areas)),
            name="Gemeindegrenzen",
            style_function=lambda f: {"fill": False, "color": "#555555", "weight": 0.6, "dashArray": "2 3"},
            interactive=False,
        ).add_to(fmap)
    folium.GeoJson(
        lightgeo.feature_collection(lightgeo.outline(district)),
        name="Kreisgrenze",
        style_function=lambda f: {"fill": False, "color": "#111111", "weight": 3},
        interactive=False,
    ).add_to(fmap)
    if labels:
        # Labels in their own pane above the markers, so Kita bubbles never hide an area's name.
        folium.map.CustomPane(LABEL_PANE, z_index=650, pointer_events=False).add_to(fmap)
        area_labels = [
            f"<div class='area-label' data-gebiet='{esc(row['gebiet_rs'])}'>{esc(row['gebiet'])}"
            f"<small lang='{esc(lang)}' dir='{direction(lang)}'>{esc(CLASSES[row['klasse']].title(lang))}"
            f"</small></div>"
            for _, row in frame.iterrows()
        ]
        _Labels(frame.geometry, area_labels, LABEL_PANE).add_to(fmap)
        if gemeinde_labels and gemeinden is not None:
            names = [f"<div class='gemeinde-label'>{esc(name)}</div>" for name in gemeinden["gemeinde"]]
            _Labels(gemeinden.geometry, names, LABEL_PANE).add_to(fmap)
            _ZoomClass(GEMEINDE_LABEL_ZOOM).add_to(fmap)
    if kitas is not None and len(kitas):
        add_kita_layer(fmap, kitas, large, lang=lang)
    _Legend(legend_html(fill, kitas is not None, lang)).add_to(fmap)
    _KeyboardAccess(report_clicks=parents).add_to(fmap)  # the start page reads clicks from it, not streamlit-folium
    credit = f"{esc(text('boundaries', lang))}: {linked(boundary_attribution)}"
    _Attribution(f"<span lang='{esc(lang)}' dir='{direction(lang)}'>{credit}</span>").add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def add_kita_layer(fmap: folium.Map, kitas: pd.DataFrame, large: bool = False, lang: str = "de") -> None:
    """Kitas as one GeoJSON point layer (a click returns the Kita's properties), every Kita its own point.

    No marker clusters: a district's hundred Kitas need none, a cluster's colour would say nothing about
    coverage, and clusters broke tooltips and threw errors on a click (Leaflet.markercluster with a GeoJSON
    layer inside). Filled dark = with Kita-Sozialarbeit, a light ring = without; the tooltip
    (:class:`_KitaTooltip`) and the screen-reader label say it in words."""
    points = gpd.GeoDataFrame(
        {
            "id": kitas["id"].astype(str),
            "typ": "kita",
            "name": kitas["name"].astype(str),
            "label": [f"{row['name']}: {kita_status(row['versorgt'], lang)}" for _, row in kitas.iterrows()],
            "versorgt": kitas["versorgt"].astype(bool),
            "ort": [kita_place(row) for _, row in kitas.iterrows()],
        },
        geometry=gpd.points_from_xy(kitas["lon"], kitas["lat"]),
        crs=OUTPUT_CRS,
    )
    layer = folium.GeoJson(
        lightgeo.feature_collection(points, digits=5),  # about 1 m: a Kita's own point
        name="Kitas",
        marker=folium.CircleMarker(radius=8 if large else 6, weight=2, fill=True, fill_opacity=1),
        style_function=lambda f: {
            "fillColor": KITA_COVERED if f["properties"]["versorgt"] else KITA_UNCOVERED,
            "color": "#ffffff" if f["properties"]["versorgt"] else "#1b1b1b",
        },
    )
    _KitaTooltip(lang).add_to(layer)
    layer.add_to(fmap)


def selection_layer(areas: gpd.GeoDataFrame, area_key: str | None) -> folium.FeatureGroup | None:
    """An outline of the selected area, added without rebuilding the base map."""
    if not area_key:
        return None
    return highlight_layer(areas, None, None, gebiet=area_key, fit=False)


def highlight_layer(
    areas: gpd.GeoDataFrame, gemeinden: gpd.GeoDataFrame | None, kitas: pd.DataFrame | None, *, gebiet: str = "",
    gemeinde: str = "", kita: str = "", fit: bool = True,
) -> folium.FeatureGroup | None:
    """The selection drawn over the base map: the area's outline, the Gemeinde lightened and outlined, a ring
    around the Kita; with ``fit`` the map fits the selection when the layer is added (any map width)."""
    if not gebiet:
        return None
    group = folium.FeatureGroup(name="selection")
    area = areas.loc[areas["gebiet_rs"] == gebiet, ["geometry"]]
    folium.GeoJson(
        lightgeo.feature_collection(area),
        style_function=lambda f: {"fill": False, "color": "#000000", "weight": 5 if not gemeinde else 3, "dashArray": None},
        interactive=False,
    ).add_to(group)
    bounds = area.total_bounds
    if gemeinde and gemeinden is not None:
        place = gemeinden.loc[gemeinden["gemeinde_rs"] == gemeinde, ["geometry"]]
        folium.GeoJson(
            lightgeo.feature_collection(place),
            style_function=lambda f: {"fillColor": "#ffffff", "fillOpacity": 0.35, "color": "#000000", "weight": 4},
            interactive=False,
        ).add_to(group)
        bounds = place.total_bounds
    if kita and kitas is not None:
        row = kitas.set_index("id").loc[kita]
        for radius, colour, weight in ((13, "#ffffff", 6), (13, "#000000", 3)):
            folium.CircleMarker([float(row["lat"]), float(row["lon"])], radius=radius, color=colour, weight=weight,
                                fill=False, interactive=False).add_to(group)
        pad = 0.004  # about 400 m around the Kita
        bounds = (float(row["lon"]) - pad, float(row["lat"]) - pad, float(row["lon"]) + pad, float(row["lat"]) + pad)
    if fit:
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        _FitOnAdd([[miny, minx], [maxy, maxx]]).add_to(group)
    return group


def clicked_object(returned: dict | None) -> tuple[str, str] | None:
    """('gebiet', key) or ('kita', id) from the map's ``last_active_drawing`` (st_folium's or the one
    :class:`_KeyboardAccess` posts), else None."""
    feature = (returned or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    if props.get("typ") == "gebiet" and props.get("gebiet_rs"):
        return "gebiet", str(props["gebiet_rs"])
    if props.get("typ") == "kita" and props.get("id"):
        return "kita", str(props["id"])
    return None


def zoom_to_fit(bounds: tuple[float, float, float, float], width_px: int = 520, height_px: int = 540) -> float:
    """Web-Mercator zoom (quarter steps) at which lon/lat ``bounds`` (minx, miny, maxx, maxy) fit the map."""
    minx, miny, maxx, maxy = bounds

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width_px * 360 / (256 * max(maxx - minx, 1e-6)))
    zoom_y = math.log2(height_px * 2 * math.pi / (256 * max(merc(maxy) - merc(miny), 1e-9)))
    return math.floor(min(zoom_x, zoom_y, 16) * 4) / 4


def view_for(
    areas: gpd.GeoDataFrame, gemeinden: gpd.GeoDataFrame, kitas: pd.DataFrame, gebiet: str = "", gemeinde: str = "",
    kita: str = "",
) -> tuple[tuple[float, float] | None, float | None]:
    """(center (lat, lon), zoom) that shows the whole selection; (None, None) keeps the user's view."""
    if kita:
        row = kitas.set_index("id").loc[kita]
        return (float(row["lat"]), float(row["lon"])), 14
    if gemeinde:
        geometry = gemeinden.set_index("gemeinde_rs").loc[gemeinde, "geometry"]
    elif gebiet:
        geometry = areas.set_index("gebiet_rs").loc[gebiet, "geometry"]
    else:
        return None, None
    minx, miny, maxx, maxy = geometry.bounds
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom_to_fit(geometry.bounds)
