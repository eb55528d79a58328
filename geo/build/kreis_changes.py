"""Kreis mergers after the territorial state of the shipped VG250 files, applied when the Kreise layer
(``geo.build.kreise``) and the table of places outside the district (``geo.build.outside``) are built.

The VG250 extract in the npm package is dated 2017-03, but its Kreis level is older: it still has the Landkreis
Osterode am Harz (merged into the Landkreis Göttingen on 2016-11-01) and the kreisfreie Stadt Eisenach (in the
Wartburgkreis since 2021-07-01). Without this step "Mein Standort" in Osterode and a search for "Eisenach" would
name a Kreis that no longer exists. The changes are data (``data/reference/kreisaenderungen.csv``, one row per
old Kreis with source and date), so a later merger is one more row; a newer BKG download that already has the
new state is left as it is (no old key found, nothing changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kita import constants

COLUMNS = ["alt_rs", "alt_name", "neu_rs", "neu_name", "neu_bez", "ort_typ", "wirksam", "quelle", "url"]


def changes_file() -> Path:
    return constants.data_folder().root / "reference" / "kreisaenderungen.csv"


@dataclass(frozen=True)
class KreisChange:
    """One old Kreis (``alt_rs``) that is now part of ``neu_rs``. ``ort_typ``: what the old Kreis' name is today
    as a place in the new Kreis ('Stadt' for Osterode am Harz and Eisenach; '' when the name is the new Kreis')."""

    alt_rs: str
    alt_name: str
    neu_rs: str
    neu_name: str
    neu_bez: str
    ort_typ: str
    wirksam: str


def load(path: Path | None = None) -> list[KreisChange]:
    table = pd.read_csv(path or changes_file(), dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path or changes_file()}: Spalten fehlen: {', '.join(missing)}")
    return [KreisChange(**{field: row[field].strip() for field in KreisChange.__dataclass_fields__})
            for row in table.to_dict("records")]


def current_key(rs: str, changes: list[KreisChange]) -> str:
    """The Kreis key valid today for a (Kreis or Gemeinde) key of the old state: '03156…' → '03159'."""
    for change in changes:
        if rs[:5] == change.alt_rs:
            return change.neu_rs
    return rs[:5]


def apply_to_properties(kreise: list[dict], changes: list[KreisChange]) -> tuple[list[dict], list[dict]]:
    """(today's Kreise, former Kreise that are now a place): each Kreis as VG250 properties (RS, GEN, BEZ, …).

    A merged Kreis disappears; the Kreis it went into appears once with its new key, name and type; an old Kreis
    whose name is a place today (``ort_typ``) comes back in the second list with ``RS`` = its old key,
    ``BEZ`` = ``ort_typ`` and ``NEU_RS`` = the key of the Kreis it now belongs to."""
    by_old = {change.alt_rs: change for change in changes}
    current: dict[str, dict] = {}
    places = []
    for kreis in kreise:
        change = by_old.get(kreis["RS"])
        if change is None:
            current.setdefault(kreis["RS"], kreis)
            continue
        current[change.neu_rs] = {**kreis, "RS": change.neu_rs, "GEN": change.neu_name, "BEZ": change.neu_bez}
        if change.ort_typ:
            places.append({**kreis, "BEZ": change.ort_typ, "NEU_RS": change.neu_rs})
    return list(current.values()), places


def apply_to_layer(kreise: gpd.GeoDataFrame, changes: list[KreisChange]) -> gpd.GeoDataFrame:
    """The Kreise layer in today's state: each merged Kreis' land joined to the Kreis it went into."""
    kreise = kreise.copy()
    for change in changes:
        merged = kreise["RS"].isin([change.alt_rs, change.neu_rs])
        kreise.loc[merged, ["RS", "GEN", "BEZ"]] = [change.neu_rs, change.neu_name, change.neu_bez]
    return kreise.dissolve("RS", as_index=False)
