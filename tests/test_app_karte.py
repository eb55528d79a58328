"""AppTest of the start page "Karte": search, deep links, selection panel, errors."""

import pytest
from streamlit_folium import st_folium  # noqa: F401  (imported so monkeypatching targets exist)

from geo import i18n


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")  # markdown escapes of data


def test_start_page_shows_map_and_demo_notice(app):
    at = app().run()
    assert not at.exception
    assert any("Beispieldaten" in w.value for w in at.warning)
    maps = [e for e in at.get("component_instance")]
    assert len(maps) == 1
    args = maps[0].proto.json_args
    assert "cdn" not in args and "https://code.jquery" not in args
    assert "app/static/vendor/leaflet.js" in args


def test_search_by_name_with_umlaut_spelling_selects_area(app):
    at = app().run()
    at.text_input(key="suche").input("woellstein").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Wöllstein"]
    assert at.query_params["gebiet"] == "073315005"
    assert "Kita-Sozialarbeit VG Wöllstein, Stelle 1" in texts(at)


def test_search_by_plz_offers_all_gemeinden(app):
    at = app().run()
    at.text_input(key="suche").input("55234").run()
    box = at.selectbox(key="treffer_55234")
    assert len(box.options) == 23
    label = box.options[5]
    box.select(label).run()
    assert at.subheader[0].value == label.split(" · ")[0]


def test_search_without_hit_shows_german_message(app):
    at = app().run()
    at.text_input(key="suche").input("Wormz-Nord").run()
    assert not at.exception
    assert any("Kein Ort" in e.value for e in at.error)
    at.text_input(key="suche").input("10115").run()
    assert any("gehört nicht zum Landkreis" in e.value for e in at.error)


def test_deep_link_opens_area_panel(app):
    at = app(query={"gebiet": "073315003"}).run()
    assert not at.exception
    assert at.subheader[0].value == "VG Monsheim"


def test_unknown_deep_link_is_ignored_with_warning(app):
    at = app(query={"gebiet": "<script>"}).run()
    assert not at.exception
    assert any("unbekannten Wert" in w.value for w in at.warning)
    assert not at.subheader


def test_map_click_on_kita_opens_its_panel(app, monkeypatch, seed):
    kita = seed["kitas"].iloc[10]
    clicked = {"last_active_drawing": {"type": "Feature", "properties": {"typ": "kita", "id": kita["id"]}}}
    monkeypatch.setattr("streamlit_folium.st_folium", lambda *a, **k: clicked)
    at = app().run()
    assert not at.exception
    assert at.subheader[0].value == kita["name"]
    assert at.query_params["kita"] == kita["id"]
    assert at.query_params["gebiet"] == kita["gemeinde_rs"][:9]


def test_corrupt_database_shows_message_not_traceback(app, tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    at = app(env={"KITA_DATABASE_URL": f"sqlite:///{broken}"}).run()
    assert not at.exception
    assert any("Datenbank" in e.value for e in at.error)
    assert broken.read_bytes() == b"this is not a database" * 100


def test_missing_boundaries_show_message_not_traceback(app, monkeypatch):
    from geo import dataset
    from geo.errors import DataError

    def broken():
        raise DataError("Datei data/boundaries/areas.geojson fehlt.")

    monkeypatch.setattr(dataset, "load_reference", broken)
    at = app().run()
    assert not at.exception
    assert any("areas.geojson fehlt" in e.value for e in at.error)


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
    assert at.subheader[0].value == "VG Monsheim"
    shown = texts(at)
    for key in ("route_kita", "route_staff", "route_coordination"):
        assert i18n.text(key, lang) in shown
    assert [link.label for link in at.sidebar.get("page_link")][0] == i18n.text("nav_map", lang)
    if lang != "de":
        assert "Fragen Sie in Ihrer Kita" not in shown
        assert at.query_params["lang"] == lang
