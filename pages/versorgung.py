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
from geo.coverage import change_between, coverage_at, kita_coverage, rule_text
from geo.errors import DataError
from geo.indicators import INDICATORS, area_indicators, missing_message, missing_values
from geo.planning import RULES, ranking, rule_explanation
from geo.text import md, number

ui.page_setup("nav_coverage")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
positions, kitas = tables["fachkraefte"], tables["kitas"]
threshold = settings.max_children_per_fte


@st.cache_resource(show_spinner="Zeichne Karte …", max_entries=16)
def area_map(stand: dt.date, figure: str, scheme: str, bins: tuple | None, version: int, basemap: str):
    """One map per date, figure and data version (cached: the same map keeps the component)."""
    coverage = coverage_at(stand, ref.areas, kitas, positions, threshold)
    indicators = area_indicators(tables["gemeinden_kennzahlen"], ref.gemeinden, ref.areas, kitas)
    fill = overview.figure_fill(figure, coverage, indicators, scheme, list(bins) if bins else None)
    return maps.build_map(
        ref.areas, coverage, kita_coverage(stand, kitas, positions), ref.district, fill, gemeinden=ref.gemeinden,
        basemap=basemap, basemap_attribution=settings.basemap_attribution, boundary_attribution=ref.attribution,
    )


def show_map(stand: dt.date, key: str, figure: str = "klasse", scheme: str = "natural_breaks", bins=None, height=460):
    st_folium(
        # st_folium renames the map's elements in place: hand it a copy of the cached map.
        copy.deepcopy(area_map(stand, figure, scheme, tuple(bins) if bins else None, ui.store().version(),
                               settings.basemap)),
        key=key, height=height, use_container_width=True, returned_objects=[],
    )


def pick_date(label: str, key: str, default: str) -> dt.date:
    """Quick choices (today, before/after summer 2024) or a free date; a date outside the data stops here."""
    quick = overview.quick_dates(settings.summer_2024, ui.today())
    choice = st.radio(label, [*quick, "anderes Datum"], index=list(quick).index(default), horizontal=True, key=key)
    stand = quick.get(choice) or st.date_input(
        f"{label}: Datum", value=ui.today(), format="DD.MM.YYYY", key=f"{key}_datum",
        # wide bounds: a date outside the data gets the rule's message instead of a silent clamp
        min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31),
    )
    problem = overview.check_stand(stand, positions, ui.today())
    if problem:
        st.error(md(problem))
        st.stop()
    return stand


def show_table(table: pd.DataFrame) -> None:
    """A table with German numbers (1.020,8) and '–' where there is no value."""
    st.dataframe(export.german_style(table), hide_index=True, width="stretch")


def downloads(name: str, sheets: dict, key: str) -> None:
    first = next(iter(sheets.values()))
    left, right = st.columns(2)
    ui.download(left, "Tabelle als CSV", lambda: export.csv_bytes(first), f"{name}.csv", "text/csv", key=f"{key}_csv")
    ui.download(
        right, "Tabelle als Excel", lambda: export.excel_bytes(sheets), f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
    )


st.title(ui.t("coverage_title"))
st.markdown(ui.t("coverage_intro"))
ui.demo_notice(tables)
st.caption(md(rule_text(threshold)))

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
show_table(export.coverage_table(coverage))
downloads(f"versorgung-{stand:%Y-%m-%d}", {"Versorgung": export.coverage_table(coverage),
                                           "Kennzahlen": export.indicator_table(indicators)}, "tabelle")

st.altair_chart(overview.children_per_fte_chart(coverage, threshold), width="stretch", height=36 * len(coverage) + 90)

map_col, side_col = st.columns([3, 2], gap="medium")
with side_col:
    st.header("Rangfolge nach Bedarf")
    st.caption(f"Regel „{RULES['unversorgte_zuerst'].label}“ wie in der Planung: "
               + md(rule_explanation("unversorgte_zuerst", threshold)))
    show_table(export.for_display(ranking(coverage, "unversorgte_zuerst", threshold)))
with map_col:
    st.header("Karte")
    figure = st.selectbox("Einfärben nach", list(overview.FIGURES), format_func=lambda k: overview.FIGURES[k].label,
                          key="kennzahl")
    scheme, bins = "natural_breaks", None
    if figure != "klasse":
        left, right = st.columns(2)
        scheme = left.radio("Klassen", list(maps.SCHEMES), format_func=maps.SCHEMES.get, key="schema")
        if scheme == "fixed":
            default = overview.default_bins(figure, overview.figure_values(figure, coverage, indicators), threshold)
            text = right.text_input("Obergrenzen der Klassen (mit ; trennen)", value=default, key=f"schwellen_{figure}")
            try:
                bins = overview.parse_bins(text)
            except DataError as exc:
                st.error(md(exc))
                scheme = "natural_breaks"
        if figure in INDICATORS:
            message = missing_message(figure, missing_values(tables["gemeinden_kennzahlen"], ref.gemeinden))
            if message:
                st.warning(md(message))
            if indicators["demo"].any():
                st.caption("Kennzahlen sind Schätzungen (Beispieldaten), bis das Statistische Landesamt Zahlen liefert.")
    show_map(stand, "karte_versorgung", figure, scheme, bins)

st.header("Vorher / nachher")
st.caption("Dieselbe Regel an zwei Tagen, z. B. vor und nach den neuen Stellen ab Sommer 2024.")
left, right = st.columns(2)
with left:
    before = pick_date("Vorher", "vorher", "vor Sommer 2024")
with right:
    after = pick_date("Nachher", "nachher", "nach Sommer 2024")
before_cov = coverage_at(before, ref.areas, kitas, positions, threshold)
after_cov = coverage_at(after, ref.areas, kitas, positions, threshold)
with left:
    show_map(before, "karte_vorher", height=400)
with right:
    show_map(after, "karte_nachher", height=400)
change = change_between(before_cov, after_cov)
show_table(export.change_table(change))
changed = change[change["vze_differenz"] != 0]
st.markdown(
    f"Vom {before:%d.%m.%Y} zum {after:%d.%m.%Y}: {number(change['vze_differenz'].sum(), 2)} VZÄ Änderung, "
    f"in {len(changed)} Gebiet(en): " + (", ".join(md(g) for g in changed["gebiet"]) or "keine")
)
st.altair_chart(overview.fte_change_chart(change, f"{before:%d.%m.%Y}", f"{after:%d.%m.%Y}"), width="stretch")
downloads(f"versorgung-{before:%Y-%m-%d}-{after:%Y-%m-%d}", {"Vorher-nachher": export.change_table(change)}, "vergleich")

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
show_table(export.indicator_table(indicators))
if indicators["demo"].any():
    st.caption("Alle Kennzahlen sind Schätzungen (Beispieldaten), bis das Statistische Landesamt Zahlen liefert.")
