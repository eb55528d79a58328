"""Coordinators: coverage per area at a date, ranking by need, map by a chosen figure,
before / after summer 2024, and the Sozialraum indicators."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from geo import maps
from reports import overview
from reports import tables as report_tables
from kita.coverage import CLASSES, change_between, coverage_at, coverage_series, kita_coverage, rule_text
from kita.errors import DataError
from kita.indicators import INDICATORS, area_indicators, missing_message, missing_values
from kita.planning import RULES, ranking, rule_explanation
from kita.text import date, md, number

ui.page_setup("nav_coverage")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
positions, kitas = tables["fachkraefte"], tables["kitas"]
threshold = settings.max_children_per_fte
lang = ui.lang()


def area_map(stand: dt.date, coverage: pd.DataFrame, figure: str, scheme: str, bins: tuple | None, lang: str):
    """The map of ``coverage`` (coverage_at ``stand``) coloured by ``figure`` (built on a miss of
    ui.map_component's cache only)."""
    fill = overview.figure_fill(figure, coverage, indicators, scheme, list(bins) if bins else None, lang=lang)
    return maps.build_map(
        ref.areas, coverage, kita_coverage(stand, kitas, positions), ref.district, fill, gemeinden=ref.gemeinden,
        basemap=settings.basemap, basemap_attribution=settings.basemap_attribution,
        boundary_attribution=ref.credit_in(lang), lang=lang,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def monthly_series(version: int) -> pd.DataFrame:
    """Coverage on the first of every month (cached per data version)."""
    last = max(ui.today(), *[d for d in positions["beginn"] if d == d])
    return coverage_series(ref.areas, kitas, positions, threshold, last)


def show_map(stand: dt.date, coverage: pd.DataFrame, key: str, figure: str = "klasse", scheme: str = "natural_breaks",
             bins=None, height=460):
    """The map rendered once per date, figure, data version and language and shared by all sessions (the same
    content keeps the same component); only a miss builds it, from the page's ``coverage`` at ``stand``."""
    bins = tuple(bins) if bins else None
    content = ("versorgung", stand, figure, scheme, bins, ui.store().version(), settings.basemap, lang)
    with st.spinner(ui.t("spinner_map")):
        ui.map_component(content, lambda: area_map(stand, coverage, figure, scheme, bins, lang), key=key,
                         height=height, returned_objects=[])


OTHER = overview.OTHER_DATE


def pick_date(label: str, key: str, default: str) -> dt.date:
    """Quick choices (today, before/after summer 2024) or a free date; a date outside the data stops here.

    The choice lives in the URL (?stand=vor-sommer-2024 or ?stand=2023-05-01) and survives page changes."""
    quick = overview.quick_dates(settings.summer_2024, ui.today())
    linked = st.query_params.get(key)
    linked_choice = linked if linked in quick else None
    linked_date = ui.query_date(key) if linked and not linked_choice else None
    ui.restore(key, default, linked_choice or (OTHER if linked_date else None))
    ui.restore(f"{key}_datum", ui.today(), linked_date)
    choice = st.radio(label, [*quick, OTHER], horizontal=True, key=key,
                      format_func=lambda c: overview.quick_label(c, lang))
    stand = quick.get(choice) or st.date_input(
        ui.t("date_of", was=label), format="DD.MM.YYYY", key=f"{key}_datum",
        # wide bounds: a date outside the data gets the rule's message instead of a silent clamp
        min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31),
    )
    view[key] = choice if choice in quick else stand.isoformat()
    ui.remember(key, f"{key}_datum")
    problem = overview.check_stand(stand, positions, ui.today(), lang)
    if problem:
        st.error(md(problem))
        share_view()
        st.stop()
    return stand


def share_view() -> None:
    """The page's view in the URL, so a link opens it again (language kept by ui.set_query)."""
    ui.set_query(view)


st.title(ui.t("coverage_title"), anchor=False)
st.markdown(ui.t("coverage_intro"))
ui.demo_notice(tables)
st.caption(md(rule_text(threshold, lang)))

view: dict[str, str] = {}
stand = pick_date(ui.t("stand"), "stand", "heute")
coverage = coverage_at(stand, ref.areas, kitas, positions, threshold)
indicators = area_indicators(tables["gemeinden_kennzahlen"], ref.gemeinden, ref.areas, kitas)

counts = coverage["klasse"].value_counts()
cols = st.columns([1, 1, 1, 1, 1.5])  # the last label is the longest ("Kitas ohne Kita-Sozialarbeit")
cols[0].metric(ui.t("metric_fte_district"), number(coverage["vze"].sum(), 2, lang))
for col, key in zip(cols[1:4], ("keine", "unter", "versorgt")):
    col.metric(CLASSES[key].title(lang), int(counts.get(key, 0)))
cols[4].metric(ui.t("col_kitas_ohne_versorgung"), sum(len(x) for x in coverage["kitas_ohne_versorgung"]))

stand_text = date(stand, lang)
st.header(ui.t("coverage_per_area_at", stand=stand_text), anchor=False)
ui.show_table(report_tables.coverage_table(coverage, lang))
ui.table_downloads(
    f"versorgung-{stand:%Y-%m-%d}",
    {ui.t("sheet_coverage"): report_tables.coverage_table(coverage, lang), ui.t("sheet_indicators"): report_tables.indicator_table(indicators, lang)},
    ui.export_info(ui.t("export_coverage_title"), stand_text), "tabelle")

st.altair_chart(overview.children_per_fte_chart(coverage, threshold, lang), width="stretch",
                height=36 * len(coverage) + 90)

map_col, side_col = st.columns([3, 2], gap="medium")
with side_col:
    st.header(ui.t("ranking_title"), anchor=False)
    st.caption(ui.t("ranking_caption", regel=RULES["unversorgte_zuerst"].title(lang))
               + " " + md(rule_explanation("unversorgte_zuerst", threshold, lang)))
    ui.show_table(ranking(coverage, "unversorgte_zuerst", threshold, lang))
with map_col:
    st.header(ui.t("map_title"), anchor=False)
    ui.restore("kennzahl", "klasse", ui.query_value("kennzahl", set(overview.FIGURES)))
    figure = st.selectbox(ui.t("colour_by"), list(overview.FIGURES),
                          format_func=lambda k: overview.FIGURES[k].title(lang), key="kennzahl")
    scheme, bins = "natural_breaks", None
    view["kennzahl"] = figure if figure != "klasse" else ""
    if figure != "klasse":
        left, right = st.columns(2)
        ui.restore("schema", "natural_breaks", ui.query_value("klassen", set(maps.SCHEMES)))
        scheme = left.radio(ui.t("classes"), list(maps.SCHEMES), format_func=lambda s: maps.scheme_label(s, lang),
                            key="schema")
        view["klassen"] = scheme
        if scheme == "fixed":
            default = overview.default_bins(figure, overview.figure_values(figure, coverage, indicators), threshold,
                                            lang)
            ui.restore(f"schwellen_{figure}", default, st.query_params.get("schwellen") or None)
            text = right.text_input(ui.t("bins_label", beispiel=overview.format_bins([400, 600, 1000], 0, lang)),
                                    key=f"schwellen_{figure}")
            try:
                bins = overview.parse_bins(text, lang)
                view["schwellen"] = overview.format_bins(bins, 2, lang)
            except DataError as exc:
                st.error(md(ui.say_error(exc)))
                scheme = "natural_breaks"
        ui.remember("schema", f"schwellen_{figure}")
        if figure in INDICATORS:
            message = missing_message(figure, missing_values(tables["gemeinden_kennzahlen"], ref.gemeinden), lang)
            if message:
                st.warning(md(message))
            if indicators["demo"].any():
                st.caption(ui.t("indicators_estimates"))
    ui.remember("kennzahl")
    show_map(stand, coverage, "karte_versorgung", figure, scheme, bins)

st.header(ui.t("before_after_title"), anchor=False)
st.caption(ui.t("before_after_caption"))
left, right = st.columns(2)
with left:
    before = pick_date(ui.t("before"), "vorher", "vor-sommer-2024")
with right:
    after = pick_date(ui.t("after"), "nachher", "nach-sommer-2024")
pair_problem = overview.check_date_pair(before, after, lang)
if pair_problem:
    st.error(md(pair_problem))
else:
    before_cov = coverage_at(before, ref.areas, kitas, positions, threshold)
    after_cov = coverage_at(after, ref.areas, kitas, positions, threshold)
    with left:
        show_map(before, before_cov, "karte_vorher", height=400)
    with right:
        show_map(after, after_cov, "karte_nachher", height=400)
    change = change_between(before_cov, after_cov)
    ui.show_table(report_tables.change_table(change, lang))
    changed = change[change["vze_differenz"] != 0]
    before_text, after_text = date(before, lang), date(after, lang)
    st.markdown(ui.t(
        "change_summary", vorher=before_text, nachher=after_text, vze=number(change["vze_differenz"].sum(), 2, lang),
        n=len(changed), gebiete=", ".join(md(g) for g in changed["gebiet"]) or ui.t("none_of_them")))
    st.altair_chart(overview.fte_change_chart(change, before_text, after_text, lang), width="stretch")
    ui.table_downloads(
        f"versorgung-{before:%Y-%m-%d}-{after:%Y-%m-%d}", {ui.t("sheet_before_after"): report_tables.change_table(change, lang)},
        ui.export_info(ui.t("export_change_title"), ui.t("export_change_stand", vorher=before_text, nachher=after_text)),
        "vergleich")

st.header(ui.t("series_title"), anchor=False)
st.caption(ui.t("series_caption"))
series = monthly_series(ui.store().version())
area_keys = list(ref.areas["gebiet_rs"])
area_names = dict(zip(ref.areas["gebiet_rs"], ref.areas["gebiet"]))
ui.restore("verlauf_gebiete", [])
chosen_areas = st.multiselect(ui.t("areas_empty_all"), area_keys, format_func=area_names.get, key="verlauf_gebiete",
                              placeholder=ui.t("areas_placeholder_all"))
ui.remember("verlauf_gebiete")
shown_series = series[series["gebiet_rs"].isin(chosen_areas)] if chosen_areas else series
st.altair_chart(overview.series_chart(shown_series, settings.summer_2024, lang), width="stretch")
with st.expander(ui.t("series_table_title")):
    ui.show_table(overview.series_table(series, chosen_areas, lang), key="verlauf_tabelle")
ui.table_downloads(
    f"versorgung-verlauf-{ui.today():%Y-%m-%d}", {ui.t("sheet_series"): overview.series_table(series, chosen_areas, lang)},
    ui.export_info(ui.t("export_series_title"), ui.t("export_series_stand", von=date(series["stand"].min(), lang),
                                                     bis=date(series["stand"].max(), lang))), "verlauf")

st.header(ui.t("kitas_title"), anchor=False)
st.caption(ui.t("kitas_caption", stand=stand_text))
kita_rows = overview.kita_table(stand, kitas, positions, ref.areas, ref.gemeinden, lang)
c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
ui.restore("kita_suche", "")
ui.restore("kita_gebiete", [])
ui.restore("kita_ohne", False)
search = c1.text_input(ui.t("kitas_search"), key="kita_suche")
kita_areas = c2.multiselect(ui.t("col_gebiet_plural"), area_keys, format_func=area_names.get, key="kita_gebiete",
                            placeholder=ui.t("areas_placeholder_all"))
only_without = c3.checkbox(ui.t("kitas_only_without"), key="kita_ohne")
ui.remember("kita_suche", "kita_gebiete", "kita_ohne")
kita_shown = overview.filter_kitas(kita_rows, search, kita_areas, only_without)
st.caption(ui.t("kitas_count", n=len(kita_shown), von=len(kita_rows)))
ui.show_table(kita_shown, key="kita_tabelle")
filtered = len(kita_shown) < len(kita_rows)
ui.table_downloads(
    f"kitas-{stand:%Y-%m-%d}", {ui.t("sheet_kitas"): kita_shown},
    ui.export_info(ui.t("export_kitas_title_filtered" if filtered else "kitas_title"), stand_text), "kitas")

st.header(ui.t("indicators_title"), anchor=False)
st.caption(ui.t("indicators_caption"))
missing = missing_values(tables["gemeinden_kennzahlen"], ref.gemeinden)
for message in dict.fromkeys(missing_message(key, missing, lang) for key in INDICATORS):
    if message:
        st.warning(md(message))
ui.show_table(report_tables.indicator_table(indicators, lang))
if indicators["demo"].any():
    st.caption(ui.t("indicators_all_estimates"))
share_view()
