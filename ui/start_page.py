"""The parents' start page: search by place or PLZ (or tap the map, or pick from the list) → whom to call.

``render()`` draws it (``dashboard.py`` calls it after ``ui.page_setup()``); the rules for what a URL, a hit or a
tap selects are plain functions in ``ui.selection``.

The selection lives in the URL only (``?gebiet=…&gemeinde=…&ortsteil=…&kita=…``): a link opens the same
card, and Back/Forward show the previous selection (one history entry per selection). The element tree
before the map is the same on every run and the map's content never changes, so the map is never
remounted; a selection reaches it as a highlight layer that fits the map to it. When a card opens, its heading
is brought into view below Streamlit's fixed header and gets the keyboard focus (ui/framework/page_dom.py).
"""

from __future__ import annotations

import streamlit as st

import ui
from geo import dataset, lightgeo, maps
from geo.search import Place, SearchResult, directory, search
from kita.contacts import Card, parent_card
from kita.text import mail_link, md, phone_link, web_link
from ui import selection
from ui.framework import page_dom

CARD_KEY = "kontaktkarte"


@st.cache_resource(show_spinner=False, max_entries=2)
def _overview(boundary_stand: str):
    """(areas, Kreise) for a Land's overview: simplified for its scale, the Kreise dissolved from the areas."""
    ref = ui.reference()
    areas = lightgeo.overview_areas(ref.areas)
    return areas, lightgeo.overview_kreise(areas)


@st.cache_data(show_spinner=False, max_entries=4)
def _search_examples(version: int, stand) -> dict[str, str]:
    """The search field's examples (places of this data folder), once per data version."""
    return dataset.search_examples(ui.reference(), ui.coverage(stand, version)[1])


@st.cache_resource(show_spinner=False, max_entries=4)
def _url_keys(version: int, stand) -> selection.UrlKeys:
    """What a URL may name, once per data version."""
    ref = ui.reference()
    return selection.url_keys(ref.areas, ref.gemeinden, ref.ortsteile, ui.coverage(stand, version)[1])


@st.cache_data(show_spinner=False, max_entries=1024)
def _card(version: int, stand, lang: str, gebiet: str, gemeinde: str, ortsteil: str, kita: str) -> Card:
    """The card for a selection, once per data version, date and language (shared by every session)."""
    ref, tables = ui.reference(), ui.tables(version)
    _, kitas = ui.coverage(stand, version)
    return parent_card(
        stand, kitas, tables["fachkraefte"], tables["kontakte"], ref.gemeinden, ref.areas,
        gebiet_rs=gebiet, gemeinde_rs=gemeinde, ortsteil=ortsteil, kita_id=kita, lang=lang,
    )


def _base_map(version: int, stand, kreis: str, lang: str):
    """The map for one date, data version, language and (in a Land) Kreis; rendered once and shared by every
    session (ui.map_component). ``kreis`` empty in a Land: the overview."""
    ref, settings = ui.reference(), ui.settings()
    coverage, kitas = ui.coverage(stand, version)
    common = {"basemap": settings.basemap, "basemap_attribution": settings.basemap_attribution,
              "boundary_attribution": ref.credit_in(lang), "parents": True, "lang": lang}
    if ref.kreise is not None and not kreis:
        areas, kreise = _overview(ref.boundary_stand)
        return maps.build_map(areas, coverage, None, kreise, maps.coverage_fill(coverage, lang=lang), labels=False,
                              **common)
    areas, gemeinden, district = ref.areas, ref.gemeinden, ref.district
    if ref.kreise is not None:
        areas = areas[areas["gebiet_rs"].str.startswith(kreis)]
        gemeinden = gemeinden[gemeinden["gemeinde_rs"].str.startswith(kreis)]
        district = ref.kreise[ref.kreise["RS"] == kreis]
        coverage = coverage[coverage["gebiet_rs"].str.startswith(kreis)]
        kitas = kitas[kitas["gemeinde_rs"].str.startswith(kreis)]
    return maps.build_map(areas, coverage, kitas, district, maps.coverage_fill(coverage, lang=lang),
                          gemeinden=gemeinden, gemeinde_labels=True, **common)


class StartPage:
    """One run of the page: the data of this run and the steps of the storyboard."""

    def __init__(self) -> None:
        self.version = ui.store().version()  # the database's change counter: every cache is keyed by it
        self.stand = ui.today()
        self.ref = ui.reference()
        self.tables = ui.tables(self.version)
        self.land = self.ref.kreise is not None  # a data folder of a whole Land starts at Land level

    # --- the selection in the URL -----------------------------------------------------------------------
    def keys(self) -> selection.UrlKeys:
        return _url_keys(self.version, self.stand)

    def from_url(self) -> dict[str, str]:
        """The URL's selection; values the data does not know are named in a warning and dropped."""
        chosen, unknown = selection.from_query(st.query_params.to_dict(), self.keys())
        for name, value in unknown:
            st.warning(ui.t("link_unknown_value", name=md(name), value=md(value[:40])))
        return chosen

    @staticmethod
    def select(chosen: dict) -> None:
        """One URL change (one history entry) per selection."""
        ui.set_query({k: chosen.get(k, "") for k in selection.SELECTION_KEYS})

    def apply_map_click(self) -> bool:
        """A tap on an area or a Kita (the map's value, copied to ``st.session_state["karte"]`` when it changes)
        selects it at the start of the run it causes: one run per click, card and map together. The map posts
        that value itself at the click (``maps.KeyboardAccess``), so pan and zoom cause no run at all."""
        returned = st.session_state.get("karte") or {}
        clicked = maps.clicked_object(returned)
        token = (clicked, returned.get("klick"))  # the map numbers its clicks: the same spot again is a new one
        if clicked is None or token == st.session_state.get("letzter_klick"):
            return False
        st.session_state["letzter_klick"] = token
        chosen = selection.of_click(*clicked, self.keys())
        if chosen is not None:
            self.select(chosen)
        return True

    # --- search -------------------------------------------------------------------------------------------
    def on_search(self) -> None:
        """The search button or Enter: a clear hit selects it, anything else clears the old card."""
        query = st.session_state.get("suche", "")
        if not query.strip():
            forget_search()
            return
        result = search(query, ui.search_index(), ui.lang())
        chosen = selection.of_place(result.chosen) if result.chosen else {}
        st.session_state["suche_ergebnis"] = result
        st.session_state["suche_auswahl"] = chosen
        self.select(chosen)

    def choose(self, place: Place) -> None:
        """A click on a choice ('Welchen Ort meinen Sie?', 'Meinten Sie …'): select it and show its name."""
        st.session_state["suche"] = place.name
        st.session_state["suche_ergebnis"] = SearchResult(query=place.name, places=[place])
        st.session_state["suche_auswahl"] = selection.of_place(place)
        self.select(selection.of_place(place))

    def pick(self, place: Place) -> None:
        """A click on an entry of the place list: its card, as a tap on the map would open it."""
        st.session_state["suche"] = ""
        forget_search()
        self.select(selection.of_place(place))

    def choice_buttons(self, places: list[Place], key: str) -> None:
        for i, place in enumerate(places):
            st.button(md(place.label_in(ui.lang())), key=f"{key}_{i}", on_click=self.choose, args=(place,),
                      icon=":material/place:")

    def search_box(self) -> None:
        """The search field with a visible search button (Enter works too); the answer below it."""
        with st.form("suche_form", border=False, enter_to_submit=True):
            with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="suchzeile"):
                st.text_input(ui.t("search_label"), key="suche",
                              placeholder=ui.t("search_placeholder", **_search_examples(self.version, self.stand)))
                st.form_submit_button(ui.t("search_button"), icon=":material/search:", type="primary",
                                      on_click=self.on_search, key="suche_los")
        if "suche_ergebnis" in st.session_state:
            self.search_result(st.session_state["suche_ergebnis"])

    def search_result(self, result: SearchResult) -> None:
        if result.notice:  # a pasted address or a cut paste: what was searched
            st.caption(md(result.notice))
        if result.outside:
            for place in result.outside:
                st.info(md(place.answer(ui.lang())), icon=":material/travel_explore:")
        elif result.message:
            st.error(md(result.message))
            if result.suggestions:
                st.markdown(f"**{ui.t('search_suggest')}**")
                self.choice_buttons(result.suggestions, "vorschlag")
        elif result.chosen is None and result.places:
            question = ui.t("search_pick")
            if result.corrected:
                st.caption(ui.t("search_corrected", name=md(result.places[0].name), query=md(result.query)))
            if result.border_plz:  # names the other Kreis and its places when the PLZ table knows them
                note = md(result.border_note) if result.border_note else ui.t("search_border_plz", plz=result.border_plz)
                st.info(note, icon=":material/info:")
            if len(result.places) <= 6:
                st.markdown(f"**{question}**")
                self.choice_buttons(result.places, "treffer")
            else:
                st.selectbox(
                    f"{question} ({len(result.places)})", result.places, index=None,
                    format_func=lambda p: p.label_in(ui.lang()), placeholder=ui.t("search_pick_placeholder"),
                    key=f"treffer_{result.query}",
                    on_change=lambda: self.choose(st.session_state[f"treffer_{result.query}"]),
                )
            if result.namesakes:  # 'Wachenheim': also a town in another Kreis, whose Jugendamt is another
                st.markdown(f"**{ui.t('search_namesakes')}**")
                for place in result.namesakes:
                    st.info(md(place.answer(ui.lang())), icon=":material/travel_explore:")
        elif result.corrected and result.chosen:
            st.caption(ui.t("search_corrected", name=md(result.chosen.name), query=md(result.query)))
        if result.chosen and result.border_note:  # '55578 Wallertheim': the card is ours, the PLZ also the neighbour's
            st.info(md(result.border_note), icon=":material/info:")

    # --- the list of places --------------------------------------------------------------------------------
    def place_list(self, kreis: str | None) -> None:
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
                    st.button(ui.t("list_whole_area"), key=f"liste_{entry.area.gebiet_rs}", on_click=self.pick,
                              args=(entry.area,), icon=":material/map:")
                    for place in entry.gemeinden:
                        st.button(md(place.name), key=f"liste_{place.gemeinde_rs}", on_click=self.pick, args=(place,))
                if entry.kitas:
                    with st.container(horizontal=True, gap="small"):
                        for place in entry.kitas:
                            st.button(md(place.name), key=f"liste_{place.kita_id}", on_click=self.pick,
                                      args=(place,), icon=":material/child_care:")

    # --- card and map ----------------------------------------------------------------------------------------
    def card_and_map(self, chosen: dict) -> None:
        """Card and map; a tap on the map reruns only this part of the page (a fragment)."""
        if self.apply_map_click():  # a tap: this is a fragment run, the selection is the URL's new one
            if "suche_ergebnis" in st.session_state:
                st.rerun()  # the whole page, so the old search answer above goes away
            chosen = self.from_url()
        with st.container(key="karte_layout"):
            card_col, map_col = st.columns([2, 3], gap="medium")
        with card_col:
            with st.container(key=CARD_KEY):
                if chosen["gebiet"]:
                    render_card(_card(self.version, self.stand, ui.lang(),
                                      *(chosen[k] for k in selection.SELECTION_KEYS)))
                    if st.button(ui.t("reset"), icon=":material/close:"):
                        forget_search()
                        self.select({})
                        st.rerun()
                elif "suche_ergebnis" not in st.session_state:
                    st.info(ui.t("no_selection"))
            if chosen["gebiet"]:  # a card opened: its heading into view below the header, and the focus on it
                page_dom.show_card(CARD_KEY, selection.token(chosen))
        with map_col:
            st.html('<div id="karte"></div>')
            st.caption(ui.t("click_hint"))
            highlight = tuple(chosen[k] for k in ("gebiet", "gemeinde", "kita"))
            kreis = chosen["gebiet"][:5] if self.land else ""
            version, stand, ref = self.version, self.stand, self.ref
            _, kitas = ui.coverage(stand, version)
            shown = ref.areas[ref.areas["gebiet_rs"].str.startswith(kreis)] if self.land else ref.district
            whole = tuple(shown.total_bounds)  # no selection (reset, Back): the whole district again
            ui.map_component(
                ("karte", version, stand, ui.settings().basemap, kreis, ui.lang()),
                lambda: _base_map(version, stand, kreis, ui.lang()),
                key="karte", height=520,
                returned_objects=[],  # clicks come from the map's own script (maps.KeyboardAccess), at once
                layer_key=(version, *highlight),
                build_layer=lambda: maps.highlight_layer(ref.areas, ref.gemeinden, kitas, gebiet=highlight[0],
                                                         gemeinde=highlight[1], kita=highlight[2],
                                                         district_bounds=whole),
            )

    def render(self) -> None:
        ui.page_style("start_page")
        self.apply_map_click()
        chosen = self.from_url()
        if "suche_auswahl" in st.session_state and not selection.same(st.session_state["suche_auswahl"], chosen):
            # The selection changed elsewhere (map tap, Back/Forward, reset): the old search no longer applies.
            st.session_state["suche"] = ""
            forget_search()
        with st.container(key="kopf"):
            st.title(ui.t("app_title"), anchor=False)
            st.caption(ui.t("map_intro"))
            ui.demo_notice(self.tables, compact=True)
        with st.container(key="suche_box"):
            self.search_box()
            located = ui.where_am_i(self.ref.gemeinden)
            if located:
                self.select({"gebiet": located[:9], "gemeinde": located})
                st.rerun()
            self.place_list(chosen["gebiet"][:5] if self.land else None)
        st.fragment(self.card_and_map)(chosen)


def forget_search() -> None:
    st.session_state.pop("suche_ergebnis", None)
    st.session_state.pop("suche_auswahl", None)


def render() -> None:
    """The whole start page (after ``ui.page_setup()``)."""
    StartPage().render()


# --- the card -----------------------------------------------------------------------------------------------

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
    return (f"- {data_text(kita['name'])}{mark}" + (f" – {data_text(address)}" if address else "")
            + (f"  \n  {line}" if line else ""))


def render_card(card: Card) -> None:
    demo = f" *({ui.t('demo_value')})*"
    # h2 (the page's headings go h1 → h2 without a jump); no anchor link: its label is Streamlit's English
    st.header(md(card.title), anchor=False)
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
        # each part in its own isolate: the role may be in the reader's script between Latin names; the
        # separator is the reader's comma (Arabic „،“)
        who = ui.t("list_separator").join(
            data_text(x) for x in [contact["name"], contact["rolle"], contact["organisation"]] if x)
        line = contact_line(contact["telefon"], contact["email"], contact["web"], demo=bool(contact["demo"]))
        st.markdown(f"- {who}" + (f"  \n  {line}" if line else ""))
        if contact["hinweis"]:
            st.caption(data_text(contact["hinweis"]))
    st.markdown(f"[↓ {ui.t('back_to_map')}](#karte)")
