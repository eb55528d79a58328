"""The coordinators' overview ("Versorgung"): which dates make sense, which figures a map can show,
how fixed class bounds are entered, and the charts. The figures themselves come from
geo/coverage.py and geo/indicators.py."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from geo.coverage import CLASS_ORDER, CLASSES, kita_coverage
from geo.i18n import text
from geo.indicators import INDICATORS
from geo.maps import Fill, classed_fill, coverage_fill
from geo.numbers import NumberInputError, format_input, parse_numbers
from geo.planning import PlanningError
from geo.text import fold, number

LOOKAHEAD_YEARS = 2  # a Stand further than this after the last known date has no reliable staff figures


def quick_dates(summer_2024: dt.date, today: dt.date) -> dict[str, dt.date]:
    """The quick choices for the Stand: today, the day before and the first day of summer 2024."""
    return {
        "Heute": today,
        "vor Sommer 2024": summer_2024 - dt.timedelta(days=1),
        "nach Sommer 2024": summer_2024,
    }


def data_period(positions: pd.DataFrame, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """(first, last) Stand with staff data: from the first start to LOOKAHEAD_YEARS after the last known date."""
    if positions.empty:
        return None
    starts = [d for d in positions["beginn"] if d is not None and d == d]
    ends = [d for d in positions["ende"] if d is not None and d == d]
    latest = max([today, *starts, *ends])
    return min(starts), latest.replace(year=latest.year + LOOKAHEAD_YEARS, day=min(latest.day, 28))


def check_stand(stand: dt.date, positions: pd.DataFrame, today: dt.date) -> str | None:
    """A German message when ``stand`` lies outside the data, else None."""
    period = data_period(positions, today)
    if period is None:
        return "Es sind keine Stellen erfasst; eine Versorgung lässt sich nicht berechnen."
    first, last = period
    if stand < first:
        return (
            f"Für den {stand:%d.%m.%Y} liegen keine Daten vor: die erste erfasste Stelle beginnt am "
            f"{first:%d.%m.%Y}. Bitte einen Stand ab diesem Tag wählen."
        )
    if stand > last:
        return (
            f"Der {stand:%d.%m.%Y} liegt zu weit in der Zukunft: Angaben zu Stellen reichen höchstens bis "
            f"{last:%d.%m.%Y} ({LOOKAHEAD_YEARS} Jahre nach dem letzten bekannten Datum)."
        )
    return None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    digits: int
    source: str  # "coverage" or "indicators"
    share: bool = False  # 0..1, shown in per cent


FIGURES = {
    "klasse": Figure("klasse", "Versorgungsklasse", 0, "coverage"),
    "kinder_pro_vze": Figure("kinder_pro_vze", "Kita-Kinder je VZÄ", 0, "coverage"),
    "kitas_pro_vze": Figure("kitas_pro_vze", "Kitas je VZÄ", 1, "coverage"),
    "vze": Figure("vze", "VZÄ (Stellen)", 2, "coverage"),
    "kinder": Figure("kinder", "Kita-Kinder", 0, "coverage"),
    **{
        key: Figure(key, ind.label, 1 if ind.kind == "share" else 0, "indicators", ind.kind == "share")
        for key, ind in INDICATORS.items()
    },
}


def figure_values(key: str, coverage: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """The figure per area key (shares in per cent, so legends read "19,4 – 25,0")."""
    figure = FIGURES[key]
    frame = coverage if figure.source == "coverage" else indicators
    values = frame.set_index("gebiet_rs")[key].astype(float)
    return values * 100 if figure.share else values


def parse_bins(text: str, lang: str = "de") -> list[float]:
    """Upper class bounds from "400; 600; 1.000" (numbers in the UI language, geo.numbers), ascending, 1–5 values."""
    try:
        bins = parse_numbers(text, lang, "Schwellen")
    except NumberInputError as exc:
        raise PlanningError(
            f"Schwellen „{text}“ sind keine Zahlen: {exc} Beispiel: 400; 600; 1.000 (durch Semikolon getrennt)."
        ) from exc
    if not 1 <= len(bins) <= 5:
        raise PlanningError("Bitte 1 bis 5 Schwellen angeben, z. B. 400; 600; 1.000.")
    if bins != sorted(set(bins)):
        raise PlanningError("Die Schwellen müssen aufsteigend und verschieden sein, z. B. 400; 600; 1.000.")
    return bins


def format_bins(bins: list[float], digits: int, lang: str = "de") -> str:
    """Bounds as the user would type them, e.g. "400; 600; 1.000"."""
    return "; ".join(format_input(b, digits, lang) for b in bins)


def check_date_pair(before: dt.date, after: dt.date) -> str | None:
    """A German message when the "Vorher" date is not before the "Nachher" date, else None."""
    if before < after:
        return None
    if before == after:
        return (f"„Vorher“ und „Nachher“ sind beide der {before:%d.%m.%Y}: bitte zwei verschiedene Tage wählen, "
                "„Vorher“ zuerst.")
    return (f"„Vorher“ ({before:%d.%m.%Y}) liegt nach „Nachher“ ({after:%d.%m.%Y}). Bitte „Vorher“ auf einen "
            "früheren Tag setzen – sonst stünde eine Zunahme als Abnahme da.")


def default_bins(key: str, values: pd.Series, max_children_per_fte: float, lang: str = "de") -> str:
    """Sensible fixed bounds to start from: around the threshold for children per VZÄ, else thirds."""
    if key == "kinder_pro_vze":
        return format_bins([round(max_children_per_fte * f) for f in (0.75, 1, 1.25)], 0, lang)
    finite = values[values.map(math.isfinite)]
    if finite.empty:
        return "1"
    digits = FIGURES[key].digits
    quantiles = sorted({round(float(finite.quantile(q)), digits) for q in (1 / 3, 2 / 3, 1.0)})
    return format_bins(quantiles, digits, lang)


def class_colour_scale() -> alt.Scale:
    return alt.Scale(
        domain=[CLASSES[k].label for k in CLASS_ORDER], range=[CLASSES[k].colour for k in CLASS_ORDER]
    )


def children_per_fte_chart(coverage: pd.DataFrame, max_children_per_fte: float) -> alt.LayerChart:
    """Bars of Kita children per VZÄ, coloured by class, with the threshold as a line.

    Areas without staff get a full-height bar labelled "keine Stelle" (the figure is infinite)."""
    frame = coverage[["gebiet", "kinder_pro_vze", "klasse_label", "vze", "kinder"]].copy()
    finite = frame["kinder_pro_vze"].map(math.isfinite)
    top = max([max_children_per_fte * 1.3, *frame.loc[finite, "kinder_pro_vze"]])
    frame["wert"] = frame["kinder_pro_vze"].where(finite, top)
    frame["anzeige"] = [number(v, 0) if f else "keine Stelle" for v, f in zip(frame["kinder_pro_vze"], finite)]
    order = list(frame.sort_values("wert", ascending=False)["gebiet"])
    base = alt.Chart(frame).encode(y=alt.Y("gebiet:N", sort=order, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("wert:Q", title="Kita-Kinder je VZÄ"),
        color=alt.Color("klasse_label:N", scale=class_colour_scale(), title="Versorgung",
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("anzeige:N", title="Kinder je VZÄ"),
                 alt.Tooltip("vze:Q", title="VZÄ"), alt.Tooltip("kinder:Q", title="Kita-Kinder")],
    )
    labels = base.mark_text(align="left", dx=4).encode(x="wert:Q", text="anzeige:N")
    rule = alt.Chart(pd.DataFrame({"schwelle": [max_children_per_fte]})).mark_rule(
        color="#111", strokeDash=[5, 3]
    ).encode(x="schwelle:Q")
    return (bars + labels + rule).properties(height=36 * len(frame))


def fte_change_chart(change: pd.DataFrame, before_label: str, after_label: str) -> alt.Chart:
    """Grouped bars: VZÄ per area at two dates (a change_between() result)."""
    long = pd.concat([
        pd.DataFrame({"gebiet": change["gebiet"], "Stand": before_label, "vze": change["vze_vorher"]}),
        pd.DataFrame({"gebiet": change["gebiet"], "Stand": after_label, "vze": change["vze_nachher"]}),
    ])
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("gebiet:N", title=None),
        yOffset=alt.YOffset("Stand:N", sort=[before_label, after_label]),
        x=alt.X("vze:Q", title="VZÄ"),
        color=alt.Color("Stand:N", sort=[before_label, after_label],
                        scale=alt.Scale(range=["#9ecae1", "#08519c"]), title=None),
        tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"), "Stand:N", alt.Tooltip("vze:Q", title="VZÄ")],
    ).properties(height=48 * len(change))


def figure_fill(
    key: str, coverage: pd.DataFrame, indicators: pd.DataFrame, scheme: str, bins: list[float] | None, k: int = 4,
    lang: str = "de",
) -> Fill:
    """Map fill for a figure: the coverage classes, or the figure classed with mapclassify; legend in ``lang``.

    Areas without a value (missing indicators) stay out of the classes and are drawn grey."""
    if key == "klasse":
        return coverage_fill(coverage, lang=lang)
    figure = FIGURES[key]
    values = figure_values(key, coverage, indicators).dropna()
    title = figure.label + (" (%)" if figure.share else "")
    if values.empty:
        return Fill(colours={}, title=title, legend=[("#cccccc", text("map_no_data", lang))])
    return classed_fill(values, title, scheme=scheme, k=k, bins=bins, digits=figure.digits, lang=lang)


SERIES_COLUMNS = {
    "stand": "Stichtag", "gebiet": "Gebiet", "gebiet_rs": "Gebietsschlüssel", "vze": "VZÄ", "stellen": "Stellen",
    "kinder": "Kita-Kinder", "kinder_pro_vze": "Kita-Kinder je VZÄ", "klasse_label": "Versorgung",
}


def series_table(series: pd.DataFrame, gebiete: list[str] | None = None) -> pd.DataFrame:
    """coverage_series() for people (German titles), optionally only the areas ``gebiete`` (keys)."""
    frame = series if not gebiete else series[series["gebiet_rs"].isin(gebiete)]
    table = frame[list(SERIES_COLUMNS)].copy()
    table["kinder_pro_vze"] = table["kinder_pro_vze"].astype(float).round(1)
    return table.rename(columns=SERIES_COLUMNS).reset_index(drop=True)


def series_chart(series: pd.DataFrame, step_day: dt.date) -> alt.VConcatChart:
    """Coverage over time: the class of every area per month (tiles) above its VZÄ (steps), with a line
    at ``step_day`` (summer 2024) so the additions stand out."""
    frame = series.assign(monat=pd.to_datetime(series["stand"]), anzeige=series["vze"].map(lambda v: number(v, 2)))
    step = pd.DataFrame({"monat": [pd.Timestamp(step_day)], "text": [f"ab {step_day:%d.%m.%Y}"]})
    x = alt.X("yearmonth(monat):T", title=None, axis=alt.Axis(format="%m/%Y"))
    tiles = alt.Chart(frame).mark_rect().encode(
        x=x, y=alt.Y("gebiet:N", title=None),
        color=alt.Color("klasse_label:N", scale=class_colour_scale(), title="Versorgung",
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("yearmonth(monat):T", title="Monat"),
                 alt.Tooltip("klasse_label:N", title="Versorgung"), alt.Tooltip("anzeige:N", title="VZÄ")],
    ).properties(height=22 * series["gebiet"].nunique())
    lines = alt.Chart(frame).mark_line(interpolate="step-after").encode(
        x=alt.X("monat:T", title=None, axis=alt.Axis(format="%m/%Y")),
        y=alt.Y("vze:Q", title="VZÄ"),
        color=alt.Color("gebiet:N", title="Gebiet", legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("monat:T", title="Stichtag", format="%d.%m.%Y"),
                 alt.Tooltip("anzeige:N", title="VZÄ")],
    ).properties(height=220)
    marker = alt.Chart(step).mark_rule(color="#111", strokeDash=[5, 3]).encode(x="monat:T")
    label = alt.Chart(step).mark_text(align="left", dx=4, dy=-100, color="#111").encode(x="monat:T", text="text:N")
    return alt.vconcat(tiles, lines + marker + label).resolve_scale(color="independent")


KITA_COLUMNS = ["Kita-ID", "Kita", "Gemeinde", "Gemeindeschlüssel", "Gebiet", "Gebietsschlüssel", "Kita-Kinder",
                "betreut von", "seit"]


def kita_table(stand: dt.date, kitas: pd.DataFrame, positions: pd.DataFrame, areas: pd.DataFrame,
               gemeinden: pd.DataFrame) -> pd.DataFrame:
    """Per Kita at ``stand``: Gemeinde, area, children, the positions serving it and since when (the earliest
    start among them), or "ohne" – the coverage rule's own answer (coverage.kita_coverage)."""
    served = kita_coverage(stand, kitas, positions)
    titles = dict(zip(positions["id"], positions["bezeichnung"]))
    starts = dict(zip(positions["id"], positions["beginn"]))
    area_names = dict(zip(areas["gebiet_rs"], areas["gebiet"]))
    gemeinde_names = dict(zip(gemeinden["gemeinde_rs"], gemeinden["gemeinde"]))
    rows = []
    for kita in served.itertuples():
        ids = list(kita.fachkraefte)
        rows.append({
            "Kita-ID": kita.id, "Kita": kita.name, "Gemeinde": gemeinde_names.get(kita.gemeinde_rs, kita.gemeinde_rs),
            "Gemeindeschlüssel": kita.gemeinde_rs, "Gebiet": area_names.get(kita.gemeinde_rs[:9], ""),
            "Gebietsschlüssel": kita.gemeinde_rs[:9], "Kita-Kinder": int(kita.kinder),
            "betreut von": "; ".join(f"{titles.get(i, i)} (seit {starts[i]:%d.%m.%Y})" for i in ids) if ids else "ohne",
            "seit": min(starts[i] for i in ids) if ids else None,
        })
    return pd.DataFrame(rows, columns=KITA_COLUMNS)


def filter_kitas(table: pd.DataFrame, text: str = "", gebiete: list[str] | None = None,
                 only_without: bool = False) -> pd.DataFrame:
    """kita_table() rows matching a search text (Kita, Gemeinde or position, umlauts folded), the areas
    ``gebiete`` (keys) and, if asked, only Kitas without Kita-Sozialarbeit."""
    keep = pd.Series(True, index=table.index)
    if gebiete:
        keep &= table["Gebietsschlüssel"].isin(gebiete)
    if only_without:
        keep &= table["betreut von"] == "ohne"
    needle = fold(text)
    if needle:
        haystack = (table["Kita"] + " " + table["Gemeinde"] + " " + table["betreut von"]).map(fold)
        keep &= haystack.str.contains(needle, regex=False)
    return table[keep].reset_index(drop=True)
