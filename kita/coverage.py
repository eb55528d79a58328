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

from kita.i18n import N_, text
from kita.text import number

NONE, UNDER, COVERED = "keine", "unter", "versorgt"


@dataclass(frozen=True)
class CoverageClass:
    key: str
    colour: str  # fill colour; ColorBrewer RdYlBu, colour-blind safe and readable in greyscale
    text_colour: str
    badge: str  # Streamlit markdown colour name for the status badge

    def title(self, lang: str = "de") -> str:
        """The class's name in the UI language (catalogue id ``class_<key>``)."""
        return text(f"class_{self.key}", lang)

    @property
    def label(self) -> str:
        """The German name (the data column ``klasse_label``); screens and exports use :meth:`title`."""
        return self.title("de")


CLASSES = {
    NONE: CoverageClass(NONE, "#d73027", "#ffffff", "red"),
    UNDER: CoverageClass(UNDER, "#fee090", "#000000", "orange"),
    COVERED: CoverageClass(COVERED, "#4575b4", "#ffffff", "blue"),
}
# The extractor sees only literal ids: text("class_keine"), text("class_unter"), text("class_versorgt").
_CLASS_IDS = (N_("class_keine"), N_("class_unter"), N_("class_versorgt"))


def class_title(label_or_key: str, lang: str = "de") -> str:
    """A class in ``lang`` from its key or its German label (the ``klasse_label`` columns); other text as is."""
    for cls in CLASSES.values():
        if label_or_key in (cls.key, cls.label):
            return cls.title(lang)
    return label_or_key
CLASS_ORDER = [NONE, UNDER, COVERED]  # most need first


def rule_text(max_children_per_fte: float, lang: str = "de") -> str:
    """The rule in one sentence in ``lang``, for the UI and exports (never re-typed elsewhere)."""
    return text("coverage_rule", lang, schwelle=number(max_children_per_fte, 0, lang))


def active_positions(positions: pd.DataFrame, stand: dt.date) -> pd.DataFrame:
    """Positions active at ``stand`` (start and end day inclusive)."""
    starts = positions["beginn"].map(lambda d: d <= stand)
    ends = positions["ende"].map(lambda d: d is None or pd.isna(d) or stand <= d)
    return positions[starts & ends]


def served_pairs(active: pd.DataFrame, kitas: pd.DataFrame) -> pd.DataFrame:
    """(position id, kita id) for every Kita an active position serves: its own list (``kitas``, ids
    separated by ';'), or by default every Kita of its area. Vectorised: a Land has thousands of Kitas."""
    listed = active["kitas"].fillna("").astype(str).str.split(";").map(lambda ids: [k.strip() for k in ids if k.strip()])
    own = pd.DataFrame({"position": active["id"].to_numpy(), "kita": listed.to_numpy()}).explode("kita").dropna()
    default = active.loc[listed.map(len).eq(0).to_numpy(), ["id", "gebiet_rs"]]
    by_area = pd.DataFrame({"kita": kitas["id"].to_numpy(), "gebiet_rs": kitas["gemeinde_rs"].str[:9].to_numpy()})
    whole_area = default.merge(by_area, on="gebiet_rs")[["id", "kita"]].rename(columns={"id": "position"})
    pairs = pd.concat([own, whole_area], ignore_index=True).astype(str)
    order = {position_id: i for i, position_id in enumerate(active["id"].astype(str))}
    return pairs.sort_values("position", key=lambda ids: ids.map(order), kind="stable", ignore_index=True)


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
    covered_ids = set(served_pairs(active, kitas)["kita"])
    fte_by_area = active.groupby("gebiet_rs")["vze"].sum().to_dict()
    positions_by_area = active["gebiet_rs"].value_counts().to_dict()
    kitas_by_area = kita_area.value_counts().to_dict()
    children_by_area = kitas["kinder"].groupby(kita_area).sum().to_dict()
    uncovered: dict[str, list[str]] = {}
    for key, name in zip(kita_area, kitas["name"].where(~kitas["id"].isin(covered_ids))):
        if isinstance(name, str):
            uncovered.setdefault(key, []).append(name)
    rows = []
    for key, name in zip(areas["gebiet_rs"], areas["gebiet"]):
        fte = round(float(fte_by_area.get(key, 0.0)), 2)
        count = int(kitas_by_area.get(key, 0))
        children = int(children_by_area.get(key, 0))
        per_fte_kitas = count / fte if fte else float("inf")
        per_fte_children = children / fte if fte else float("inf")
        klasse = classify(fte, per_fte_children, max_children_per_fte)
        rows.append(
            {
                "gebiet_rs": key,
                "gebiet": name,
                "vze": fte,
                "stellen": int(positions_by_area.get(key, 0)),
                "kitas": count,
                "kinder": children,
                "kitas_pro_vze": per_fte_kitas,
                "kinder_pro_vze": per_fte_children,
                "klasse": klasse,
                "klasse_label": CLASSES[klasse].label,
                "kitas_ohne_versorgung": sorted(uncovered.get(key, [])),
            }
        )
    return pd.DataFrame(rows)


def kita_coverage(stand: dt.date, kitas: pd.DataFrame, positions: pd.DataFrame) -> pd.DataFrame:
    """Kitas with ``versorgt`` (bool) and ``fachkraefte`` (ids of active positions serving them)."""
    pairs = served_pairs(active_positions(positions, stand), kitas)
    serving: dict[str, list[str]] = {}
    for position_id, kita_id in zip(pairs["position"], pairs["kita"]):  # plain loop: groupby-agg(list) is slower
        serving.setdefault(kita_id, []).append(position_id)
    result = kitas.copy()
    result["fachkraefte"] = [serving.get(kita_id, []) for kita_id in result["id"]]
    result["versorgt"] = result["fachkraefte"].map(bool)
    return result


def change_between(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per area: FTE and class before and after, and the FTE difference (two coverage_at results)."""
    merged = before[["gebiet_rs", "gebiet", "vze", "kinder_pro_vze", "klasse_label"]].merge(
        after[["gebiet_rs", "vze", "kinder_pro_vze", "klasse_label"]], on="gebiet_rs", suffixes=("_vorher", "_nachher")
    )
    merged["vze_differenz"] = (merged["vze_nachher"] - merged["vze_vorher"]).round(2)
    return merged


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_stands(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from the first one on or after ``first`` up to ``last``."""
    day = first if first.day == 1 else _next_month(first)
    stands = []
    while day <= last:
        stands.append(day)
        day = _next_month(day)
    return stands


def coverage_series(
    areas: pd.DataFrame,
    kitas: pd.DataFrame,
    positions: pd.DataFrame,
    max_children_per_fte: float,
    last: dt.date,
) -> pd.DataFrame:
    """The rule on the first day of every month, from the first recorded position's start up to ``last``:
    one row per month and area (stand, gebiet_rs, gebiet, vze, stellen, kinder, kinder_pro_vze, klasse,
    klasse_label). Kitas and children are today's: the series shows how staffing changed."""
    columns = ["stand", "gebiet_rs", "gebiet", "vze", "stellen", "kinder", "kinder_pro_vze", "klasse", "klasse_label"]
    starts = [d for d in positions["beginn"] if d is not None and d == d]
    if not starts:
        return pd.DataFrame(columns=columns)
    # The same rule as coverage_at (active_positions, classify), without re-reading the Kitas every month.
    children = kitas.groupby(kitas["gemeinde_rs"].str[:9])["kinder"].sum()
    rows = []
    for stand in month_stands(min(starts), last):
        active = active_positions(positions, stand)
        fte_by_area = active.groupby("gebiet_rs")["vze"].sum()
        count_by_area = active.groupby("gebiet_rs").size()
        for area in areas.itertuples():
            fte = round(float(fte_by_area.get(area.gebiet_rs, 0.0)), 2)
            kinder = int(children.get(area.gebiet_rs, 0))
            per_fte = kinder / fte if fte else float("inf")
            klasse = classify(fte, per_fte, max_children_per_fte)
            rows.append((stand, area.gebiet_rs, area.gebiet, fte, int(count_by_area.get(area.gebiet_rs, 0)), kinder,
                         per_fte, klasse, CLASSES[klasse].label))
    return pd.DataFrame(rows, columns=columns)
