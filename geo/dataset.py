"""Everything the pages need, loaded once: reference layers, the store and the search index."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import layers
from geo.reference import boundary_credit
from geo.search import SearchIndex, build_index
from kita import constants
from kita.constants import ATTRIBUTION


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
    boundary_licence: str = "geonutzv"  # licence id from SOURCE.md: 'geonutzv' (shipped files) or 'dl-de/by-2-0'
    outside_plz: pd.DataFrame | None = None  # PLZ of other districts: plz, orte, kreis, kreisfrei, land

    @property
    def attribution(self) -> str:
        """'© GeoBasis-DE / BKG (2017)': the attribution the licence asks for."""
        year = self.boundary_stand[:4]
        return f"{ATTRIBUTION} ({year})" if year.isdigit() else ATTRIBUTION

    @property
    def credit(self) -> str:
        """Attribution, dataset, stand, licence with link and change note, for maps and exports (German)."""
        return self.credit_in("de")

    def credit_in(self, lang: str) -> str:
        """:attr:`credit` in the UI language ``lang`` (the map's attribution)."""
        return boundary_credit(self.attribution, self.boundary_stand, self.boundary_licence, lang)


def _source_field(label: str, directory: Path | None = None) -> str:
    """A field the boundary builder wrote into SOURCE.md ('' if unknown)."""
    source = (directory or constants.data_folder().boundaries) / "SOURCE.md"
    if not source.exists():
        return ""
    match = re.search(rf"{label}: *([^\n]+)", source.read_text(encoding="utf-8"))
    return match.group(1).strip() if match else ""


def boundary_stand(directory: Path | None = None) -> str:
    """The data stand written by the boundary builder into SOURCE.md ('' if unknown)."""
    return _source_field("Stand der Daten", directory)


def boundary_licence_id(directory: Path | None = None) -> str:
    """Licence id of the boundary files ('geonutzv' for the shipped VG250 extract of 2017)."""
    return _source_field("Lizenz-ID", directory) or "geonutzv"


def load_reference() -> Reference:
    reference_dir = constants.data_folder().reference
    ortsteile_file, outside_file = reference_dir / "ortsteile.csv", reference_dir / "orte_ausserhalb.csv"
    outside_plz_file = reference_dir / "plz_ausserhalb.csv"  # built by geo.build.plz_outside
    ortsteile = (
        pd.read_csv(ortsteile_file, dtype=str, keep_default_na=False)
        if ortsteile_file.exists()
        else pd.DataFrame(columns=["ortsteil", "gemeinde_rs", "gemeinde"])
    )
    return Reference(
        areas=layers.load_areas(),
        gemeinden=layers.load_gemeinden(),
        district=layers.load_district_outline(),
        plz=layers.load_plz(),
        ortsteile=ortsteile,
        outside=(
            pd.read_csv(outside_file, dtype=str, keep_default_na=False)
            if outside_file.exists()  # built by geo.build.outside
            else pd.DataFrame(columns=["name", "kreis", "kreisfrei", "land"])
        ),
        boundary_stand=boundary_stand(),
        kreise=layers.load_kreise(),
        boundary_licence=boundary_licence_id(),
        outside_plz=(pd.read_csv(outside_plz_file, dtype=str, keep_default_na=False)
                     if outside_plz_file.exists() else None),
    )


def search_examples(reference: Reference, kitas: pd.DataFrame, district=None) -> dict[str, str]:
    """``{ort1, ort2, plz}`` for the search field's hint ("z. B. Alzey-Dautenheim, Flonheim oder 55234"): from
    ``suchbeispiele`` in kreis.toml, else the two Gemeinden with the most Kitas and the first one's PLZ (a
    single-Gemeinde folder, e.g. a kreisfreie Stadt: its name and two of its PLZ)."""
    chosen = (district or constants.district()).search_examples
    if len(chosen) == 3:
        return dict(zip(("ort1", "ort2", "plz"), chosen))
    counts = kitas["gemeinde_rs"].value_counts()
    ranked = reference.gemeinden.assign(kitas=reference.gemeinden["gemeinde_rs"].map(counts).fillna(0))
    ranked = ranked.sort_values(["kitas", "gemeinde_rs"], ascending=[False, True])
    names = list(dict.fromkeys(ranked["gemeinde"]))[:2]
    codes = sorted(set(reference.plz.loc[reference.plz["gemeinde_rs"] == ranked["gemeinde_rs"].iloc[0], "plz"].astype(str)))
    if len(names) < 2 and len(codes) > 1:
        names.append(codes.pop())
    names += [""] * (2 - len(names))
    return {"ort1": names[0], "ort2": names[1], "plz": codes[0] if codes else ""}


def search_index(reference: Reference, kitas: pd.DataFrame) -> SearchIndex:
    return build_index(reference.gemeinden, reference.areas, reference.plz, kitas, reference.ortsteile,
                        reference.outside, reference.outside_plz)
