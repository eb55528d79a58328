"""The coverage rule ("Versorgung") — the one place that decides how well an area is covered.

At a date ``stand``, per Versorgungsgebiet:
  * VZÄ (FTE) = sum of the FTE of the positions active at ``stand``
    (active: ``beginn <= stand`` and (no ``ende`` or ``stand <= ende``), both days inclusive);
  * Kitas and Kita children of the area; Kitas per VZÄ and children per VZÄ;
  * class: **keine Versorgung** if VZÄ = 0, **unterversorgt** if children per VZÄ is above the
    threshold (``max_kinder_pro_vze`` in kita.toml), otherwise **versorgt**.
A Kita is covered when an active position serves it (a position with an empty Kita list serves
every Kita of its area). "Before / after summer 2024" is the same rule at two dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.text import number

NONE, UNDER, COVERED = "keine", "unter", "versorgt"


@dataclass(frozen=True)
class CoverageClass:
    key: str
    label: str
    label_en: str
    colour: str  # fill colour; ColorBrewer RdYlBu, colour-blind safe and readable in greyscale
    text_colour: str
    badge: str  # Streamlit markdown colour name for the status badge


CLASSES = {
    NONE: CoverageClass(NONE, "keine Versorgung", "no coverage", "#d73027", "#ffffff", "red"),
    UNDER: CoverageClass(UNDER, "unterversorgt", "under-served", "#fee090", "#000000", "orange"),
    COVERED: CoverageClass(COVERED, "versorgt", "covered", "#4575b4", "#ffffff", "blue"),
}
CLASS_ORDER = [NONE, UNDER, COVERED]  # most need first


def rule_text(max_children_per_fte: float) -> str:
    """The rule in one German sentence, for the UI and exports (never re-typed elsewhere)."""
    return (
        f"Keine Versorgung: keine aktive Stelle im Gebiet. Unterversorgt: mehr als "
        f"{number(max_children_per_fte, 0)} Kita-Kinder je Vollzeitstelle (VZÄ). Sonst versorgt."
    )


def active_positions(positions: pd.DataFrame, stand: dt.date) -> pd.DataFrame:
    """Positions active at ``stand`` (start and end day inclusive)."""
    starts = positions["beginn"].map(lambda d: d <= stand)
    ends = positions["ende"].map(lambda d: d is None or pd.isna(d) or stand <= d)
    return positions[starts & ends]


def served_kita_ids(position: pd.Series, kitas: pd.DataFrame) -> list[str]:
    """The Kitas a position serves: its own list, or by default every Kita of its area."""
    listed = [k.strip() for k in str(position.get("kitas") or "").split(";") if k.strip()]
    if listed:
        return listed
    return list(kitas.loc[kitas["gemeinde_rs"].str[:9] == position["gebiet_rs"], "id"])


def classify(fte: float, children_per_fte: float, max_children_per_fte: float) -> str:
    if fte <= 0:
        return NONE
    return UNDER if children_per_fte > max_children_per_fte else COVERED


def coverage_at(
    stand: dt.date,
    areas: pd.DataFrame,
    kitas: pd.DataFrame,
    positions: pd.DataFrame,
    max_children_per_fte: float,
) -> pd.DataFrame:
    """One row per area (order of ``areas``): gebiet_rs, gebiet, vze, stellen, kitas, kinder,
    kitas_pro_vze, kinder_pro_vze, klasse, klasse_label, kitas_ohne_versorgung (list of names)."""
    active = active_positions(positions, stand)
    kita_area = kitas["gemeinde_rs"].str[:9]
    covered_ids: set[str] = set()
    for _, position in active.iterrows():
        covered_ids.update(served_kita_ids(position, kitas))
    rows = []
    for area in areas.itertuples():
        in_area = active[active["gebiet_rs"] == area.gebiet_rs]
        area_kitas = kitas[kita_area == area.gebiet_rs]
        fte = round(float(in_area["vze"].sum()), 2)
        children = int(area_kitas["kinder"].sum())
        per_fte_kitas = len(area_kitas) / fte if fte else float("inf")
        per_fte_children = children / fte if fte else float("inf")
        klasse = classify(fte, per_fte_children, max_children_per_fte)
        rows.append(
            {
                "gebiet_rs": area.gebiet_rs,
                "gebiet": area.gebiet,
                "vze": fte,
                "stellen": len(in_area),
                "kitas": len(area_kitas),
                "kinder": children,
                "kitas_pro_vze": per_fte_kitas,
                "kinder_pro_vze": per_fte_children,
                "klasse": klasse,
                "klasse_label": CLASSES[klasse].label,
                "kitas_ohne_versorgung": sorted(area_kitas.loc[~area_kitas["id"].isin(covered_ids), "name"]),
            }
        )
    return pd.DataFrame(rows)


def kita_coverage(stand: dt.date, kitas: pd.DataFrame, positions: pd.DataFrame) -> pd.DataFrame:
    """Kitas with ``versorgt`` (bool) and ``fachkraefte`` (ids of active positions serving them)."""
    serving: dict[str, list[str]] = {kita_id: [] for kita_id in kitas["id"]}
    for _, position in active_positions(positions, stand).iterrows():
        for kita_id in served_kita_ids(position, kitas):
            serving.setdefault(kita_id, []).append(position["id"])
    result = kitas.copy()
    result["fachkraefte"] = result["id"].map(serving)
    result["versorgt"] = result["fachkraefte"].map(bool)
    return result


def change_between(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per area: FTE and class before and after, and the FTE difference (two coverage_at results)."""
    merged = before[["gebiet_rs", "gebiet", "vze", "kinder_pro_vze", "klasse_label"]].merge(
        after[["gebiet_rs", "vze", "kinder_pro_vze", "klasse_label"]], on="gebiet_rs", suffixes=("_vorher", "_nachher")
    )
    merged["vze_differenz"] = (merged["vze_nachher"] - merged["vze_vorher"]).round(2)
    return merged
