"""Light geometry for the browser: every border sent once, coordinates quantised, no per-feature bbox.

The boundary files are simplified at 20 m (see geo/build/boundaries.py); 4 decimals of a degree are
about 7 m east-west and 11 m north-south here, below that tolerance, so rounding changes nothing visible.
Areas are dissolved from the same simplified Gemeinden, so their shared borders have identical vertices and
the Gemeinde borders inside an area can be found exactly (``inner_borders``).
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

from kita.constants import METRIC_CRS, OUTPUT_CRS

DIGITS = 4  # decimals of a degree kept for the browser (EPSG:4326)
OVERVIEW_DIGITS = 3  # a Land overview: about 110 m north-south, 70 m east-west, below its 150 m tolerance


def quantised(frame: gpd.GeoDataFrame, digits: int = DIGITS) -> gpd.GeoDataFrame:
    """A copy with coordinates rounded to ``digits`` decimals and repeated vertices dropped."""
    light = frame.copy()
    rounded = shapely.transform(light.geometry.to_numpy(), lambda coords: np.round(coords, digits))
    light["geometry"] = shapely.remove_repeated_points(rounded)
    return light


def feature_collection(frame: gpd.GeoDataFrame, digits: int = DIGITS) -> dict:
    """GeoJSON (dict) of ``frame`` for folium: quantised, without bounding boxes and feature ids."""
    return json.loads(quantised(frame, digits).to_json(drop_id=True, show_bbox=False))


def inner_borders(gemeinden: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The Gemeinde borders that are not area borders, as one merged line layer (EPSG:4326).

    The area polygons already draw their own outlines; sending every Gemeinde polygon as well would send
    each of those borders two or three times more.
    """
    gemeinde_lines = gemeinden.boundary.union_all()
    area_lines = areas.boundary.union_all()
    inner = shapely.line_merge(shapely.difference(gemeinde_lines, area_lines))
    return gpd.GeoDataFrame(geometry=[inner], crs=OUTPUT_CRS)


def outline(district: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The district's outline as a line layer (its fill is never drawn)."""
    return gpd.GeoDataFrame(geometry=[shapely.line_merge(district.boundary.union_all())], crs=OUTPUT_CRS)


def overview_areas(areas: gpd.GeoDataFrame, tolerance_m: float = 150.0) -> gpd.GeoDataFrame:
    """Areas simplified together (shared borders stay shared) for a whole-Land overview, where one screen
    pixel is about 150 m: the 20 m detail would only cost bytes. Tolerance in metres (EPSG:25832).
    Coordinates are rounded to :data:`OVERVIEW_DIGITS` (shared borders round alike, so none opens)."""
    metric = areas.to_crs(METRIC_CRS)
    metric["geometry"] = metric.geometry.simplify_coverage(tolerance_m)
    return quantised(metric.to_crs(OUTPUT_CRS), OVERVIEW_DIGITS)


def overview_kreise(overview: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The Kreise (key = first 5 digits of ``gebiet_rs``) dissolved from the overview's areas: their outlines
    lie exactly on the area borders and are as light. The Kreise's own 20 m borders would send more vertices
    than all areas together."""
    kreise = overview.assign(RS=overview["gebiet_rs"].str[:5]).dissolve(by="RS", as_index=False)
    return kreise[["RS", "geometry"]]
