"""Entry and start page for parents: map, search by place or PLZ, click → who is responsible and how to reach her.

Run with ``streamlit run dashboard.py``. The other pages are the files in ``pages/`` (Streamlit's classic
multipage layout); every page, this one included, starts with ``ui.page_setup()``.
"""

import copy
import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

import ui
from geo import maps
from geo.contacts import Panel, build_panel
from geo.coverage import CLASSES, coverage_at, kita_coverage
from geo.search import search
from geo.text import mail_link, md, number, web_link

ui.page_setup()

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
stand = ui.today()
coverage = coverage_at(stand, ref.areas, tables["kitas"], tables["fachkraefte"], settings.max_children_per_fte)
kitas = kita_coverage(stand, tables["kitas"], tables["fachkraefte"])


@st.cache_resource(show_spinner="Zeichne Karte …", max_entries=8)
def base_map(stand: dt.date, basemap: str, version: int):
    """The map for one date and data version (the same object on every rerun keeps the component)."""
    return maps.build_map(
        ref.areas, coverage, kitas, ref.district, maps.coverage_fill(coverage), gemeinden=ref.gemeinden,
        basemap=basemap, basemap_attribution=settings.basemap_attribution, boundary_attribution=ref.attribution,
    )


def select(gebiet_rs: str, gemeinde_rs: str = "", kita_id: str = "") -> None:
    """Remember the selection in the session and in the URL (?gebiet=…&gemeinde=…&kita=…)."""
    st.session_state["auswahl"] = {"gebiet": gebiet_rs, "gemeinde": gemeinde_rs, "kita": kita_id}
    ui.set_query(st.session_state["auswahl"])


def selection_from_url() -> dict:
    gebiet = ui.query_value("gebiet", set(ref.areas["gebiet_rs"]))
    gemeinde = ui.query_value("gemeinde", set(ref.gemeinden["gemeinde_rs"]))
    kita = ui.query_value("kita", set(kitas["id"]))
    if kita:
        gemeinde = kitas.set_index("id").loc[kita, "gemeinde_rs"]
    if gemeinde:
        gebiet = gemeinde[:9]
    return {"gebiet": gebiet or "", "gemeinde": gemeinde or "", "kita": kita or ""}


def render_panel(panel: Panel) -> None:
    cls = CLASSES[panel.klasse]
    st.subheader(panel.title)
    if panel.subtitle:
        st.caption(panel.subtitle)
    st.markdown(
        f"**{md(panel.gebiet)}** · {ui.t('status')}: "
        f":{cls.badge}-background[{md(cls.label)}]"
    )
    left, right = st.columns(2)
    left.metric(ui.t("fte"), number(panel.vze, 2))
    right.metric(ui.t("children"), number(panel.kinder, 0))
    st.markdown(f"#### {ui.t('contact_route')}")
    st.markdown(ui.t("route_kita"))
    st.markdown(ui.t("route_staff"))
    if panel.fachkraefte:
        for person in panel.fachkraefte:
            contact = " · ".join(x for x in [mail_link(person["email"]), md(person["telefon"])] if x)
            demo = " *(Beispiel)*" if person["demo"] else ""
            st.markdown(f"- {md(person['bezeichnung'])} ({number(person['vze'], 2)} VZÄ){demo}  \n  {contact}")
    else:
        st.info(ui.t("no_staff"))
    st.markdown(ui.t("route_coordination"))
    for contact in panel.kontakte:
        if contact["id"] == "kita":
            continue
        details = " · ".join(
            x for x in [mail_link(contact["email"]), md(contact["telefon"]), web_link(contact["web"])] if x
        )
        st.markdown(f"- {md(contact['name'])}, {md(contact['rolle'])}, {md(contact['organisation'])}  \n  {details}")
        if contact["hinweis"]:
            st.caption(contact["hinweis"])
    with st.expander(f"{ui.t('kitas_in_area')} ({len(panel.kitas)})", expanded=bool(panel.kitas) and len(panel.kitas) <= 3):
        for kita in panel.kitas:
            mark = "✅ betreut" if kita["versorgt"] else "⚪ ohne Kita-Sozialarbeit"
            address = ", ".join(x for x in [kita["strasse"], f"{kita['plz']} {kita['ort']}"] if x.strip())
            st.markdown(f"- **{md(kita['name'])}** – {md(address)} – {mark}  \n  Träger: {md(kita['traeger']) or '–'}")
    if panel.gemeinden and not panel.subtitle:
        st.caption(f"{ui.t('municipalities')}: " + ", ".join(panel.gemeinden))


st.title(ui.t("app_title"))
st.markdown(ui.t("map_intro"))
ui.demo_notice(tables)

if "auswahl" not in st.session_state:
    st.session_state["auswahl"] = selection_from_url()

query = st.text_input(ui.t("search_label"), placeholder=ui.t("search_placeholder"), max_chars=80, key="suche")
if query:
    result = search(query, ui.search_index())
    if result.outside:
        for place in result.outside:
            st.info(place.answer)
    elif result.message:
        st.error(result.message)
        if result.suggestions:
            st.markdown(f"{ui.t('search_suggest')}: " + ", ".join(f"**{md(s.label)}**" for s in result.suggestions) + "?")
    else:
        chosen = result.places[0]
        if len(result.places) > 1:
            chosen = st.selectbox(
                f"{ui.t('search_pick')} ({len(result.places)})", result.places, format_func=lambda p: p.label,
                key=f"treffer_{query}",
            )
        if st.session_state.get("letzte_suche") != (query, chosen):
            st.session_state["letzte_suche"] = (query, chosen)
            select(chosen.gebiet_rs, chosen.gemeinde_rs, chosen.kita_id)

auswahl = st.session_state["auswahl"]
map_col, panel_col = st.columns([3, 2], gap="medium")
with map_col:
    st.caption(ui.t("click_hint"))
    center, zoom = maps.view_for(ref.areas, ref.gemeinden, kitas, **auswahl)
    returned = st_folium(
        # st_folium renames the map's elements in place: hand it a copy of the cached map.
        copy.deepcopy(base_map(stand, settings.basemap, ui.store().version())),
        key="karte",
        height=580,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        feature_group_to_add=maps.selection_layer(ref.areas, auswahl["gebiet"]),
        center=center,
        zoom=zoom,
    )
    clicked = maps.clicked_object(returned)
    if clicked and clicked != st.session_state.get("letzter_klick"):
        st.session_state["letzter_klick"] = clicked
        kind, key = clicked
        if kind == "gebiet":
            select(key)
        else:
            gemeinde = kitas.set_index("id").loc[key, "gemeinde_rs"]
            select(gemeinde[:9], gemeinde, key)
        st.rerun()

with panel_col:
    if auswahl["gebiet"]:
        render_panel(
            build_panel(
                stand, coverage, kitas, tables["fachkraefte"], tables["kontakte"], ref.gemeinden,
                gebiet_rs=auswahl["gebiet"], gemeinde_rs=auswahl["gemeinde"], kita_id=auswahl["kita"],
            )
        )
        if st.button(ui.t("reset")):
            st.session_state["auswahl"] = {"gebiet": "", "gemeinde": "", "kita": ""}
            ui.set_query({})
            st.rerun()
    else:
        st.info(ui.t("no_selection"))
        st.markdown(f"#### {ui.t('contact_route')}")
        st.markdown(ui.t("route_kita"))
        coordination = tables["kontakte"][tables["kontakte"]["id"] == "koordination"]
        for contact in coordination.to_dict("records"):
            st.markdown(f"{ui.t('coordination')}: {md(contact['name'])}, {md(contact['organisation'])} – {web_link(contact['web'])}")
