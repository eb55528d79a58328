"""Sozialraum indicators per Versorgungsgebiet, aggregated from the Gemeinde-Kennzahlen and the Kitas.

Counts are summed over an area's Gemeinden; shares are weighted by the Gemeinde's children under 7
(so a share of an area is "children under 7 with the feature / children under 7"), which is how the
Land's distribution key reads: the share of children under 7 and of children under 7 in households
receiving Bürgergeld. Values the seed marks as ``demo`` are estimates and stay flagged as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kita.i18n import N_, text
from kita.text import number

SHARE_COLUMNS = {  # Gemeinde share column -> area count column it turns into
    "anteil_buergergeld_u7": "kinder_buergergeld_u7",
    "anteil_nichtdeutsche_familiensprache": "kinder_nichtdeutsch_u7",
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label_id: str  # catalogue id of its name
    kind: str  # "count" or "share" (0..1, shown in per cent)
    source: str  # the Gemeinde column it needs ("kitas" for the Kita flags)

    def title(self, lang: str = "de") -> str:
        """The indicator's name in the UI language."""
        return text(self.label_id, lang)

    @property
    def label(self) -> str:
        return self.title("de")

    def format(self, value: float, lang: str = "de") -> str:
        return f"{number(value * 100, 1, lang)} %" if self.kind == "share" else number(value, 0, lang)


INDICATORS = {
    "kinder_u7": Indicator("kinder_u7", N_("ind_kinder_u7"), "count", "kinder_u7"),
    "kinder_buergergeld_u7": Indicator(
        "kinder_buergergeld_u7", N_("ind_kinder_buergergeld_u7"), "count", "anteil_buergergeld_u7"
    ),
    "anteil_buergergeld_u7": Indicator(
        "anteil_buergergeld_u7", N_("ind_anteil_buergergeld_u7"), "share", "anteil_buergergeld_u7"
    ),
    "kinder_nichtdeutsch_u7": Indicator(
        "kinder_nichtdeutsch_u7", N_("ind_kinder_nichtdeutsch_u7"), "count",
        "anteil_nichtdeutsche_familiensprache",
    ),
    "anteil_nichtdeutsche_familiensprache": Indicator(
        "anteil_nichtdeutsche_familiensprache", N_("ind_anteil_nichtdeutsche_familiensprache"), "share",
        "anteil_nichtdeutsche_familiensprache",
    ),
    "kitas_sozialraum": Indicator("kitas_sozialraum", N_("ind_kitas_sozialraum"), "count", "kitas"),
    "kitas_interkulturell": Indicator(
        "kitas_interkulturell", N_("ind_kitas_interkulturell"), "count", "kitas"
    ),
}


def missing_values(kennzahlen: pd.DataFrame, gemeinden: pd.DataFrame) -> dict[str, list[str]]:
    """Per Gemeinde column: names of the district's Gemeinden without a value (no row, or an empty cell)."""
    merged = gemeinden[["gemeinde_rs", "gemeinde"]].merge(
        kennzahlen.drop(columns=["gemeinde"], errors="ignore"), on="gemeinde_rs", how="left"
    )
    result = {}
    for column in ["kinder_u7", *SHARE_COLUMNS]:
        values = merged[column] if column in merged.columns else pd.Series(index=merged.index, dtype=float)
        result[column] = sorted(merged.loc[values.isna(), "gemeinde"])
    return result


def missing_message(indicator_key: str, missing: dict[str, list[str]], lang: str = "de") -> str | None:
    """A sentence in ``lang`` naming the Gemeinden an indicator lacks, or None when it is complete."""
    source = INDICATORS[indicator_key].source
    if source == "kitas":
        return None
    # shares are weighted by the children under 7, so they need that count as well
    names = sorted(set(missing.get(source, [])) | set(missing.get("kinder_u7", [])))
    if not names:
        return None
    shown = ", ".join(names[:8]) + (text("list_more", lang, n=len(names) - 8) if len(names) > 8 else "")
    return text("indicator_missing", lang, kennzahl=INDICATORS[indicator_key].title(lang), n=len(names), namen=shown)


def area_indicators(
    kennzahlen: pd.DataFrame, gemeinden: pd.DataFrame, areas: pd.DataFrame, kitas: pd.DataFrame
) -> pd.DataFrame:
    """One row per area (order of ``areas``): gebiet_rs, gebiet, every INDICATORS key, gemeinden (count),
    gemeinden_ohne_daten (count), demo (any value used is demo).

    Gemeinden without a value add nothing to counts; shares are taken over the children whose
    Gemeinde has the value (NaN when none has)."""
    frame = gemeinden[["gemeinde_rs", "gebiet_rs"]].merge(
        kennzahlen.drop(columns=["gemeinde"], errors="ignore"), on="gemeinde_rs", how="left"
    )
    for share, count in SHARE_COLUMNS.items():
        if share not in frame.columns:
            frame[share] = float("nan")
        frame[share] = pd.to_numeric(frame[share], errors="coerce")
        frame[count] = frame["kinder_u7"] * frame[share]
        frame[f"basis_{count}"] = frame["kinder_u7"].where(frame[share].notna())
    frame["kinder_u7"] = pd.to_numeric(frame["kinder_u7"], errors="coerce")
    frame["ohne_daten"] = frame[["kinder_u7", *SHARE_COLUMNS]].isna().any(axis=1)
    frame["demo"] = frame.get("demo", pd.Series(False, index=frame.index)).fillna(False).astype(bool)
    sums = frame.groupby("gebiet_rs").agg(
        kinder_u7=("kinder_u7", "sum"),
        kinder_buergergeld_u7=("kinder_buergergeld_u7", "sum"),
        basis_buergergeld=("basis_kinder_buergergeld_u7", "sum"),
        kinder_nichtdeutsch_u7=("kinder_nichtdeutsch_u7", "sum"),
        basis_nichtdeutsch=("basis_kinder_nichtdeutsch_u7", "sum"),
        gemeinden=("gemeinde_rs", "count"),
        gemeinden_ohne_daten=("ohne_daten", "sum"),
        demo=("demo", "any"),
    )
    flagged = {
        key: kitas.loc[kitas[flag].astype(bool), "gemeinde_rs"].str[:9].value_counts()
        for key, flag in [("kitas_sozialraum", "sozialraum"), ("kitas_interkulturell", "interkulturell")]
    }
    result = areas[["gebiet_rs", "gebiet"]].merge(sums, left_on="gebiet_rs", right_index=True, how="left")
    result["anteil_buergergeld_u7"] = result["kinder_buergergeld_u7"] / result["basis_buergergeld"].where(
        result["basis_buergergeld"] > 0
    )
    result["anteil_nichtdeutsche_familiensprache"] = result["kinder_nichtdeutsch_u7"] / result[
        "basis_nichtdeutsch"
    ].where(result["basis_nichtdeutsch"] > 0)
    for key, counts in flagged.items():
        result[key] = result["gebiet_rs"].map(counts).fillna(0).astype(int)
    result["gemeinden_ohne_daten"] = result["gemeinden_ohne_daten"].astype(int)
    result = result.drop(columns=["basis_buergergeld", "basis_nichtdeutsch"])
    return result.reset_index(drop=True)[
        ["gebiet_rs", "gebiet", *INDICATORS, "gemeinden", "gemeinden_ohne_daten", "demo"]
    ]
