"""Where things go on the map, in metres and Web-Mercator zoom: label points inside polygons, the zoom
that fits a bounding box."""

from __future__ import annotations

import math

import geopandas as gpd
from shapely.ops import polylabel

from kita.constants import METRIC_CRS, OUTPUT_CRS

# folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template environment
# for all its elements. Jinja's documented ``json.dumps_kwargs`` policy there drops the spaces after ',' and
# ':' – a sixth of the parents' map component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.


def zoom_to_fit(bounds: tuple[float, float, float, float], width_px: int = 520, height_px: int = 540) -> float:
    """Web-Mercator zoom (quarter steps) at which lon/lat ``bounds`` (minx, miny, maxx, maxy) fit the map."""
    minx, miny, maxx, maxy = bounds

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width_px * 360 / (256 * max(maxx - minx, 1e-6)))
    zoom_y = math.log2(height_px * 2 * math.pi / (256 * max(merc(maxy) - merc(miny), 1e-9)))
    return math.floor(min(zoom_x, zoom_y, 16) * 4) / 4


def label_points(geometries) -> list[tuple[float, float]]:
    """(lat, lon) of a point well inside each polygon (pole of inaccessibility, computed in metres).

    One reprojection for all geometries: per geometry it cost more than drawing the whole map."""
    metric = gpd.GeoSeries(list(geometries), crs=OUTPUT_CRS).to_crs(METRIC_CRS)
    poles = [polylabel(max(getattr(g, "geoms", [g]), key=lambda part: part.area), tolerance=10) for g in metric]
    points = gpd.GeoSeries(poles, crs=METRIC_CRS).to_crs(OUTPUT_CRS)
    return [(point.y, point.x) for point in points]
