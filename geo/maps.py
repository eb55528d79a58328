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
import mapclassify
import pandas as pd
from branca.element import MacroElement
from folium.plugins import MarkerCluster
from jinja2 import Template
from shapely.ops import polylabel

from geo import lightgeo
from geo.constants import METRIC_CRS, OUTPUT_CRS
from geo.coverage import CLASS_ORDER, CLASSES
from geo.text import esc, number

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
# Sequential, colour-blind-safe palette for classed figures (ColorBrewer YlOrRd, 5 classes): darker = more need.
FIGURE_PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
NO_STAFF_COLOUR = "#49006a"  # dark purple: apart from every palette colour
KITA_COVERED, KITA_UNCOVERED = "#1b1b1b", "#ffffff"
LABEL_PANE = "gebietsnamen"
GESTURE_TEXT = {
    "touch": "Karte mit zwei Fingern verschieben",
    "scroll": "Zum Zoomen Strg + Mausrad verwenden",
    "scrollMac": "Zum Zoomen \u2318 + Mausrad verwenden",
}
SCHEMES = {
    "natural_breaks": "natürliche Brüche (Jenks)",
    "quantiles": "Quantile",
    "fixed": "feste Schwellen",
}


@dataclass
class Fill:
    """Fill colour per area key and the legend that explains it."""

    colours: dict[str, str]
    title: str
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    text_colours: dict[str, str] = field(default_factory=dict)


def coverage_fill(coverage: pd.DataFrame, title: str = "Versorgung mit Kita-Sozialarbeit") -> Fill:
    """Fill by coverage class (keine / unterversorgt / versorgt), with the count per class."""
    counts = coverage["klasse"].value_counts()
    return Fill(
        colours={r.gebiet_rs: CLASSES[r.klasse].colour for r in coverage.itertuples()},
        text_colours={r.gebiet_rs: CLASSES[r.klasse].text_colour for r in coverage.itertuples()},
        title=title,
        legend=[(CLASSES[k].colour, f"{CLASSES[k].label} ({counts.get(k, 0)})") for k in CLASS_ORDER],
    )


def classed_fill(
    values: pd.Series, title: str, scheme: str = "natural_breaks", k: int = 4, bins: list[float] | None = None,
    digits: int = 0,
) -> Fill:
    """Fill by a continuous figure (index: area key) classed with mapclassify.

    Infinite values (no staff at all) get the darkest colour and their own legend entry.
    ``bins`` are the upper bounds for the ``fixed`` scheme.
    """
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
                label = (f"bis {number(upper, digits)}" if i == 0 or lower > upper
                         else f"{number(lower, digits)} – {number(upper, digits)}")
            else:  # the values the class holds; one value (or equal after rounding) is not a range
                low, high = number(in_class.min(), digits), number(in_class.max(), digits)
                label = low if low == high else f"{low} – {high}"
            colour = palette[min(i, len(palette) - 1)]
            if (colour, label) not in shown:
                legend.append((colour, label))
                shown.add((colour, label))
            lower = upper
    for key in infinite:
        colours[key] = NO_STAFF_COLOUR
    if len(infinite):
        legend.append((NO_STAFF_COLOUR, "keine Fachkraft im Gebiet"))
    text_colours = {key: ("#ffffff" if colour in FIGURE_PALETTE[3:] + [NO_STAFF_COLOUR] else "#000000")
                    for key, colour in colours.items()}
    return Fill(colours=colours, title=title, legend=legend, text_colours=text_colours)


def area_tooltip(row, figures: bool = True) -> str:
    """'VG Eich / versorgt · 2,50 VZÄ · 12 Kitas'; without ``figures`` (the parents' map) name and class only."""
    if not figures:
        return f"<b>{esc(row['gebiet'])}</b><br>{esc(row['klasse_label'])}"
    return (
        f"<b>{esc(row['gebiet'])}</b><br>{esc(row['klasse_label'])} · {esc(number(row['vze'], 2))} VZÄ · "
        f"{esc(row['kitas'])} Kitas"
    )


def kita_tooltip(row) -> str:
    status = "von Kita-Sozialarbeit betreut" if row["versorgt"] else "derzeit ohne Kita-Sozialarbeit"
    place = f"{row['plz']} {row['ort']}".strip()
    return f"<b>{esc(row['name'])}</b><br>{esc(place)}<br>{esc(status)}"


def label_point(geometry) -> tuple[float, float]:
    """(lat, lon) of a point well inside a polygon (pole of inaccessibility, computed in metres)."""
    metric = gpd.GeoSeries([geometry], crs=OUTPUT_CRS).to_crs(METRIC_CRS).iloc[0]
    part = max(getattr(metric, "geoms", [metric]), key=lambda g: g.area)
    point = gpd.GeoSeries([polylabel(part, tolerance=10)], crs=METRIC_CRS).to_crs(OUTPUT_CRS).iloc[0]
    return point.y, point.x


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


LINK_PATTERN = re.compile(r"(\w+): (https://[^\s),]+)")


def linked(text: str) -> str:
    """Escaped text in which 'Label: https://…' becomes a link named Label (licence text, dataset)."""
    parts, last = [], 0
    for match in LINK_PATTERN.finditer(text):
        parts.append(esc(text[last:match.start()]))
        parts.append(f'<a href="{esc(match.group(2))}" target="_blank" rel="noopener">{esc(match.group(1))}</a>')
        last = match.end()
    parts.append(esc(text[last:]))
    return "".join(parts)


class _Attribution(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
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


class _IconPath(MacroElement):
    """Leaflet's default marker images from the same self-hosted folder as leaflet.css.

    folium creates a default marker before swapping in a DivIcon (area labels); without this,
    Leaflet guesses a wrong image path and the browser logs 404s.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.prototype.options.imagePath = {{ this.path|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "IconPath"
        css = dict(folium.Map.default_css).get("leaflet_css", "")
        self.path = css.rsplit("/", 1)[0] + "/images/" if "/" in css else ""


class _KeyboardAccess(MacroElement):
    """Areas and Kitas reachable with Tab and chosen with Enter or Space, named for screen readers.

    Each feature of a layer with a ``typ`` property gets ``tabindex=0``, ``role=button`` and its name as
    ``aria-label``; Enter/Space fires the same click (propagated to the GeoJSON layer, where streamlit-folium
    reports it as ``last_active_drawing``) as a mouse click would."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            function wire() {
                map.eachLayer(function(layer) {
                    var p = layer.feature && layer.feature.properties;
                    if (!p || !p.typ || !layer.getElement) return;
                    var el = layer.getElement();
                    if (!el || el.getAttribute('data-keyboard')) return;
                    el.setAttribute('data-keyboard', '1');
                    el.setAttribute('tabindex', '0');
                    el.setAttribute('role', 'button');
                    el.setAttribute('aria-label', p.typ === 'kita' ? p.name : p.gebiet);
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

    def __init__(self):
        super().__init__()
        self._name = "KeyboardAccess"


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


GEMEINDE_LABEL_ZOOM = 11  # a Verbandsgemeinde fitted to the map is about zoom 11–12.5


def legend_html(fill: Fill, kitas: bool = True) -> str:
    rows = [f"<div class='kl-title'>{esc(fill.title)}</div>"]
    for colour, label in fill.legend:
        rows.append(f"<div><span class='kl-box' style='background:{esc(colour)}'></span>{esc(label)}</div>")
    if kitas:
        rows.append(f"<div><span class='kl-dot' style='background:{KITA_COVERED}'></span>Kita mit Kita-Sozialarbeit</div>")
        rows.append(f"<div><span class='kl-dot' style='background:{KITA_UNCOVERED}'></span>Kita ohne Kita-Sozialarbeit</div>")
    return "".join(rows)


def map_css(large: bool) -> str:
    label_size, legend_size, cluster = (20, 20, 34) if large else (13, 14, 24)
    # Large maps (slides): a light plate behind each area name, so Kita bubbles beneath never make it unreadable.
    plate = (".area-label { width: max-content; background: rgba(255,255,255,.85); padding: 1px 8px 3px; "
             "border-radius: 5px; box-shadow: 0 0 0 1px rgba(0,0,0,.25); } "
             # a narrow legend (the title wraps) leaves the slide's map more room beside it
             ".kita-legend { max-width: 300px; line-height: 1.35; }") if large else ""
    return f"""<style>
    path.leaflet-interactive:focus {{ outline: none; }}
    path.leaflet-interactive:focus-visible {{ stroke: #1f5fa8; stroke-width: 5px; stroke-opacity: 1; }}
    .leaflet-container {{ background: #eef0f2; font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; }}
    .area-label {{ font-size: {label_size}px; font-weight: 700; color: #111; white-space: nowrap; text-align: center;
        transform: translate(-50%, -50%); text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 5px #fff; pointer-events: none; }}
    .area-label small {{ display: block; font-weight: 400; font-size: {label_size - 2}px; }}
    {plate}
    .kita-legend {{ background: rgba(255,255,255,.94); padding: 8px 10px; border-radius: 6px; font-size: {legend_size}px;
        line-height: 1.5; box-shadow: 0 1px 4px rgba(0,0,0,.3); color: #111; }}
    .kita-legend .kl-title {{ font-weight: 700; margin-bottom: 2px; }}
    .kita-legend .kl-box {{ display: inline-block; width: 1.1em; height: 1.1em; margin-right: 6px; vertical-align: -2px;
        border: 1px solid #333; }}
    .kita-legend .kl-dot {{ display: inline-block; width: .8em; height: .8em; margin: 0 8px 0 3px; border-radius: 50%;
        border: 2px solid #1b1b1b; vertical-align: -1px; }}
    .kita-cluster div {{ width: {cluster}px; height: {cluster}px; border-radius: 50%; background: #1b1b1b; color: #fff;
        border: 2px solid #fff; font-weight: 700; font-size: {cluster // 2}px; line-height: {cluster - 4}px;
        text-align: center; box-sizing: border-box; box-shadow: 0 0 0 1px #1b1b1b; }}
    .gemeinde-label {{ display: none; font-size: {label_size - 1}px; color: #111; white-space: nowrap;
        transform: translate(-50%, -50%); text-shadow: 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; pointer-events: none; }}
    .zoom-gemeinden .gemeinde-label {{ display: block; }}
    .zoom-gemeinden .area-label {{ display: none; }}
    .leaflet-control-attribution {{ font-size: {12 if not large else 16}px; }}
    .leaflet-tooltip {{ font-size: {13 if not large else 18}px; }}
    @media (max-width: 520px) {{  /* phones: keep the legend from covering the map */
        .kita-legend {{ font-size: 11px; padding: 4px 6px; line-height: 1.35; }}
        .area-label {{ font-size: 11px; }} .area-label small {{ display: none; }}
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
    kita_clusters: bool = True,
    parents: bool = False,
) -> folium.Map:
    """The district map. ``coverage`` is a coverage_at() result; ``kitas`` a kita_coverage() result
    (or None to leave Kitas out). ``gemeinde_labels`` names the Gemeinden from zoom
    :data:`GEMEINDE_LABEL_ZOOM` on; ``kita_clusters=False`` draws every Kita as its own point (the parents'
    map: 89 points need no clustering, and a cluster's colour would say nothing about coverage). ``parents``
    leaves staff figures out of the area tooltips (they belong to the coordinators' pages)."""
    minx, miny, maxx, maxy = district.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=11,
        tiles=None,
        control_scale=False,  # folium's scale shows miles too: _MetricScale below
        zoom_snap=0.25,
    )
    # folium passes max/min zoom only to tile layers; MarkerCluster needs them on the map itself.
    fmap.options.update({
        "max_zoom": 18,
        "min_zoom": 8,
        # Leaflet.GestureHandling (self-hosted): the page scrolls past the map; zoom with Ctrl/two fingers.
        "gesture_handling": True,
        "gesture_handling_options": {"text": GESTURE_TEXT, "duration": 1200},
    })
    _IconPath().add_to(fmap)
    _MetricScale().add_to(fmap)
    if basemap == "osm":
        folium.TileLayer(OSM_URL, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19, opacity=0.55).add_to(fmap)
    elif basemap not in ("", "none"):
        folium.TileLayer(basemap, attr=esc(basemap_attribution) or "Hintergrundkarte", name="Hintergrund", opacity=0.55).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(map_css(large)))

    frame = areas[["gebiet_rs", "geometry"]].merge(coverage, on="gebiet_rs")
    frame["typ"] = "gebiet"
    frame["fill"] = frame["gebiet_rs"].map(fill.colours).fillna("#cccccc")
    frame["tooltip"] = [area_tooltip(row, figures=not parents) for _, row in frame.iterrows()]
    area_columns = ["gebiet_rs", "gebiet", "typ", "klasse", "fill", "tooltip", "geometry"]
    folium.GeoJson(
        lightgeo.feature_collection(frame[area_columns]),
        name="Versorgungsgebiete",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"], "fillOpacity": 0.8, "color": "#333333", "weight": 1.5,
        },
        highlight_function=lambda f: {"weight": 3.5, "color": "#000000", "fillOpacity": 0.9},
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
        for _, row in frame.iterrows():
            lat, lon = label_point(row.geometry)
            html = (f"<div class='area-label' data-gebiet='{esc(row['gebiet_rs'])}'>{esc(row['gebiet'])}"
                    f"<small>{esc(row['klasse_label'])}</small></div>")
            folium.Marker(
                [lat, lon], icon=folium.DivIcon(html=html, icon_size=(0, 0)), interactive=False, keyboard=False,
                pane=LABEL_PANE,
            ).add_to(fmap)
        if gemeinde_labels and gemeinden is not None:
            for _, row in gemeinden.iterrows():
                lat, lon = label_point(row.geometry)
                folium.Marker(
                    [lat, lon], icon=folium.DivIcon(html=f"<div class='gemeinde-label'>{esc(row['gemeinde'])}</div>",
                                                    icon_size=(0, 0)),
                    interactive=False, keyboard=False, pane=LABEL_PANE,
                ).add_to(fmap)
            _ZoomClass(GEMEINDE_LABEL_ZOOM).add_to(fmap)
    if kitas is not None and len(kitas):
        add_kita_layer(fmap, kitas, large, clustered=kita_clusters)
    _Legend(legend_html(fill, kitas is not None)).add_to(fmap)
    _KeyboardAccess().add_to(fmap)
    _Attribution(f"Grenzen: {linked(boundary_attribution)}").add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def add_kita_layer(fmap: folium.Map, kitas: pd.DataFrame, large: bool = False, clustered: bool = True) -> None:
    """Kitas as one GeoJSON point layer (a click returns the Kita's properties), inside a marker cluster
    unless ``clustered`` is False."""
    points = gpd.GeoDataFrame(
        {
            "id": kitas["id"].astype(str),
            "typ": "kita",
            "name": kitas["name"].astype(str),  # the marker's aria-label (keyboard and screen readers)
            "versorgt": kitas["versorgt"].astype(bool),
            "tooltip": [kita_tooltip(row) for _, row in kitas.iterrows()],
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
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    )
    if not clustered:
        layer.add_to(fmap)
        return
    size = 34 if large else 24
    cluster = MarkerCluster(
        name="Kitas",
        options={"maxClusterRadius": 22, "disableClusteringAtZoom": 12, "showCoverageOnHover": False},
        # A small neutral bubble with the count, so crowded Kitas do not hide the area colours.
        icon_create_function=(
            "function(cluster) { return L.divIcon({html: '<div>' + cluster.getChildCount() + '</div>', "
            f"className: 'kita-cluster', iconSize: L.point({size}, {size})}}); }}"
        ),
    ).add_to(fmap)
    layer.add_to(cluster)


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
    group = folium.FeatureGroup(name="Auswahl")
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
    """('gebiet', key) or ('kita', id) from st_folium's ``last_active_drawing``, else None."""
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
