"""Coordinators: coverage per area at a date, ranking by need, map by a chosen figure,
before / after summer 2024, and the Sozialraum indicators."""

import copy
import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import ui
from geo import maps, overview
from geo import tables as export
from geo.coverage import change_between, coverage_at, coverage_series, kita_coverage, rule_text
from geo.errors import DataError
from geo.indicators import INDICATORS, area_indicators, missing_message, missing_values
from geo.planning import RULES, ranking, rule_explanation
from geo.text import md, number

ui.page_setup("nav_coverage")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
positions, kitas = tables["fachkraefte"], tables["kitas"]
threshold = settings.max_children_per_fte


@st.cache_resource(show_spinner="Zeichne Karte …", max_entries=16)
def area_map(stand: dt.date, figure: str, scheme: str, bins: tuple | None, version: int, basemap: str, lang: str):
    """One map per date, figure, data version and language (cached: the same map keeps the component)."""
    coverage = coverage_at(stand, ref.areas, kitas, positions, threshold)
    indicators = area_indicators(tables["gemeinden_kennzahlen"], ref.gemeinden, ref.areas, kitas)
    fill = overview.figure_fill(figure, coverage, indicators, scheme, list(bins) if bins else None, lang=lang)
    return maps.build_map(
        ref.areas, coverage, kita_coverage(stand, kitas, positions), ref.district, fill, gemeinden=ref.gemeinden,
        basemap=basemap, basemap_attribution=settings.basemap_attribution, boundary_attribution=ref.credit_in(lang),
        lang=lang,
    )


@st.cache_data(show_spinner="Berechne Verlauf …", max_entries=4)
def monthly_series(version: int) -> pd.DataFrame:
    """Coverage on the first of every month (cached per data version)."""
    last = max(ui.today(), *[d for d in positions["beginn"] if d == d])
    return coverage_series(ref.areas, kitas, positions, threshold, last)


def show_map(stand: dt.date, key: str, figure: str = "klasse", scheme: str = "natural_breaks", bins=None, height=460):
    st_folium(
        # st_folium renames the map's elements in place: hand it a copy of the cached map.
        copy.deepcopy(area_map(stand, figure, scheme, tuple(bins) if bins else None, ui.store().version(),
                               settings.basemap, ui.lang())),
        key=key, height=height, use_container_width=True, returned_objects=[],
    )


QUICK_IDS = {"Heute": "heute", "vor Sommer 2024": "vor-sommer-2024", "nach Sommer 2024": "nach-sommer-2024"}
OTHER = "anderes Datum"


def pick_date(label: str, key: str, default: str) -> dt.date:
    """Quick choices (today, before/after summer 2024) or a free date; a date outside the data stops here.

    The choice lives in the URL (?stand=vor-sommer-2024 or ?stand=2023-05-01) and survives page changes."""
    quick = overview.quick_dates(settings.summer_2024, ui.today())
    linked = st.query_params.get(key)
    linked_choice = next((label_ for label_, id_ in QUICK_IDS.items() if id_ == linked), None)
    linked_date = ui.query_date(key) if linked and not linked_choice else None
    ui.restore(key, default, linked_choice or (OTHER if linked_date else None))
    ui.restore(f"{key}_datum", ui.today(), linked_date)
    choice = st.radio(label, [*quick, OTHER], horizontal=True, key=key)
    stand = quick.get(choice) or st.date_input(
        f"{label}: Datum", format="DD.MM.YYYY", key=f"{key}_datum",
        # wide bounds: a date outside the data gets the rule's message instead of a silent clamp
        min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31),
    )
    view[key] = QUICK_IDS.get(choice) or stand.isoformat()
    ui.remember(key, f"{key}_datum")
    problem = overview.check_stand(stand, positions, ui.today())
    if problem:
        st.error(md(problem))
        share_view()
        st.stop()
    return stand


def share_view() -> None:
    """The page's view in the URL, so a link opens it again (language kept by ui.set_query)."""
    ui.set_query(view)


st.title(ui.t("coverage_title"))
st.markdown(ui.t("coverage_intro"))
ui.demo_notice(tables)
st.caption(md(rule_text(threshold)))

view: dict[str, str] = {}
stand = pick_date(ui.t("stand"), "stand", "Heute")
coverage = coverage_at(stand, ref.areas, kitas, positions, threshold)
indicators = area_indicators(tables["gemeinden_kennzahlen"], ref.gemeinden, ref.areas, kitas)

counts = coverage["klasse"].value_counts()
cols = st.columns(5)
cols[0].metric("VZÄ im Kreis", number(coverage["vze"].sum(), 2))
cols[1].metric("keine Versorgung", int(counts.get("keine", 0)))
cols[2].metric("unterversorgt", int(counts.get("unter", 0)))
cols[3].metric("versorgt", int(counts.get("versorgt", 0)))
cols[4].metric("Kitas ohne Kita-Sozialarbeit", sum(len(x) for x in coverage["kitas_ohne_versorgung"]))

st.header(f"Versorgung je Gebiet am {stand:%d.%m.%Y}")
ui.show_table(export.coverage_table(coverage))
ui.table_downloads(
    f"versorgung-{stand:%Y-%m-%d}",
    {"Versorgung": export.coverage_table(coverage), "Kennzahlen": export.indicator_table(indicators)},
    ui.export_info("Versorgung mit Kita-Sozialarbeit je Gebiet (Blatt Kennzahlen: Sozialraum-Kennzahlen)",
                   f"{stand:%d.%m.%Y}"), "tabelle")

st.altair_chart(overview.children_per_fte_chart(coverage, threshold), width="stretch", height=36 * len(coverage) + 90)

map_col, side_col = st.columns([3, 2], gap="medium")
with side_col:
    st.header("Rangfolge nach Bedarf")
    st.caption(f"Regel „{RULES['unversorgte_zuerst'].label}“ wie in der Planung: "
               + md(rule_explanation("unversorgte_zuerst", threshold)))
    ui.show_table(export.for_display(ranking(coverage, "unversorgte_zuerst", threshold)))
with map_col:
    st.header("Karte")
    ui.restore("kennzahl", "klasse", ui.query_value("kennzahl", set(overview.FIGURES)))
    figure = st.selectbox("Einfärben nach", list(overview.FIGURES), format_func=lambda k: overview.FIGURES[k].label,
                          key="kennzahl")
    scheme, bins = "natural_breaks", None
    view["kennzahl"] = figure if figure != "klasse" else ""
    if figure != "klasse":
        left, right = st.columns(2)
        ui.restore("schema", "natural_breaks", ui.query_value("klassen", set(maps.SCHEMES)))
        scheme = left.radio("Klassen", list(maps.SCHEMES), format_func=lambda s: maps.scheme_label(s, ui.lang()), key="schema")
        view["klassen"] = scheme
        if scheme == "fixed":
            default = overview.default_bins(figure, overview.figure_values(figure, coverage, indicators), threshold,
                                            ui.lang())
            ui.restore(f"schwellen_{figure}", default, st.query_params.get("schwellen") or None)
            text = right.text_input("Obergrenzen der Klassen (mit ; trennen, z. B. 400; 600; 1.000)",
                                    key=f"schwellen_{figure}")
            try:
                bins = overview.parse_bins(text, ui.lang())
                view["schwellen"] = overview.format_bins(bins, 2, ui.lang())
            except DataError as exc:
                st.error(md(exc))
                scheme = "natural_breaks"
        ui.remember("schema", f"schwellen_{figure}")
        if figure in INDICATORS:
            message = missing_message(figure, missing_values(tables["gemeinden_kennzahlen"], ref.gemeinden))
            if message:
                st.warning(md(message))
            if indicators["demo"].any():
                st.caption("Kennzahlen sind Schätzungen (Beispieldaten), bis das Statistische Landesamt Zahlen liefert.")
    ui.remember("kennzahl")
    show_map(stand, "karte_versorgung", figure, scheme, bins)

st.header("Vorher / nachher")
st.caption("Dieselbe Regel an zwei Tagen, z. B. vor und nach den neuen Stellen ab Sommer 2024.")
left, right = st.columns(2)
with left:
    before = pick_date("Vorher", "vorher", "vor Sommer 2024")
with right:
    after = pick_date("Nachher", "nachher", "nach Sommer 2024")
pair_problem = overview.check_date_pair(before, after)
if pair_problem:
    st.error(md(pair_problem))
else:
    before_cov = coverage_at(before, ref.areas, kitas, positions, threshold)
    after_cov = coverage_at(after, ref.areas, kitas, positions, threshold)
    with left:
        show_map(before, "karte_vorher", height=400)
    with right:
        show_map(after, "karte_nachher", height=400)
    change = change_between(before_cov, after_cov)
    ui.show_table(export.change_table(change))
    changed = change[change["vze_differenz"] != 0]
    st.markdown(
        f"Vom {before:%d.%m.%Y} zum {after:%d.%m.%Y}: {number(change['vze_differenz'].sum(), 2)} VZÄ Änderung, "
        f"in {len(changed)} Gebiet(en): " + (", ".join(md(g) for g in changed["gebiet"]) or "keine")
    )
    st.altair_chart(overview.fte_change_chart(change, f"{before:%d.%m.%Y}", f"{after:%d.%m.%Y}"), width="stretch")
    ui.table_downloads(
        f"versorgung-{before:%Y-%m-%d}-{after:%Y-%m-%d}", {"Vorher-nachher": export.change_table(change)},
        ui.export_info("Versorgung vorher / nachher je Gebiet", f"{before:%d.%m.%Y} (vorher) und {after:%d.%m.%Y} (nachher)"),
        "vergleich")

st.header("Versorgung über die Zeit")
st.caption("Dieselbe Regel am Ersten jedes Monats seit der ersten erfassten Stelle; Kitas und Kinderzahlen wie "
           "heute erfasst. Die gestrichelte Linie markiert den Stichtag „ab Sommer 2024“.")
series = monthly_series(ui.store().version())
area_keys = list(ref.areas["gebiet_rs"])
area_names = dict(zip(ref.areas["gebiet_rs"], ref.areas["gebiet"]))
ui.restore("verlauf_gebiete", [])
chosen_areas = st.multiselect("Gebiete (leer = alle)", area_keys, format_func=area_names.get, key="verlauf_gebiete")
ui.remember("verlauf_gebiete")
shown_series = series[series["gebiet_rs"].isin(chosen_areas)] if chosen_areas else series
st.altair_chart(overview.series_chart(shown_series, settings.summer_2024), width="stretch")
with st.expander("Tabelle: VZÄ und Versorgung je Monat und Gebiet"):
    ui.show_table(overview.series_table(series, chosen_areas), key="verlauf_tabelle")
ui.table_downloads(
    f"versorgung-verlauf-{ui.today():%Y-%m-%d}", {"Verlauf": overview.series_table(series, chosen_areas)},
    ui.export_info("Versorgung je Gebiet am Ersten jedes Monats",
                   f"{series['stand'].min():%d.%m.%Y} bis {series['stand'].max():%d.%m.%Y} (monatlich)"), "verlauf")

st.header("Kitas und ihre Kita-Sozialarbeit")
st.caption(f"Am {stand:%d.%m.%Y} (Stichtag oben): welche Stelle welche Kita betreut und seit wann, oder „ohne“. "
           "Spaltenköpfe sortieren die Tabelle.")
kita_rows = overview.kita_table(stand, kitas, positions, ref.areas, ref.gemeinden)
c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
ui.restore("kita_suche", "")
ui.restore("kita_gebiete", [])
ui.restore("kita_ohne", False)
search = c1.text_input("Suche (Kita, Gemeinde, Stelle)", key="kita_suche")
kita_areas = c2.multiselect("Gebiete", area_keys, format_func=area_names.get, key="kita_gebiete")
only_without = c3.checkbox("nur ohne Kita-Sozialarbeit", key="kita_ohne")
ui.remember("kita_suche", "kita_gebiete", "kita_ohne")
kita_shown = overview.filter_kitas(kita_rows, search, kita_areas, only_without)
st.caption(f"{len(kita_shown)} von {len(kita_rows)} Kitas")
ui.show_table(kita_shown, key="kita_tabelle")
ui.table_downloads(
    f"kitas-{stand:%Y-%m-%d}", {"Kitas": kita_shown},
    ui.export_info("Kitas und ihre Kita-Sozialarbeit" + (" (gefiltert)" if len(kita_shown) < len(kita_rows) else ""),
                   f"{stand:%d.%m.%Y}"), "kitas")

st.header("Sozialraum-Kennzahlen je Gebiet")
st.caption(
    "Summen über die Gemeinden des Gebiets; Anteile gewichtet mit den Kindern unter 7. Das Land verteilt das "
    "Sozialraumbudget nach dem Anteil der Kinder unter 7 und dem Anteil der Kinder unter 7 in "
    "Bürgergeld-Haushalten. Als Kartenebene: oben unter „Einfärben nach“."
)
missing = missing_values(tables["gemeinden_kennzahlen"], ref.gemeinden)
for message in dict.fromkeys(missing_message(key, missing) for key in INDICATORS):
    if message:
        st.warning(md(message))
ui.show_table(export.indicator_table(indicators))
if indicators["demo"].any():
    st.caption("Alle Kennzahlen sind Schätzungen (Beispieldaten), bis das Statistische Landesamt Zahlen liefert.")
share_view()
