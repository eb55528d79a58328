"""The map put together: areas filled by coverage (or a classed figure), Kita points, labels, legend and
sources; the selection layer drawn over it; what a click on the map selected."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo import lightgeo
from geo.maps.classify import (
    FILL_OPACITY,
    HIGHLIGHT_OPACITY,
    KITA_COVERED,
    KITA_UNCOVERED,
    Fill,
    hatch_defs,
    hatch_id,
    kita_status,
    legend_html,
)
from geo.maps.plugins import (
    Attribution,
    DistrictMap,
    DocumentLanguage,
    FitOnAdd,
    KeyboardAccess,
    KitaTooltip,
    Labels,
    Legend,
    MetricScale,
    ZoomClass,
    linked,
)
from geo.maps.style import (
    CANVAS_ABOVE,
    GEMEINDE_LABEL_ZOOM,
    KITA_PANE,
    KITA_PANE_Z,
    LABEL_PANE,
    LABEL_PANE_Z,
    map_css,
)
from geo.maps.viewport import zoom_to_fit
from kita.constants import OUTPUT_CRS
from kita.coverage import CLASSES
from kita.i18n import N_, direction, text
from kita.text import esc, number

# folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template environment
# for all its elements. Jinja's documented ``json.dumps_kwargs`` policy there drops the spaces after ',' and
# ':' – a sixth of the parents' map component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.


OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"


# Leaflet.GestureHandling's hints (its own keys), per UI language.
GESTURE_TEXT = {"touch": N_("map_gesture_touch"), "scroll": N_("map_gesture_scroll"),
                "scrollMac": N_("map_gesture_scroll_mac")}


def gesture_text(lang: str = "de") -> dict[str, str]:
    return {key: text(message_id, lang) for key, message_id in GESTURE_TEXT.items()}


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


def kita_place(row) -> str:
    """'55234 Albig': the second line of a Kita's tooltip (plain text; the browser writes it as text)."""
    return f"{row['plz']} {row['ort']}".strip()


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
    the coordinators' pages) and reports clicks on areas and Kitas itself (:class:`KeyboardAccess`). Every text the map shows is in the UI language ``lang``; names of places and
    Kitas stay as they are, and the map itself stays left-to-right."""
    minx, miny, maxx, maxy = district.total_bounds
    fmap = DistrictMap(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=11,
        tiles=None,
        control_scale=False,  # folium's scale shows miles too: MetricScale below
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
    MetricScale().add_to(fmap)
    DocumentLanguage(lang).add_to(fmap)
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
        # Names in their own pane above the areas and below the Kita points and every tooltip (style.py).
        folium.map.CustomPane(LABEL_PANE, z_index=LABEL_PANE_Z, pointer_events=False).add_to(fmap)
        area_labels = [
            f"<div class='area-label' data-gebiet='{esc(row['gebiet_rs'])}'>{esc(row['gebiet'])}"
            f"<small lang='{esc(lang)}' dir='{direction(lang)}'>{esc(CLASSES[row['klasse']].title(lang))}"
            f"</small></div>"
            for _, row in frame.iterrows()
        ]
        Labels(frame.geometry, area_labels, LABEL_PANE).add_to(fmap)
        if gemeinde_labels and gemeinden is not None:
            names = [f"<div class='gemeinde-label'>{esc(name)}</div>" for name in gemeinden["gemeinde"]]
            Labels(gemeinden.geometry, names, LABEL_PANE).add_to(fmap)
            ZoomClass(GEMEINDE_LABEL_ZOOM).add_to(fmap)
    if kitas is not None and len(kitas):
        add_kita_layer(fmap, kitas, large, lang=lang)
    Legend(legend_html(fill, kitas is not None, lang)).add_to(fmap)
    KeyboardAccess(report_clicks=parents).add_to(fmap)  # the start page reads clicks from it, not streamlit-folium
    credit = f"{esc(text('boundaries', lang))}: {linked(boundary_attribution)}"
    Attribution(f"<span lang='{esc(lang)}' dir='{direction(lang)}'>{credit}</span>").add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def add_kita_layer(fmap: folium.Map, kitas: pd.DataFrame, large: bool = False, lang: str = "de") -> None:
    """Kitas as one GeoJSON point layer (a click returns the Kita's properties), every Kita its own point.

    No marker clusters: a district's hundred Kitas need none, a cluster's colour would say nothing about
    coverage, and clusters broke tooltips and threw errors on a click (Leaflet.markercluster with a GeoJSON
    layer inside). Filled dark = with Kita-Sozialarbeit, a light ring = without; the tooltip
    (:class:`KitaTooltip`) and the screen-reader label say it in words."""
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
    # Their own pane above the names (Leaflet gives it its own SVG or canvas): no name plate covers a point.
    folium.map.CustomPane(KITA_PANE, z_index=KITA_PANE_Z, pointer_events=True).add_to(fmap)
    point = folium.CircleMarker(radius=8 if large else 6, weight=2, fill=True, fill_opacity=1)
    point.options["pane"] = KITA_PANE  # Leaflet's option; folium's CircleMarker drops it as an argument
    layer = folium.GeoJson(
        lightgeo.feature_collection(points, digits=5),  # about 1 m: a Kita's own point
        name="Kitas",
        marker=point,
        style_function=lambda f: {
            "fillColor": KITA_COVERED if f["properties"]["versorgt"] else KITA_UNCOVERED,
            "color": "#ffffff" if f["properties"]["versorgt"] else "#1b1b1b",
        },
    )
    KitaTooltip(lang).add_to(layer)
    layer.add_to(fmap)


def highlight_layer(
    areas: gpd.GeoDataFrame, gemeinden: gpd.GeoDataFrame | None, kitas: pd.DataFrame | None, *, gebiet: str = "",
    gemeinde: str = "", kita: str = "", fit: bool = True, district_bounds=None,
) -> folium.FeatureGroup | None:
    """The selection drawn over the base map: the area's outline, the Gemeinde lightened and outlined, a ring
    around the Kita with the Gemeinde's name just above it; with ``fit`` the map fits the selection when the layer is added (any map width): an area or a
    Gemeinde whole, a Kita with its Gemeinde and its neighbours, whose names the base map shows at that zoom (a
    Kita alone on a blank map says nowhere).
    No selection: with ``district_bounds`` (minx, miny, maxx, maxy) an empty layer that fits the whole district,
    so a reset or Back to no selection shows the district again; None without them."""
    if not gebiet:
        if district_bounds is None or not fit:
            return None
        group = folium.FeatureGroup(name="selection")
        minx, miny, maxx, maxy = (float(v) for v in district_bounds)
        FitOnAdd([[miny, minx], [maxy, maxx]]).add_to(group)
        return group
    group = folium.FeatureGroup(name="selection")
    area = areas.loc[areas["gebiet_rs"] == gebiet, ["geometry"]]
    folium.GeoJson(
        lightgeo.feature_collection(area),
        style_function=lambda f: {"fill": False, "color": "#000000", "weight": 5 if not gemeinde else 3, "dashArray": None},
        interactive=False,
    ).add_to(group)
    bounds = area.total_bounds
    if gemeinde and gemeinden is not None:
        place = gemeinden.loc[gemeinden["gemeinde_rs"] == gemeinde, ["gemeinde", "geometry"]]
        folium.GeoJson(
            lightgeo.feature_collection(place[["geometry"]]),
            style_function=lambda f: {"fillColor": "#ffffff", "fillOpacity": 0.35, "color": "#000000", "weight": 4},
            interactive=False,
        ).add_to(group)
        if kita and len(place):  # the Gemeinde's name above the Kita's ring (the base map's own may lie under it)
            names = [f"<div class='gemeinde-label selected-label'>{esc(name)}</div>" for name in place["gemeinde"]]
            at = place.geometry
            if kitas is not None:  # at the Kita (a tiny disc: Labels places names at a polygon's inner point)
                row = kitas.set_index("id").loc[kita]
                at = gpd.GeoSeries([Point(float(row["lon"]), float(row["lat"])).buffer(1e-5)], crs=OUTPUT_CRS)
            Labels(at, names, LABEL_PANE).add_to(group)
        bounds = place.total_bounds
    if kita and kitas is not None:
        row = kitas.set_index("id").loc[kita]
        lat, lon = float(row["lat"]), float(row["lon"])
        for radius, colour, weight in ((13, "#ffffff", 6), (13, "#000000", 3)):
            ring = folium.CircleMarker([lat, lon], radius=radius, color=colour, weight=weight, fill=False,
                                       interactive=False)
            ring.options["pane"] = KITA_PANE  # above the Gemeinde's name, like the Kita's point
            ring.add_to(group)
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        # The Gemeinde with a margin of half its size (its neighbours' names show where it lies), at least about
        # 1 km around the Kita when the Gemeinde is small or unknown.
        pad_x, pad_y = max(0.015, (maxx - minx) / 2), max(0.01, (maxy - miny) / 2)
        bounds = (min(minx, lon) - pad_x, min(miny, lat) - pad_y, max(maxx, lon) + pad_x, max(maxy, lat) + pad_y)
    if fit:
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        FitOnAdd([[miny, minx], [maxy, maxx]]).add_to(group)
    return group


def clicked_object(returned: dict | None) -> tuple[str, str] | None:
    """('gebiet', key) or ('kita', id) from the map's ``last_active_drawing`` (st_folium's or the one
    :class:`KeyboardAccess` posts), else None."""
    feature = (returned or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    if props.get("typ") == "gebiet" and props.get("gebiet_rs"):
        return "gebiet", str(props["gebiet_rs"])
    if props.get("typ") == "kita" and props.get("id"):
        return "kita", str(props["id"])
    return None
