"""Everything the pages need, loaded once: reference layers, the store and the search index."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import layers
from geo.constants import ATTRIBUTION, BOUNDARY_DIR, DATA_DIR
from geo.search import SearchIndex, build_index
from geo.settings import Settings
from geo.store import Store

ORTSTEILE_FILE = DATA_DIR / "reference" / "ortsteile.csv"
OUTSIDE_FILE = DATA_DIR / "reference" / "orte_ausserhalb.csv"  # built by geo.build.outside


@dataclass
class Reference:
    """Read-only layers (EPSG:4326) and their provenance."""

    areas: gpd.GeoDataFrame
    gemeinden: gpd.GeoDataFrame
    district: gpd.GeoDataFrame
    plz: pd.DataFrame
    ortsteile: pd.DataFrame
    outside: pd.DataFrame  # places of other districts: name, kreis, kreisfrei, land
    boundary_stand: str  # e.g. '2017-03'
    kreise: gpd.GeoDataFrame | None = None  # a data folder spanning several Kreise (a Land): RS, GEN, BEZ

    @property
    def attribution(self) -> str:
        """'© GeoBasis-DE / BKG (2017)': the attribution the licence asks for."""
        year = self.boundary_stand[:4]
        return f"{ATTRIBUTION} ({year})" if year.isdigit() else ATTRIBUTION


def boundary_stand(directory=BOUNDARY_DIR) -> str:
    """The data stand written by the boundary builder into SOURCE.md ('' if unknown)."""
    source = directory / "SOURCE.md"
    if not source.exists():
        return ""
    match = re.search(r"Stand der Daten: *([^\n]+)", source.read_text(encoding="utf-8"))
    return match.group(1).strip() if match else ""


def load_reference() -> Reference:
    ortsteile = (
        pd.read_csv(ORTSTEILE_FILE, dtype=str, keep_default_na=False)
        if ORTSTEILE_FILE.exists()
        else pd.DataFrame(columns=["ortsteil", "gemeinde_rs", "gemeinde"])
    )
    return Reference(
        areas=layers.load_areas(),
        gemeinden=layers.load_gemeinden(),
        district=layers.load_district(),
        plz=layers.load_plz(),
        ortsteile=ortsteile,
        outside=(
            pd.read_csv(OUTSIDE_FILE, dtype=str, keep_default_na=False)
            if OUTSIDE_FILE.exists()
            else pd.DataFrame(columns=["name", "kreis", "kreisfrei", "land"])
        ),
        boundary_stand=boundary_stand(),
        kreise=layers.load_kreise(),
    )


def open_store(settings: Settings, reference: Reference) -> Store:
    return Store(settings.database_url, gemeinden=reference.gemeinden, read_only=settings.read_only)


def search_index(reference: Reference, kitas: pd.DataFrame) -> SearchIndex:
    return build_index(reference.gemeinden, reference.areas, reference.plz, kitas, reference.ortsteile,
                        reference.outside)
