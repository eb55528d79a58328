"""The naive reference map the benchmark compares the app with (run by ``bench/bench_map.py``, not by people).

Built the way a first folium + streamlit-folium page usually is, independent of this project's code:
areas read from a GeoJSON file on every run (the benchmark passes full-resolution VG250 when it has
the npm package, else the shipped geometry), one ``CircleMarker`` with a ``Popup`` per Kita, ``st_folium``
with its default ``returned_objects``, and a card from the clicked object. No caching, no fragments.
Leaflet comes from the same self-hosted files as the app (the benchmark copies them to ``bench/static/``)
so that it runs offline.
"""

import html
import os

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

PREFIX = "../../app/static"
folium.Map.default_js = [("leaflet", f"{PREFIX}/vendor/leaflet.js"), ("jquery", f"{PREFIX}/dollar.js")]
folium.Map.default_css = [("leaflet_css", f"{PREFIX}/vendor/leaflet.css")]

st.set_page_config(layout="wide")
st.title("Kita-Sozialarbeit")
areas = gpd.read_file(os.environ["NAIVE_AREAS"])
kitas = pd.read_csv(os.environ["NAIVE_KITAS"], dtype={"id": str, "plz": str})
minx, miny, maxx, maxy = areas.total_bounds
fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10, tiles=None)
folium.GeoJson(
    areas, name="Gebiete", tooltip=folium.GeoJsonTooltip(fields=["GEN"]),
    style_function=lambda f: {"fillColor": "#4575b4", "color": "#333", "weight": 1.5, "fillOpacity": 0.6},
).add_to(fmap)
for kita in kitas.itertuples():
    folium.CircleMarker(
        [kita.lat, kita.lon], radius=6, fill=True,
        popup=folium.Popup(f"<b>{html.escape(kita.name)}</b><br>{html.escape(str(kita.plz))} {html.escape(kita.ort)}"),
        tooltip=html.escape(kita.name),
    ).add_to(fmap)
fmap.fit_bounds([[miny, minx], [maxy, maxx]])

left, right = st.columns([3, 2])
with left:
    returned = st_folium(fmap, height=580, use_container_width=True)
with right:
    clicked = (returned or {}).get("last_object_clicked") or {}
    drawing = (returned or {}).get("last_active_drawing") or {}
    if clicked and "lat" in clicked:
        near = kitas[(kitas["lat"].sub(clicked["lat"]).abs() < 1e-6) & (kitas["lon"].sub(clicked["lng"]).abs() < 1e-6)]
        if len(near):
            st.subheader(near.iloc[0]["name"])
        elif drawing.get("properties"):
            st.subheader(drawing["properties"]["GEN"])
    elif drawing.get("properties"):
        st.subheader(drawing["properties"]["GEN"])
