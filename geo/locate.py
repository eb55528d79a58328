"""'Where am I': the Gemeinde of the district that contains a point, or the district elsewhere it lies in.

Points are WGS84 degrees (EPSG:4326); distances are measured in EPSG:25832 (metres). The point comes from the
browser only when the user asks for it and is neither stored nor logged (see ui.location_button).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
from shapely.geometry import Point

from geo.layers import read_geojson
from kita import constants
from kita.constants import METRIC_CRS, OUTPUT_CRS

# The Gemeinden are simplified by 20 m: a point this close to the district still counts as inside.
EDGE_TOLERANCE_M = 100.0
# The German districts are simplified by 1 km: a point this close to one is taken as lying in it.
KREIS_TOLERANCE_M = 2000.0


@dataclass(frozen=True)
class Location:
    """Where a point lies: a Gemeinde of the district, another district ('Landkreis Bad Kreuznach'), or neither."""

    gemeinde_rs: str = ""
    gemeinde: str = ""
    kreis: str = ""  # the other district's name, for a point outside Alzey-Worms in Germany

    @property
    def inside(self) -> bool:
        return bool(self.gemeinde_rs)


def valid_point(lat, lon) -> bool:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def _metric_point(lat: float, lon: float) -> Point:
    return gpd.GeoSeries([Point(lon, lat)], crs=OUTPUT_CRS).to_crs(METRIC_CRS).iloc[0]


URBAN_KREIS_TYPES = {"Kreisfreie Stadt", "Stadtkreis"}
# Kreis names that already say what they are: 'Donnersbergkreis', 'Rhein-Kreis Neuss', 'Region Hannover', …
_SELF_NAMED_STARTS = ("region", "städteregion", "regionalverband")


def kreis_label(name: str, bez: str) -> str:
    """A Kreis as a sentence names it: 'Landkreis Bad Kreuznach', 'Kreis Soest', 'Stadt Worms' (a kreisfreie Stadt
    or a Stadtkreis), and a name that already says what it is as it is: 'Donnersbergkreis', 'Eifelkreis
    Bitburg-Prüm', 'Region Hannover', 'Städteregion Aachen', 'Regionalverband Saarbrücken'."""
    name, bez = str(name), str(bez)
    if bez in URBAN_KREIS_TYPES:
        town = name.split(",")[0]
        return town if town.startswith("Stadt") else f"Stadt {town}"
    lowered = name.lower()
    if "kreis" in lowered or lowered.startswith(_SELF_NAMED_STARTS) or lowered.startswith(bez.lower()):
        return name
    return f"{bez} {name}"


def kreis_name(bez: str, gen: str) -> str:
    """'Landkreis Bad Kreuznach', 'Stadt Worms (kreisfrei)', 'Kreis Bergstraße', 'Donnersbergkreis'."""
    label = kreis_label(gen, bez)
    return f"{label} (kreisfrei)" if str(bez) in URBAN_KREIS_TYPES else label


@lru_cache(maxsize=1)
def germany_kreise() -> gpd.GeoDataFrame:
    """Germany's districts (coarse, built by geo.build.kreise), in EPSG:25832."""
    return read_geojson(constants.data_folder().boundaries / "kreise_deutschland.geojson").to_crs(METRIC_CRS)


def locate(lat: float, lon: float, gemeinden: gpd.GeoDataFrame, kreise: gpd.GeoDataFrame | None = None
           ) -> Location:
    """The Gemeinde (``gemeinden``: EPSG:4326 with gemeinde_rs, gemeinde) containing the point; outside the
    district the German district it lies in (``kreise``: EPSG:25832 with RS, GEN, BEZ); else an empty Location.

    Raises ValueError for a point that is not a latitude/longitude pair.
    """
    if not valid_point(lat, lon):
        raise ValueError(f"Keine gültige Position: {lat!r}, {lon!r}")
    point = _metric_point(float(lat), float(lon))
    metric = gemeinden.to_crs(METRIC_CRS)
    distances = metric.geometry.distance(point)
    nearest = distances.idxmin()
    if distances[nearest] <= EDGE_TOLERANCE_M:
        row = gemeinden.loc[nearest]
        return Location(gemeinde_rs=str(row["gemeinde_rs"]), gemeinde=str(row["gemeinde"]))
    kreise = germany_kreise() if kreise is None else kreise
    own = str(gemeinden["gemeinde_rs"].iloc[0])[:5]
    others = kreise[kreise["RS"].astype(str) != own]
    distances = others.geometry.distance(point)
    if len(distances) and distances.min() <= KREIS_TOLERANCE_M:
        row = others.loc[distances.idxmin()]
        return Location(kreis=kreis_name(row["BEZ"], row["GEN"]))
    return Location()
