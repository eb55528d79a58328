"""AppTest of the start page "Karte": search, deep links, selection panel, errors."""

import re

import pytest

from kita import i18n
from kita.text import md


def seen(markdown: str) -> str:
    """What a reader sees of an escaped Markdown text (backslash escapes and word joiners from kita.text.md)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.header] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")  # markdown escapes of data


def find(at, query: str):
    """Type into the search field and press the search button (Enter does the same in a browser)."""
    at.text_input(key="suche").input(query)
    at.button(key="suche_los").click().run()
    assert not at.exception
    return at


def test_start_page_shows_map_and_demo_notice(app):
    at = app().run()
    assert not at.exception
    assert any("Beispieldaten" in w.value for w in at.warning)
    maps = [e for e in at.get("component_instance")]
    assert len(maps) == 1
    args = maps[0].proto.json_args
    assert "cdn" not in args and "https://code.jquery" not in args
    assert "app/static/vendor/leaflet.js" in args


def test_search_by_name_with_umlaut_spelling_selects_the_gemeinde(app):
    at = app().run()
    find(at, "woellstein")
    assert not at.exception
    assert [s.value for s in at.header] == ["Wöllstein"]
    assert at.query_params["gebiet"] == "073315005"
    assert "Kita-Sozialarbeit VG Wöllstein, Stelle 1" in texts(at)


def edit_store(db_url, reference):
    from datastore.store import Store

    return Store(db_url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))


def test_card_for_an_ortsteil_names_it_with_staff_phone_and_no_figures(app, db_url, reference):
    at = app().run()  # creates the database from the seed
    store = edit_store(db_url, reference)  # a phone for one Alzey position (as the Kreis will supply)
    row = store.read("fachkraefte").set_index("id").loc["F000301"].to_dict()
    store.save_row("fachkraefte", {**row, "id": "F000301", "telefon": "06731 408-1234"}, "test")
    find(at, "Alzey-Dautenheim")
    assert not at.exception
    assert seen(at.header[0].value) == "Dautenheim, Stadt Alzey"
    assert at.query_params["ortsteil"] == "Dautenheim"
    shown = texts(at)
    assert "(tel:+4967314081234)" in shown and "mailto:stelle1.stadt-alzey@" in shown
    assert "(Beispiel)" in shown  # demo staff are marked
    assert "VZÄ" not in shown and "Kita-Kinder" not in shown and "Fragen Sie in Ihrer Kita" not in shown
    assert "Katrin Leisenheimer" in shown


def test_card_with_shipped_data_dials_demo_numbers_named_in_words(app, seed):
    """The seed's demo positions and Kitas have numbers of the Bundesnetzagentur's never-assigned block
    (030 23125 xxx): tel: links marked as sample numbers, labelled in words, not by a symbol alone."""
    kita = seed["kitas"][seed["kitas"]["gemeinde_rs"].str.startswith("073315002")].iloc[0]
    at = app(query={"kita": kita["id"]}).run()
    assert not at.exception
    shown = texts(at)
    digits = "".join(c for c in kita["telefon"] if c.isdigit())
    assert kita["telefon"].startswith("030 23125 ") and f"(tel:+49{digits[1:]})" in shown
    staff_numbers = [n for n in seed["fachkraefte"]["telefon"] if n]
    assert staff_numbers and all(n.startswith("030 23125 ") for n in staff_numbers)
    assert "(tel:+493023125" in shown.replace(f"(tel:+49{digits[1:]})", "")  # a staff number besides the Kita's
    assert f"{i18n.text('contact_phone')}: " in shown and f"{i18n.text('contact_email')}: " in shown
    assert shown.count(i18n.text("demo_number")) >= 2  # every demo number says so
    assert "☎" not in shown and "✉" not in shown
    coordination = seed["kontakte"].set_index("id").loc["koordination"]
    assert coordination["telefon"] == "" and coordination["name"] in shown  # the real person: no number


def test_card_where_no_staff_serve_offers_alternatives(app, db_url, reference):
    at = app().run()
    store = edit_store(db_url, reference)  # Monsheim without positions (as before summer 2024)
    positions = store.read("fachkraefte")
    store.replace_all({"fachkraefte": positions[positions["gebiet_rs"] != "073315003"]}, "test")
    find(at, "Kriegsheim")
    assert not at.exception
    assert seen(at.header[0].value) == "Kriegsheim, Gemeinde Monsheim"
    assert any("keine Kita-Sozialarbeiterin" in w.value for w in at.warning)
    shown = texts(at)
    assert "Jugendamt" in shown and "Koordination" in shown and "Fragen Sie in Ihrer Kita" not in shown


def test_search_by_plz_asks_which_place_instead_of_guessing(app):
    at = app().run()
    find(at, "55234")
    assert not at.header  # nothing chosen yet
    box = at.selectbox(key="treffer_55234")
    assert len(box.options) == 23 and box.value is None
    label = next(o for o in box.options if o.startswith("Hangen-Weisheim"))
    assert label == "Hangen-Weisheim · VG Wonnegau"
    box.select(label).run()
    assert seen(at.header[0].value) == "Hangen-Weisheim"
    assert at.query_params["gebiet"] == "073315007"


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_border_plz_prompt_names_the_other_kreis_and_its_places(app, reference, lang):
    """67294 serves Mauchenheim and places of the Donnersbergkreis: the prompt names them (catalogue text in the
    UI language, names as they are) and asks instead of choosing."""
    crossing = reference.plz[reference.plz["plz"] == "67294"].iloc[0]
    at = app(query={"lang": lang}).run()
    find(at, "67294")
    assert not at.exception and not at.header
    notes = [seen(i.value) for i in at.info]
    expected = i18n.text("search_border_note", lang, plz="67294", orte=crossing["auch_orte"], other=crossing["auch_kreis"])
    assert any(note == expected.replace("\u2068", "").replace("\u2069", "") for note in notes), notes
    choice = next(b for b in at.button if seen(b.label).startswith("Mauchenheim"))
    choice.click().run()
    assert seen(at.header[0].value) == "Mauchenheim"


def test_border_plz_with_a_place_shows_its_card_and_the_note(app):
    at = app().run()
    find(at, "55578 Wallertheim")
    assert not at.exception
    assert seen(at.header[0].value) == "Wallertheim"
    assert any("Landkreis Mainz-Bingen" in seen(i.value) and "Wolfsheim" in seen(i.value) for i in at.info)


def test_meinten_sie_choices_are_buttons_that_select(app):
    at = app().run()
    find(at, "Pfeddersheimm")
    assert any("Kein Ort" in e.value for e in at.error)
    choices = [b for b in at.button if "·" in b.label]
    assert choices
    label = seen(choices[0].label)
    choices[0].click().run()
    assert label.startswith(seen(at.header[0].value).split(",")[0])
    assert at.text_input(key="suche").value == seen(at.header[0].value).split(",")[0]


def test_place_outside_the_district_names_its_jugendamt_and_clears_the_old_card(app):
    at = app().run()
    find(at, "Flonheim")
    assert seen(at.header[0].value) == "Flonheim"
    find(at, "Worms")
    assert not at.exception
    assert not at.header and "gebiet" not in at.query_params  # the old card is gone
    assert any("kreisfreie Stadt" in i.value and "Jugendamt der Stadt Worms" in i.value for i in at.info)


def test_search_without_hit_shows_german_message_and_clears_the_card(app):
    at = app().run()
    find(at, "Eich")
    assert at.header
    find(at, "Xyzzyqwv")
    assert not at.exception
    assert any("Kein Ort" in e.value for e in at.error)
    assert not at.header
    find(at, "10115")  # Berlin: its places and whom to ask, once
    answers = [i.value for i in at.info if "10115" in i.value]
    assert len(answers) == 1 and "gehört nicht zum Landkreis" in answers[0] and "Berlin" in answers[0]
    assert "Jugendamt" in answers[0] and not at.error


def test_deep_link_opens_area_panel(app):
    at = app(query={"gebiet": "073315003"}).run()
    assert not at.exception
    assert seen(at.header[0].value) == "VG Monsheim"
    at = app(query={"gemeinde": "073310003003", "ortsteil": "Weinheim"}).run()
    assert seen(at.header[0].value) == "Weinheim, Stadt Alzey"


def test_unknown_deep_link_is_ignored_with_warning(app):
    at = app(query={"gebiet": "<script>"}).run()
    assert not at.exception
    assert any("unbekannten Wert" in w.value for w in at.warning)
    assert not at.header


def test_map_click_on_kita_opens_its_panel(app, seed):
    kita = seed["kitas"].iloc[10]
    clicked = {"last_active_drawing": {"type": "Feature", "properties": {"typ": "kita", "id": kita["id"]}}}
    at = app()
    at.session_state["karte"] = clicked  # what the map's on_change stores when a Kita is tapped
    at.run()
    assert not at.exception
    assert at.header[0].value == md(kita["name"])  # shown as text, escaped for Markdown
    assert at.query_params["kita"] == kita["id"]
    assert at.query_params["gebiet"] == kita["gemeinde_rs"][:9]
    assert "Ihre Kita" in texts(at)


def test_place_list_reaches_the_same_card_as_a_map_click(app, seed):
    """The non-map path: the list (built only when opened) has every area, Gemeinde and Kita; an entry opens
    the card a tap on the map opens."""
    kita = seed["kitas"].iloc[10]
    tapped = app()
    tapped.session_state["karte"] = {"last_active_drawing": {"properties": {"typ": "kita", "id": kita["id"]}}}
    tapped.run()
    at = app().run()
    assert not [b for b in at.button if (b.key or "").startswith("liste_")]  # closed: nothing built
    at.session_state["ortsliste"] = True  # what opening the expander stores
    at.run()
    entries = {b.key: b for b in at.button if (b.key or "").startswith("liste_")}
    assert len(entries) == 7 + 69 + len(seed["kitas"])
    entries[f"liste_{kita['id']}"].click().run()
    assert not at.exception
    assert [h.value for h in at.header] == [h.value for h in tapped.header] == [md(kita["name"])]
    assert dict(at.query_params) == dict(tapped.query_params)
    at.session_state["ortsliste"] = False  # closed again: the page is the tapped one, text for text
    at.run()
    assert texts(at) == texts(tapped) and not [b for b in at.button if (b.key or "").startswith("liste_")]
    at.session_state["ortsliste"] = True
    at.run()
    at.button(key="liste_073315003048").click().run()  # a Gemeinde
    assert seen(at.header[0].value) == "Monsheim" and at.query_params["gemeinde"] == "073315003048"
    at.button(key="liste_073315002").click().run()  # a whole area
    assert seen(at.header[0].value) == "VG Eich" and "gemeinde" not in at.query_params


def test_map_click_clears_the_search(app, seed):
    kita = seed["kitas"].iloc[10]
    at = app().run()
    find(at, "Flonheim")
    assert seen(at.header[0].value) == "Flonheim"
    at.session_state["karte"] = {"last_active_drawing": {"properties": {"typ": "kita", "id": kita["id"]}},
                                 "last_object_clicked": {"lat": 49.7, "lng": 8.1}}
    at.run()
    assert seen(at.header[0].value) == kita["name"]
    assert at.text_input(key="suche").value == ""


def test_corrupt_database_shows_message_not_traceback(app, tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    at = app(env={"KITA_DATABASE_URL": f"sqlite:///{broken}"}).run()
    assert not at.exception
    assert any("Datenbank" in e.value for e in at.error)
    assert broken.read_bytes() == b"this is not a database" * 100


def test_missing_boundaries_show_message_not_traceback(app, monkeypatch):
    from geo import dataset
    from kita.errors import DataError

    def broken():
        raise DataError("Datei data/boundaries/areas.geojson fehlt.")

    monkeypatch.setattr(dataset, "load_reference", broken)
    at = app().run()
    assert not at.exception
    assert any(md("areas.geojson fehlt") in e.value for e in at.error)


def test_english_ui(app):
    at = app().run()
    at.selectbox(key="_lang_top").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Kita social work in Alzey-Worms district"
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_parents_page_in_each_language(app, lang):
    """The card, search and menu speak the chosen language; names of places stay as they are."""
    at = app(query={"lang": lang, "gebiet": "073315003"}).run()
    assert not at.exception
    assert at.title[0].value == i18n.text("app_title", lang)
    assert at.text_input(key="suche").label == i18n.text("search_label", lang)
    assert seen(at.header[0].value) == "VG Monsheim"
    shown = texts(at)
    for key in ("card_staff", "card_coordination", "back_to_map", "contact_role_koordination",
                "contact_note_koordination"):  # the coordination's role and note from the seed, in the language
        assert i18n.text(key, lang) in shown, key
    assert [link.label for link in at.sidebar.get("page_link")][0] == i18n.text("nav_map", lang)
    # name, role and office of the coordination, each isolated, joined by the reader's comma („،“ in Arabic)
    role = i18n.text("contact_role_koordination", lang)
    separator = "\u2069" + i18n.text("list_separator", lang) + "\u2068"
    assert f"Katrin Leisenheimer{separator}{role}{separator}Kreisverwaltung Alzey-Worms" in shown
    assert ("، " in separator) == (lang == "ar")
    if lang != "de":
        for key in ("contact_note_kita", "contact_note_koordination", "contact_role_koordination"):
            assert i18n.text(key, "de") not in shown, key  # the German seed text is replaced, not shown beside
        assert at.query_params["lang"] == lang


def visible_texts(at) -> list[str]:
    """Every text the page shows outside the map: main area and sidebar, widget labels and placeholders."""
    found = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        found += [seen(e.value) for e in at.get(kind)]
    found += [seen(e.value) for e in at.sidebar.get("caption")] + [link.label for link in at.sidebar.get("page_link")]
    found += [seen(b.label) for b in at.button] + [e.proto.label for e in at.get("expander")]
    found += [box.label for box in at.text_input] + [box.placeholder for box in at.text_input]
    return found


@pytest.mark.parametrize("lang", ["tr", "ar", "uk"])
def test_start_page_shows_no_german_ui_text_in_another_language(app, seed, lang):
    """With a card, the search's choices and the place list open: no catalogue text appears in German
    (names of places, Kitas and people stay as they are)."""
    from babel.messages.pofile import read_po

    with i18n.po_path("de").open("rb") as source:
        german = {m.id: m.string for m in read_po(source) if m.id and len(m.string) > 6}
    own = {key: i18n.translations_for(lang).gettext(key) for key in german}
    at = app(query={"lang": lang, "gemeinde": "073310003003", "ortsteil": "Dautenheim"}).run()
    at.session_state["ortsliste"] = True
    at.run()
    town = i18n.text("place_town", lang, name="Alzey").replace("\u2068", "").replace("\u2069", "")
    assert seen(at.header[0].value) == f"Dautenheim, {town}" and "Stadt" not in town
    card = visible_texts(at)
    find(at, "55232")  # Alzey and Ensheim: choices with their labels
    assert not at.exception
    shown = "\n".join(card + visible_texts(at))
    for name in [*seed["kitas"]["name"], *seed["fachkraefte"]["bezeichnung"]]:  # names ('Kita Eich (Beispiel)')
        shown = shown.replace(name, "")
    leftovers = [text for key, text in german.items() if own[key] != text and "{" not in text and text in shown]
    assert not leftovers, leftovers
    assert f"Alzey · {i18n.text('place_free_city', lang)}" in shown and "verbandsfreie Stadt" not in shown
