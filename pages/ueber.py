"""About: sources, licences, data stand, coverage rule, privacy and external requests."""

import streamlit as st

import ui
from kita.coverage import rule_text
from geo.layers import uses_demo_data
from geo.reference import facts_in_language, facts_markdown, load_facts, sources_markdown, sources_table
from kita.text import md

ui.page_setup("nav_about")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
facts = load_facts()

lang = ui.lang()

st.title(ui.t("about_title"), anchor=False)
st.markdown(ui.t("about_intro"))

st.header(ui.t("about_sources_title"), anchor=False)
st.markdown(sources_markdown(sources_table(ref.attribution, ref.boundary_stand, ref.boundary_licence, lang, facts),
                             lang))
if uses_demo_data(tables):
    st.warning(ui.t("demo_notice"), icon="ℹ️")
st.markdown(ui.t("about_demo_data"))
st.caption(ui.t("about_boundaries"))

st.header(ui.t("about_facts_title"), anchor=False)
st.caption(ui.t("about_facts_caption"))
if not facts_in_language(facts, lang):
    st.info(ui.t("about_facts_in_german"), icon=":material/translate:")
st.markdown(facts_markdown(facts, lang))

st.header(ui.t("about_rule_title"), anchor=False)
st.markdown(md(rule_text(settings.max_children_per_fte, lang)))
st.caption(ui.t("about_rule_caption"))

st.header(ui.t("about_privacy_title"), anchor=False)
if settings.basemap == "none":
    basemap, basemap_note = ui.t("about_basemap_none"), ui.t("privacy_no_basemap")
elif settings.basemap == "osm":
    basemap, basemap_note = ui.t("about_basemap_osm"), ui.t("privacy_osm")
else:
    basemap, basemap_note = ui.t("about_basemap_own", url=settings.basemap), ""
st.markdown(ui.t("about_privacy", basemap=md(basemap), hinweis=basemap_note))
