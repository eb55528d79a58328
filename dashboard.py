"""Entry and start page for parents: search by place or PLZ (or tap the map) → whom to call.

Run with ``streamlit run dashboard.py`` (Streamlit finds the server app ``app`` below). The other pages are
the files in ``pages/`` (Streamlit's classic multipage layout); every page, this one included, starts with
``ui.page_setup()``.

The selection lives in the URL only (``?gebiet=…&gemeinde=…&ortsteil=…&kita=…``): a link opens the same
card, and Back/Forward show the previous selection (one history entry per selection). The element tree
before the map is the same on every run and the map's content never changes, so the map is never
remounted; a selection reaches it as a highlight layer that fits the map to it.
"""

from __future__ import annotations

import streamlit as st

if __name__ != "__main__":
    # `streamlit run dashboard.py` first imports this file to look for a server app, finds `app` and serves
    # through it: Streamlit's own server (st.App), which runs this file and pages/ as usual, with one
    # middleware in front that answers the frontend's files from memory, compressed once (ui/framework/frontend_files.py).
    # Nothing that declares a component is imported here: components (the map) must be declared inside the
    # running server. kita.constants reads the data folder's kreis.toml; geo.assets copies Leaflet's files.
    from kita import constants
    from kita.errors import DataError
    from ui.framework import frontend_files

    try:  # a broken data folder stops the start with its German message, not with a blank page per visitor
        constants.district()
    except DataError as exc:
        raise SystemExit(f"Die Kita-Karte startet nicht: {exc}") from None
    from geo import assets

    # Leaflet into static/vendor/ before Streamlit looks for static/ (on a fresh checkout it warned that the
    # folder was missing) and before the first visitor (ui.page_setup's once-per-process copy then finds them).
    assets.copy_vendor_files()

    # http_guard: security headers, /_stcore/metrics closed, the login cookie routes (outermost, so every
    # answer gets the headers, also those from memory).
    from ui import http_guard
    from starlette.middleware import Middleware

    app = st.App(__file__, middleware=[Middleware(http_guard.HttpGuard), *frontend_files.middleware()])
else:  # a run of the page: Streamlit executes this file as __main__
    import ui
    from geo import dataset, lightgeo, maps
    from kita.contacts import Card, parent_card
    from geo.search import Place, SearchResult, directory, search
    from kita.text import mail_link, md, phone_link, web_link

    SELECTION_KEYS = ("gebiet", "gemeinde", "ortsteil", "kita")

    ui.page_setup()

    version = ui.store().version()  # the database's change counter: every cache below is keyed by it
    settings, ref, tables = ui.settings(), ui.reference(), ui.tables(version)
    stand = ui.today()
    coverage, kitas = ui.coverage(stand, version)


    # A data folder that spans several Kreise (a whole Land, see README) starts at Land level: every area
    # coloured, Kreis borders, no Gemeinden or Kitas; a tap on an area opens its Kreis as the district map.
    LAND = ref.kreise is not None


    @st.cache_resource(show_spinner=False, max_entries=2)
    def overview(boundary_stand: str):
        """(areas, Kreise) for the Land overview: simplified for its scale, the Kreise dissolved from the areas."""
        areas = lightgeo.overview_areas(ref.areas)
        return areas, lightgeo.overview_kreise(areas)


    @st.cache_data(show_spinner=False, max_entries=4)
    def search_examples(version: int) -> dict[str, str]:
        """The search field's examples (places of this data folder), once per data version."""
        return dataset.search_examples(ref, kitas)


    def base_map(kreis: str = "", lang: str = "de"):
        """The map for one date, data version, language and (in a Land) Kreis; rendered once and shared by every
        session (ui.map_component). ``kreis`` empty in a Land: the overview."""
        common = {"basemap": settings.basemap, "basemap_attribution": settings.basemap_attribution,
                  "boundary_attribution": ref.credit_in(lang), "parents": True, "lang": lang}
        if LAND and not kreis:
            areas, kreise = overview(ref.boundary_stand)
            return maps.build_map(areas, coverage, None, kreise,
                                  maps.coverage_fill(coverage, lang=lang), labels=False, **common)
        areas, gemeinden, district = ref.areas, ref.gemeinden, ref.district
        shown_coverage, shown_kitas = coverage, kitas
        if LAND:
            areas = areas[areas["gebiet_rs"].str.startswith(kreis)]
            gemeinden = gemeinden[gemeinden["gemeinde_rs"].str.startswith(kreis)]
            district = ref.kreise[ref.kreise["RS"] == kreis]
            shown_coverage = coverage[coverage["gebiet_rs"].str.startswith(kreis)]
            shown_kitas = kitas[kitas["gemeinde_rs"].str.startswith(kreis)]
        return maps.build_map(
            areas, shown_coverage, shown_kitas, district, maps.coverage_fill(shown_coverage, lang=lang),
            gemeinden=gemeinden, gemeinde_labels=True, **common,
        )


    @st.cache_resource(show_spinner=False, max_entries=4)
    def url_keys(version: int) -> tuple[frozenset, frozenset, dict, dict]:
        """What a URL may name, once per data version (was built from the tables on every run, twice per tap):
        area keys, Gemeinde keys, Kita id → Gemeinde, Gemeinde → its Ortsteile."""
        ortsteile: dict[str, set[str]] = {}
        for gemeinde, name in zip(ref.ortsteile["gemeinde_rs"], ref.ortsteile["ortsteil"]):
            ortsteile.setdefault(gemeinde, set()).add(name)
        return (frozenset(ref.areas["gebiet_rs"]), frozenset(ref.gemeinden["gemeinde_rs"]),
                dict(zip(kitas["id"], kitas["gemeinde_rs"])), ortsteile)


    def selection_from_url() -> dict:
        """The selection in the URL, checked against the data (unknown values are dropped with a warning)."""
        area_keys, gemeinde_keys, kita_gemeinde, ortsteile_of = url_keys(version)
        gebiet = ui.query_value("gebiet", area_keys)
        gemeinde = ui.query_value("gemeinde", gemeinde_keys)
        kita = ui.query_value("kita", kita_gemeinde.keys())
        if kita:
            gemeinde = kita_gemeinde[kita]
        if gemeinde:
            gebiet = gemeinde[:9]
        ortsteile = ortsteile_of.get(gemeinde, set()) if gemeinde else set()
        ortsteil = ui.query_value("ortsteil", ortsteile) if ortsteile and not kita else None
        return {"gebiet": gebiet or "", "gemeinde": gemeinde or "", "ortsteil": ortsteil or "", "kita": kita or ""}


    def selection_of(place: Place) -> dict:
        return {
            "gebiet": place.gebiet_rs,
            "gemeinde": place.gemeinde_rs,
            "ortsteil": place.name if place.kind == "ortsteil" else "",
            "kita": place.kita_id,
        }


    def same(first: dict, second: dict) -> bool:
        return all(first.get(k, "") == second.get(k, "") for k in SELECTION_KEYS)


    def select(selection: dict) -> None:
        """One URL change (one history entry) per selection."""
        ui.set_query({k: selection.get(k, "") for k in SELECTION_KEYS})


    @st.cache_data(show_spinner=False, max_entries=1024)
    def card_for(version: int, stand, lang: str, gebiet: str, gemeinde: str, ortsteil: str, kita: str) -> Card:
        """The card for a selection, once per data version, date and language (shared by every session)."""
        return parent_card(
            stand, kitas, tables["fachkraefte"], tables["kontakte"], ref.gemeinden, ref.areas,
            gebiet_rs=gebiet, gemeinde_rs=gemeinde, ortsteil=ortsteil, kita_id=kita, lang=lang,
        )


    def apply_map_click() -> bool:
        """A tap on an area or a Kita (the map's value, copied to ``st.session_state["karte"]`` when it changes)
        selects it at the start of the run it causes: one run per click, card and map together.

        The map posts that value itself at the click (``maps.KeyboardAccess``; streamlit-folium would send it
        only after its 250 ms debounce and is asked for nothing), so pan and zoom cause no run at all."""
        returned = st.session_state.get("karte") or {}
        clicked = maps.clicked_object(returned)
        token = (clicked, returned.get("klick"))  # the map numbers its clicks: the same spot again is a new one
        if clicked is None or token == st.session_state.get("letzter_klick"):
            return False
        st.session_state["letzter_klick"] = token
        kind, key = clicked
        _, _, kita_gemeinde, _ = url_keys(version)
        if kind == "gebiet":
            select({"gebiet": key})
        elif key in kita_gemeinde:
            gemeinde = kita_gemeinde[key]
            select({"gebiet": gemeinde[:9], "gemeinde": gemeinde, "kita": key})
        return True


    def on_search() -> None:
        """Search once per changed input; a clear hit selects it, anything else clears the old card."""
        query = st.session_state.get("suche", "")
        if not query.strip():
            st.session_state.pop("suche_ergebnis", None)
            st.session_state.pop("suche_auswahl", None)
            return
        result = search(query, ui.search_index(), ui.lang())
        selection = selection_of(result.chosen) if result.chosen else {}
        st.session_state["suche_ergebnis"] = result
        st.session_state["suche_auswahl"] = selection
        select(selection)


    def choose(place: Place) -> None:
        """A click on a choice ('Welchen Ort meinen Sie?', 'Meinten Sie …'): select it and show its name."""
        st.session_state["suche"] = place.name
        st.session_state["suche_ergebnis"] = SearchResult(query=place.name, places=[place])
        st.session_state["suche_auswahl"] = selection_of(place)
        select(selection_of(place))


    def choice_buttons(places: list[Place], key: str) -> None:
        for i, place in enumerate(places):
            st.button(md(place.label_in(ui.lang())), key=f"{key}_{i}", on_click=choose, args=(place,),
                      icon=":material/place:")


    def pick(place: Place) -> None:
        """A click on an entry of the place list: its card, as a tap on the map would open it."""
        st.session_state["suche"] = ""
        st.session_state.pop("suche_ergebnis", None)
        st.session_state.pop("suche_auswahl", None)
        select(selection_of(place))


    def place_list(kreis: str | None) -> None:
        """The way to a card without the map (keyboard, screen reader): every area with its Gemeinden and Kitas
        as buttons. Its content is built only while the list is open."""
        box = st.expander(ui.t("list_title"), key="ortsliste", on_change="rerun", icon=":material/list:")
        if not box.open:
            return
        with box:
            st.caption(ui.t("list_hint"))
            for entry in directory(ui.search_index(), kreis):
                st.markdown(f"**{md(entry.area.name)}**")
                with st.container(horizontal=True, gap="small"):
                    st.button(ui.t("list_whole_area"), key=f"liste_{entry.area.gebiet_rs}", on_click=pick,
                              args=(entry.area,), icon=":material/map:")
                    for place in entry.gemeinden:
                        st.button(md(place.name), key=f"liste_{place.gemeinde_rs}", on_click=pick, args=(place,))
                if entry.kitas:
                    with st.container(horizontal=True, gap="small"):
                        for place in entry.kitas:
                            st.button(md(place.name), key=f"liste_{place.kita_id}", on_click=pick, args=(place,),
                                      icon=":material/child_care:")


    def render_search_result(result: SearchResult) -> None:
        if result.outside:
            for place in result.outside:
                st.info(md(place.answer(ui.lang())), icon=":material/travel_explore:")
        elif result.message:
            st.error(md(result.message))
            if result.suggestions:
                st.markdown(f"**{ui.t('search_suggest')}**")
                choice_buttons(result.suggestions, "vorschlag")
        elif result.chosen is None and result.places:
            question = ui.t("search_pick")
            if result.border_plz:  # names the other Kreis and its places when the PLZ table knows them
                note = md(result.border_note) if result.border_note else ui.t("search_border_plz", plz=result.border_plz)
                st.info(note, icon=":material/info:")
            if len(result.places) <= 6:
                st.markdown(f"**{question}**")
                choice_buttons(result.places, "treffer")
            else:
                st.selectbox(
                    f"{question} ({len(result.places)})", result.places, index=None, format_func=lambda p: p.label_in(ui.lang()),
                    placeholder=ui.t("search_pick_placeholder"), key=f"treffer_{result.query}",
                    on_change=lambda: choose(st.session_state[f"treffer_{result.query}"]),
                )
        elif result.corrected and result.chosen:
            st.caption(ui.t("search_corrected", name=md(result.chosen.name), query=md(result.query)))
        if result.chosen and result.border_note:  # '55578 Wallertheim': the card is ours, the PLZ also the neighbour's
            st.info(md(result.border_note), icon=":material/info:")


    def data_text(value) -> str:
        """Text from the data (names, addresses, the data's own notes) escaped for Markdown and set in a Unicode
        isolate: inside Arabic text it keeps its own left-to-right order and punctuation."""
        return f"\u2068{md(value)}\u2069"


    def contact_line(phone: str, email: str, web: str = "", demo: bool = False) -> str:
        """'Telefon: 030 23125 100 (Beispielnummer)', 'E-Mail: …', the web link: one per line, each named in words
        (no symbol as the only sign of what it is). The number sits in a Unicode isolate so it reads left to
        right inside Arabic text."""
        parts = []
        if (phone or "").strip():
            mark = f" ({ui.t('demo_number')})" if demo else ""
            parts.append(f"{ui.t('contact_phone')}: \u2068{phone_link(phone)}\u2069{mark}")
        if (email or "").strip():
            parts.append(f"{ui.t('contact_email')}: \u2068{mail_link(email)}\u2069")
        if (web or "").strip():
            parts.append(web_link(web))
        return "  \n  ".join(parts)


    def kita_line(kita: dict, demo: str, web: bool = False) -> str:
        """'- Kita Eich 1, Hauptstr. 1, 67575 Eich' and its contact lines (a demo mark unless the name says so)."""
        mark = demo if kita["demo"] and "Beispiel" not in kita["name"] else ""
        address = ", ".join(x for x in [kita["strasse"], f"{kita['plz']} {kita['ort']}".strip()] if x)
        line = contact_line(kita["telefon"], kita["email"], kita["web"] if web else "", demo=bool(kita["demo"]))
        return f"- {data_text(kita['name'])}{mark}" + (f" – {data_text(address)}" if address else "") + (f"  \n  {line}" if line else "")


    def render_card(card: Card) -> None:
        demo = f" *({ui.t('demo_value')})*"
        st.header(md(card.title), anchor="kontakt")  # h2: the page's headings go h1 → h2 without a jump
        if card.subtitle:
            st.caption(md(card.subtitle))
        if card.staff:
            st.markdown(f"**{ui.t('card_staff')}**  \n{ui.t('card_staff_hint')}")
            for person in card.staff:
                line = contact_line(person["telefon"], person["email"], demo=bool(person["demo"])) or ui.t("card_no_contact")
                st.markdown(f"- **{data_text(person['bezeichnung'])}**{demo if person['demo'] else ''}  \n  {line}")
        else:
            st.warning(ui.t("card_no_staff"), icon=":material/info:")
            st.markdown(ui.t("card_alternatives"))
        if card.kita is not None:
            st.markdown(f"**{ui.t('card_your_kita')}**")
            st.markdown(kita_line(card.kita, demo, web=True))
        elif card.kitas:
            box = st.expander(f"{ui.t('card_kitas')} ({len(card.kitas)})") if len(card.kitas) > 3 else st.container()
            box.markdown("" if len(card.kitas) > 3 else f"**{ui.t('card_kitas')}**")
            box.markdown("\n".join(kita_line(kita, demo) for kita in card.kitas))
        st.markdown(f"**{md(ui.t('card_coordination'))}**")  # the Kreis's name from kreis.toml
        for contact in card.coordination:
            # each part in its own isolate: the role may be in the reader's script between Latin names
            who = ", ".join(data_text(x) for x in [contact["name"], contact["rolle"], contact["organisation"]] if x)
            line = contact_line(contact["telefon"], contact["email"], contact["web"], demo=bool(contact["demo"]))
            st.markdown(f"- {who}" + (f"  \n  {line}" if line else ""))
            if contact["hinweis"]:
                st.caption(data_text(contact["hinweis"]))
        st.markdown(f"[↓ {ui.t('back_to_map')}](#karte)")


    # --- the page: header, search, card, map (same element tree on every run) --------------------------------
    ui.page_style("start_page")
    apply_map_click()
    auswahl = selection_from_url()
    if "suche_auswahl" in st.session_state and same(st.session_state["suche_auswahl"], auswahl) is False:
        # The selection changed elsewhere (map tap, Back/Forward, reset): the old search no longer applies.
        st.session_state["suche"] = ""
        st.session_state.pop("suche_ergebnis", None)
        st.session_state.pop("suche_auswahl", None)

    with st.container(key="kopf"):
        st.title(ui.t("app_title"))
        st.caption(ui.t("map_intro"))
        ui.demo_notice(tables, compact=True)
    with st.container(key="suche_box"):
        st.text_input(ui.t("search_label"), placeholder=ui.t("search_placeholder", **search_examples(version)), max_chars=80, key="suche",
                      on_change=on_search)
        if "suche_ergebnis" in st.session_state:
            render_search_result(st.session_state["suche_ergebnis"])
        located = ui.where_am_i(ref.gemeinden)
        if located:
            select({"gebiet": located[:9], "gemeinde": located})
            st.rerun()
        place_list(auswahl["gebiet"][:5] if LAND else None)

    @st.fragment
    def card_and_map(auswahl: dict) -> None:
        """Card and map as one fragment: a tap on the map reruns only this part of the page."""
        if apply_map_click():  # a tap: this is a fragment run, the selection is the URL's new one
            if "suche_ergebnis" in st.session_state:
                st.rerun()  # the whole page, so the old search answer above goes away
            auswahl = selection_from_url()
        with st.container(key="karte_layout"):
            card_col, map_col = st.columns([2, 3], gap="medium")
        with card_col:
            with st.container(key="kontaktkarte"):
                if auswahl["gebiet"]:
                    render_card(card_for(version, stand, ui.lang(), *(auswahl[k] for k in ("gebiet", "gemeinde", "ortsteil", "kita"))))
                    if st.button(ui.t("reset"), icon=":material/close:"):
                        select({})
                        st.rerun()
                elif "suche_ergebnis" not in st.session_state:
                    st.info(ui.t("no_selection"))
            ui.scroll_into_view("kontaktkarte", token="-".join(auswahl.values()) or "keine")
        with map_col:
            st.html('<div id="karte"></div>')
            st.caption(ui.t("click_hint"))
            highlight = tuple(auswahl[k] for k in ("gebiet", "gemeinde", "kita"))
            kreis = auswahl["gebiet"][:5] if LAND else ""
            ui.map_component(
                ("karte", version, stand, settings.basemap, kreis, ui.lang()), lambda: base_map(kreis, ui.lang()),
                key="karte", height=520,
                returned_objects=[],  # clicks come from the map's own script (maps.KeyboardAccess), at once
                layer_key=(version, *highlight),
                build_layer=lambda: maps.highlight_layer(ref.areas, ref.gemeinden, kitas, gebiet=highlight[0],
                                                         gemeinde=highlight[1], kita=highlight[2]),
            )


    card_and_map(auswahl)
