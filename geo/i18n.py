"""UI texts in German (default) and English. Pages ask for a key; missing English falls back to German."""

from __future__ import annotations

LANGUAGES = {"de": "Deutsch", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"de": "Kita-Sozialarbeit im Landkreis Alzey-Worms", "en": "Kita social work in Alzey-Worms district"},
    "nav_map": {"de": "Karte", "en": "Map"},
    "nav_coverage": {"de": "Versorgung", "en": "Coverage"},
    "nav_planning": {"de": "Planung", "en": "Planning"},
    "nav_presentation": {"de": "Präsentation", "en": "Presentation"},
    "nav_data": {"de": "Daten", "en": "Data"},
    "nav_about": {"de": "Über", "en": "About"},
    "map_intro": {
        "de": "Finden Sie Ihren Ort auf der Karte, per Name oder Postleitzahl – und sehen Sie, wer für Ihre Kita "
        "zuständig ist und wie Sie die Kita-Sozialarbeit erreichen. Das Angebot ist kostenfrei und vertraulich.",
        "en": "Find your village on the map, by name or postcode, and see who is responsible for your Kita and how to "
        "reach Kita social work. The service is free of charge and confidential.",
    },
    "search_label": {"de": "Ort, Ortsteil, Kita oder PLZ", "en": "Place, district, Kita or postcode"},
    "search_placeholder": {"de": "z. B. Wöllstein, 55234 oder Kita Eich", "en": "e.g. Wöllstein, 55234 or Kita Eich"},
    "search_pick": {"de": "Treffer auswählen", "en": "Choose a result"},
    "search_suggest": {"de": "Meinten Sie", "en": "Did you mean"},
    "click_hint": {
        "de": "Klicken Sie auf ein Gebiet oder eine Kita, um die Ansprechpersonen zu sehen.",
        "en": "Click an area or a Kita to see who to contact.",
    },
    "demo_notice": {
        "de": "**Beispieldaten:** Kitas, Kinderzahlen und die Verteilung der Stellen sind erfunden, bis die "
        "Kreisverwaltung echte Listen liefert. Grenzen und Gemeinden sind amtlich (BKG).",
        "en": "**Sample data:** Kitas, numbers of children and the split of positions are invented until the district "
        "administration supplies real lists. Boundaries and municipalities are official (BKG).",
    },
    "contact_route": {"de": "So erreichen Sie die Kita-Sozialarbeit", "en": "How to reach Kita social work"},
    "route_kita": {
        "de": "**1. Fragen Sie in Ihrer Kita.** Die Kita weiß, welche Kita-Sozialarbeiterin zuständig ist, und stellt den Kontakt her.",
        "en": "**1. Ask your Kita.** It knows the responsible social worker and puts you in touch.",
    },
    "route_staff": {"de": "**2. Zuständige Kita-Sozialarbeit**", "en": "**2. Responsible Kita social work**"},
    "coordination": {"de": "**Koordination im Landkreis**", "en": "**Coordination for the district**"},
    "route_coordination": {"de": "**3. Koordination im Landkreis**", "en": "**3. Coordination for the district**"},
    "no_staff": {
        "de": "Hier ist derzeit keine Kita-Sozialarbeiterin eingesetzt. Bitte wenden Sie sich an die Koordination.",
        "en": "No Kita social worker is assigned here at present. Please contact the coordination.",
    },
    "kitas_in_area": {"de": "Kitas", "en": "Kitas"},
    "status": {"de": "Versorgung", "en": "Coverage"},
    "fte": {"de": "Stellen (VZÄ)", "en": "Positions (FTE)"},
    "children": {"de": "Kita-Kinder", "en": "Kita children"},
    "stand": {"de": "Stand", "en": "As of"},
    "language": {"de": "Sprache", "en": "Language"},
    "data_stand": {"de": "Datenstand", "en": "Data as of"},
    "boundaries": {"de": "Grenzen", "en": "Boundaries"},
    "no_selection": {
        "de": "Noch nichts ausgewählt. Suchen Sie Ihren Ort oder klicken Sie in die Karte.",
        "en": "Nothing selected yet. Search for your place or click on the map.",
    },
    "slide_previous": {"de": "◀ Zurück", "en": "◀ Back"},
    "slide_next": {"de": "Weiter ▶", "en": "Next ▶"},
    "demo_short": {"de": "Beispieldaten", "en": "Sample data"},
    "presentation_settings": {"de": "Titel und Folie", "en": "Title and slide"},
    "presentation_title": {"de": "Titel", "en": "Title"},
    "presentation_subtitle": {"de": "Untertitel", "en": "Subtitle"},
    "presentation_jump": {"de": "Folie wählen", "en": "Go to slide"},
    "presentation_format": {"de": "Bildschirm bzw. Projektor (Pixel)", "en": "Screen or projector (pixels)"},
    "presentation_export": {"de": "Export: Bilder, PDF, interaktive Karte, Steckbriefe", "en": "Export: images, PDF, interactive map, fact sheets"},
    "presentation_export_hint": {
        "de": "Die Exporte zeigen die Versorgung am {stand} mit Titel und Untertitel dieser Folie – Farben, Klassen "
        "und Zahlen wie auf dem Bildschirm; auf einer Gebietsfolie zeigen Bild und PDF das Gebiet. Die interaktive "
        "Karte ist eine einzelne HTML-Datei, die ohne Internet öffnet.",
        "en": "Exports show the coverage on {stand} with this slide's title and subtitle, with the colours, classes and "
        "numbers on screen; on an area slide, image and PDF show the area. The interactive map is a single HTML file "
        "that opens offline.",
    },
    "presentation_all_sheets": {"de": "Steckbriefe aller Gebiete erzeugen (PDF)", "en": "Create fact sheets of all areas (PDF)"},
    "presentation_all_sheets_running": {"de": "Erzeuge Steckbriefe …", "en": "Creating fact sheets …"},
    "presentation_all_sheets_done": {"de": "Steckbriefe fertig", "en": "Fact sheets ready"},
    "presentation_all_sheets_download": {"de": "Steckbriefe herunterladen (PDF)", "en": "Download fact sheets (PDF)"},
    "reset": {"de": "Auswahl aufheben", "en": "Clear selection"},
    "municipalities": {"de": "Gemeinden im Gebiet", "en": "Municipalities in the area"},
    "coverage_title": {"de": "Versorgung mit Kita-Sozialarbeit", "en": "Coverage with Kita social work"},
    "coverage_intro": {
        "de": "Für die Koordination: wie gut jedes Gebiet an einem Stichtag versorgt ist, wo der Bedarf am größten "
        "ist und was sich mit den neuen Stellen ab Sommer 2024 geändert hat.",
        "en": "For the coordination: how well each area is covered on a given date, where need is greatest and what "
        "changed with the new positions from summer 2024.",
    },
    "planning_title": {"de": "Planung neuer Stellen", "en": "Planning new positions"},
    "planning_intro": {
        "de": "Geben Sie an, wie viele neue Vollzeitstellen (VZÄ) verteilt werden, und wählen Sie eine Regel. Die "
        "Stellen werden in Schritten von 0,5 VZÄ jeweils dem Gebiet mit dem größten Bedarf zugeteilt; jeder Schritt "
        "ist begründet und lässt sich von Hand ändern.",
        "en": "Enter how many new full-time equivalents (FTE) to allocate and choose a rule. They are allocated in "
        "steps of 0.5 FTE, each to the area with the greatest need; every step is explained and can be overridden.",
    },
}


def text(key: str, language: str = "de") -> str:
    entry = TEXTS[key]
    return entry.get(language) or entry["de"]
