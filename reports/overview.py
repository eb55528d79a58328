"""The coordinators' overview ("Versorgung"): which dates make sense, which figures a map can show,
how fixed class bounds are entered, and the charts. The figures themselves come from
kita/coverage.py and kita/indicators.py."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from kita.coverage import CLASS_ORDER, CLASSES, kita_coverage
from kita.i18n import N_, say, text
from kita.indicators import INDICATORS
from geo.maps import Fill, classed_fill, coverage_fill
from kita.numbers import NumberInputError, format_input, parse_numbers
from kita.planning import PlanningError
from reports.tables import title, titled
from kita.text import date, fold, number

LOOKAHEAD_YEARS = 2  # a Stand further than this after the last known date has no reliable staff figures


# The quick choices for a Stand: their id (in the URL, ?stand=vor-sommer-2024) and catalogue id of the label.
QUICK_LABELS = {"heute": N_("quick_today"), "vor-sommer-2024": N_("quick_before_summer_2024"),
                "nach-sommer-2024": N_("quick_after_summer_2024")}
OTHER_DATE = "anderes-datum"
OTHER_DATE_LABEL = N_("quick_other_date")


def quick_dates(summer_2024: dt.date, today: dt.date) -> dict[str, dt.date]:
    """The quick choices for the Stand by id: today, the day before and the first day of summer 2024."""
    return {
        "heute": today,
        "vor-sommer-2024": summer_2024 - dt.timedelta(days=1),
        "nach-sommer-2024": summer_2024,
    }


def quick_label(choice: str, lang: str = "de") -> str:
    """The label of a quick choice (or of "another date") in ``lang``."""
    return text(QUICK_LABELS.get(choice, OTHER_DATE_LABEL), lang)


def data_period(positions: pd.DataFrame, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """(first, last) Stand with staff data: from the first start to LOOKAHEAD_YEARS after the last known date."""
    if positions.empty:
        return None
    starts = [d for d in positions["beginn"] if d is not None and d == d]
    ends = [d for d in positions["ende"] if d is not None and d == d]
    latest = max([today, *starts, *ends])
    return min(starts), latest.replace(year=latest.year + LOOKAHEAD_YEARS, day=min(latest.day, 28))


def check_stand(stand: dt.date, positions: pd.DataFrame, today: dt.date, lang: str = "de") -> str | None:
    """A message in ``lang`` when ``stand`` lies outside the data, else None."""
    period = data_period(positions, today)
    if period is None:
        return text("check_stand_no_positions", lang)
    first, last = period
    if stand < first:
        return text("check_stand_before_data", lang, stand=date(stand, lang), erste=date(first, lang))
    if stand > last:
        return text("check_stand_too_far", lang, stand=date(stand, lang), letzte=date(last, lang), jahre=LOOKAHEAD_YEARS)
    return None


@dataclass(frozen=True)
class Figure:
    key: str
    label_id: str  # catalogue id of its name
    digits: int
    source: str  # "coverage" or "indicators"
    share: bool = False  # 0..1, shown in per cent

    def title(self, lang: str = "de") -> str:
        return text(self.label_id, lang)


FIGURES = {
    "klasse": Figure("klasse", N_("figure_klasse"), 0, "coverage"),
    "kinder_pro_vze": Figure("kinder_pro_vze", N_("col_kinder_pro_vze"), 0, "coverage"),
    "kitas_pro_vze": Figure("kitas_pro_vze", N_("col_kitas_pro_vze"), 1, "coverage"),
    "vze": Figure("vze", N_("figure_vze"), 2, "coverage"),
    "kinder": Figure("kinder", N_("col_kinder"), 0, "coverage"),
    **{
        key: Figure(key, ind.label_id, 1 if ind.kind == "share" else 0, "indicators", ind.kind == "share")
        for key, ind in INDICATORS.items()
    },
}


def figure_values(key: str, coverage: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """The figure per area key (shares in per cent, so legends read "19,4 – 25,0")."""
    figure = FIGURES[key]
    frame = coverage if figure.source == "coverage" else indicators
    values = frame.set_index("gebiet_rs")[key].astype(float)
    return values * 100 if figure.share else values


def parse_bins(typed: str, lang: str = "de") -> list[float]:
    """Upper class bounds from "400; 600; 1.000" (numbers in the UI language, kita.numbers), ascending, 1–5 values."""
    example = format_bins([400, 600, 1000], 0, lang)
    try:
        bins = parse_numbers(typed, lang, text("bins_what", lang))
    except NumberInputError as exc:
        raise PlanningError(text("bins_not_numbers", lang, eingabe=typed, fehler=say(exc.message, lang),
                                 beispiel=example)) from exc
    if not 1 <= len(bins) <= 5:
        raise PlanningError(text("bins_count", lang, beispiel=example))
    if bins != sorted(set(bins)):
        raise PlanningError(text("bins_ascending", lang, beispiel=example))
    return bins


def format_bins(bins: list[float], digits: int, lang: str = "de") -> str:
    """Bounds as the user would type them, e.g. "400; 600; 1.000"."""
    return "; ".join(format_input(b, digits, lang) for b in bins)


def check_date_pair(before: dt.date, after: dt.date, lang: str = "de") -> str | None:
    """A message in ``lang`` when the "Vorher" date is not before the "Nachher" date, else None."""
    if before < after:
        return None
    if before == after:
        return text("pair_same_day", lang, tag=date(before, lang))
    return text("pair_reversed", lang, vorher=date(before, lang), nachher=date(after, lang))


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


def class_colour_scale(lang: str = "de") -> alt.Scale:
    return alt.Scale(
        domain=[CLASSES[k].title(lang) for k in CLASS_ORDER], range=[CLASSES[k].colour for k in CLASS_ORDER]
    )


def _classes_in(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame's ``klasse_label`` in ``lang`` (the chart's legend and tooltips)."""
    return frame.assign(klasse_label=frame["klasse"].map(lambda k: CLASSES[k].title(lang)))


def chart_locale(lang: str = "de") -> dict:
    """Vega's number and time locale for ``lang`` (Babel): German axes read 0,5 and 1.000, months "Jan."."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from kita.i18n import locale_of

    code = locale_of(lang)
    babel = Locale.parse(code)
    months = babel.months["format"]
    days = babel.days["format"]
    return {
        "number": {"decimal": get_decimal_symbol(code), "thousands": get_group_symbol(code), "grouping": [3],
                   "currency": ["", " €"]},
        "time": {"dateTime": "%x, %X", "date": "%d.%m.%Y" if lang == "de" else "%Y-%m-%d", "time": "%H:%M:%S",
                 "periods": ["AM", "PM"],
                 "days": [days["wide"][i] for i in (6, 0, 1, 2, 3, 4, 5)],
                 "shortDays": [days["abbreviated"][i] for i in (6, 0, 1, 2, 3, 4, 5)],
                 "months": [months["wide"][i] for i in range(1, 13)],
                 "shortMonths": [months["abbreviated"][i] for i in range(1, 13)]},
    }


def children_per_fte_chart(coverage: pd.DataFrame, max_children_per_fte: float, lang: str = "de") -> alt.LayerChart:
    """Bars of Kita children per VZÄ, coloured by class, with the threshold as a line.

    Areas without staff get a full-height bar labelled "keine Stelle" (the figure is infinite)."""
    frame = _classes_in(coverage, lang)[["gebiet", "kinder_pro_vze", "klasse_label", "vze", "kinder"]].copy()
    finite = frame["kinder_pro_vze"].map(math.isfinite)
    top = max([max_children_per_fte * 1.3, *frame.loc[finite, "kinder_pro_vze"]])
    frame["wert"] = frame["kinder_pro_vze"].where(finite, top)
    frame["anzeige"] = [number(v, 0, lang) if f else text("chart_no_position", lang)
                        for v, f in zip(frame["kinder_pro_vze"], finite)]
    order = list(frame.sort_values("wert", ascending=False)["gebiet"])
    base = alt.Chart(frame).encode(y=alt.Y("gebiet:N", sort=order, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("wert:Q", title=title("kinder_pro_vze", lang)),
        color=alt.Color("klasse_label:N", scale=class_colour_scale(lang), title=title("klasse_label", lang),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("gebiet:N", title=title("gebiet", lang)),
                 alt.Tooltip("anzeige:N", title=title("kinder_pro_vze", lang)),
                 alt.Tooltip("vze:Q", title=title("vze", lang)), alt.Tooltip("kinder:Q", title=title("kinder", lang))],
    )
    labels = base.mark_text(align="left", dx=4).encode(x="wert:Q", text="anzeige:N")
    rule = alt.Chart(pd.DataFrame({"schwelle": [max_children_per_fte]})).mark_rule(
        color="#111", strokeDash=[5, 3]
    ).encode(x="schwelle:Q")
    return (bars + labels + rule).properties(height=36 * len(frame)).configure(locale=chart_locale(lang))


def fte_change_chart(change: pd.DataFrame, before_label: str, after_label: str, lang: str = "de") -> alt.Chart:
    """Grouped bars: VZÄ per area at two dates (a change_between() result)."""
    long = pd.concat([
        pd.DataFrame({"gebiet": change["gebiet"], "Stand": before_label, "vze": change["vze_vorher"]}),
        pd.DataFrame({"gebiet": change["gebiet"], "Stand": after_label, "vze": change["vze_nachher"]}),
    ])
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("gebiet:N", title=None),
        yOffset=alt.YOffset("Stand:N", sort=[before_label, after_label]),
        x=alt.X("vze:Q", title=title("vze", lang)),
        color=alt.Color("Stand:N", sort=[before_label, after_label],
                        scale=alt.Scale(range=["#9ecae1", "#08519c"]), title=None),
        tooltip=[alt.Tooltip("gebiet:N", title=title("gebiet", lang)), alt.Tooltip("Stand:N", title=title("stand", lang)),
                 alt.Tooltip("vze:Q", title=title("vze", lang))],
    ).properties(height=48 * len(change)).configure(locale=chart_locale(lang))


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
    legend_title = figure.title(lang) + (" (%)" if figure.share else "")
    if values.empty:
        return Fill(colours={}, title=legend_title, legend=[("#cccccc", text("map_no_data", lang))])
    return classed_fill(values, legend_title, scheme=scheme, k=k, bins=bins, digits=figure.digits, lang=lang)


SERIES_COLUMNS = ["stand", "gebiet", "gebiet_rs", "vze", "stellen", "kinder", "kinder_pro_vze", "klasse_label"]


def series_table(series: pd.DataFrame, gebiete: list[str] | None = None, lang: str = "de") -> pd.DataFrame:
    """coverage_series() for people (titles in ``lang``), optionally only the areas ``gebiete`` (keys)."""
    frame = series if not gebiete else series[series["gebiet_rs"].isin(gebiete)]
    table = frame[SERIES_COLUMNS].copy()
    table["kinder_pro_vze"] = table["kinder_pro_vze"].astype(float).round(1)
    return titled(table, lang).reset_index(drop=True)


def series_chart(series: pd.DataFrame, step_day: dt.date, lang: str = "de") -> alt.VConcatChart:
    """Coverage over time: the class of every area per month (tiles) above its VZÄ (steps), with a line
    at ``step_day`` (summer 2024) so the additions stand out."""
    frame = _classes_in(series, lang).assign(monat=pd.to_datetime(series["stand"]),
                                             anzeige=series["vze"].map(lambda v: number(v, 2, lang)))
    step = pd.DataFrame({"monat": [pd.Timestamp(step_day)], "text": [text("chart_from", lang, tag=date(step_day, lang))]})
    x = alt.X("yearmonth(monat):T", title=None, axis=alt.Axis(format="%m/%Y"))
    fte, area, cls = title("vze", lang), title("gebiet", lang), title("klasse_label", lang)
    tiles = alt.Chart(frame).mark_rect().encode(
        x=x, y=alt.Y("gebiet:N", title=None),
        color=alt.Color("klasse_label:N", scale=class_colour_scale(lang), title=cls, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("gebiet:N", title=area), alt.Tooltip("yearmonth(monat):T", title=text("chart_month", lang)),
                 alt.Tooltip("klasse_label:N", title=cls), alt.Tooltip("anzeige:N", title=fte)],
    ).properties(height=22 * series["gebiet"].nunique())
    lines = alt.Chart(frame).mark_line(interpolate="step-after").encode(
        x=alt.X("monat:T", title=None, axis=alt.Axis(format="%m/%Y")),
        y=alt.Y("vze:Q", title=fte),
        color=alt.Color("gebiet:N", title=area, legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("gebiet:N", title=area),
                 alt.Tooltip("monat:T", title=title("stand", lang), format="%d.%m.%Y"),
                 alt.Tooltip("anzeige:N", title=fte)],
    ).properties(height=220)
    marker = alt.Chart(step).mark_rule(color="#111", strokeDash=[5, 3]).encode(x="monat:T")
    label = alt.Chart(step).mark_text(align="left", dx=4, dy=-100, color="#111").encode(x="monat:T", text="text:N")
    return (alt.vconcat(tiles, lines + marker + label).resolve_scale(color="independent")
            .configure(locale=chart_locale(lang)))


KITA_COLUMNS = ["kita_id", "kita", "gemeinde", "gemeinde_rs", "gebiet", "gebiet_rs", "kinder", "betreut_von", "seit"]


def kita_table(stand: dt.date, kitas: pd.DataFrame, positions: pd.DataFrame, areas: pd.DataFrame,
               gemeinden: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """Per Kita at ``stand``: Gemeinde, area, children, the positions serving it and since when (the earliest
    start among them), or "ohne" – the coverage rule's own answer (coverage.kita_coverage). Column keys as
    KITA_COLUMNS (:func:`reports.tables.titled` gives them titles); texts in ``lang``."""
    served = kita_coverage(stand, kitas, positions)
    titles = dict(zip(positions["id"], positions["bezeichnung"]))
    starts = dict(zip(positions["id"], positions["beginn"]))
    area_names = dict(zip(areas["gebiet_rs"], areas["gebiet"]))
    gemeinde_names = dict(zip(gemeinden["gemeinde_rs"], gemeinden["gemeinde"]))
    rows = []
    for kita in served.itertuples():
        ids = list(kita.fachkraefte)
        served_by = "; ".join(text("kita_served_since", lang, stelle=titles.get(i, i), seit=date(starts[i], lang))
                              for i in ids)
        rows.append({
            "kita_id": kita.id, "kita": kita.name, "gemeinde": gemeinde_names.get(kita.gemeinde_rs, kita.gemeinde_rs),
            "gemeinde_rs": kita.gemeinde_rs, "gebiet": area_names.get(kita.gemeinde_rs[:9], ""),
            "gebiet_rs": kita.gemeinde_rs[:9], "kinder": int(kita.kinder),
            "betreut_von": served_by if ids else text("kita_without", lang),
            "seit": min(starts[i] for i in ids) if ids else None,  # empty exactly for Kitas without
        })
    return pd.DataFrame(rows, columns=KITA_COLUMNS)


def filter_kitas(table: pd.DataFrame, search: str = "", gebiete: list[str] | None = None,
                 only_without: bool = False) -> pd.DataFrame:
    """kita_table() rows matching a search text (Kita, Gemeinde or position, umlauts folded), the areas
    ``gebiete`` (keys) and, if asked, only Kitas without Kita-Sozialarbeit."""
    keep = pd.Series(True, index=table.index)
    if gebiete:
        keep &= table["gebiet_rs"].isin(gebiete)
    if only_without:
        keep &= table["seit"].isna()
    needle = fold(search)
    if needle:
        haystack = (table["kita"] + " " + table["gemeinde"] + " " + table["betreut_von"]).map(fold)
        keep &= haystack.str.contains(needle, regex=False)
    return table[keep].reset_index(drop=True)
