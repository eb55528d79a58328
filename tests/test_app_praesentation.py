"""AppTest of the page "Präsentation": slides by button and link, editable title, exports with progress."""

from __future__ import annotations

import io
import json

import pandas as pd
from pypdf import PdfReader

from kita.constants import data_folder

SEED_DIR = data_folder().seed
from kita.text import number

PAGE = "pages/praesentation.py"


def html_bodies(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def heading(at) -> str:
    return next(e.proto.body for e in at.get("html") if "praes-heading" in e.proto.body)


def button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_first_slide_is_the_overview_with_large_map_and_sources(app):
    at = app(page=PAGE).run()
    assert not at.exception
    assert "Landkreis Alzey-Worms – Überblick" in heading(at)
    assert "1&nbsp;/&nbsp;10" in html_bodies(at)
    assert at.query_params["folie"] == "1"
    assert button(at, "folie_zurueck").disabled and not button(at, "folie_weiter").disabled
    corner = next(e.proto.body for e in at.get("html") if "praes-corner" in e.proto.body)
    assert "© GeoBasis-DE / BKG (2017)" in corner and "Beispieldaten" in corner
    maps = at.get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    # Opened directly (as a link to /praesentation does), the map still uses the self-hosted Leaflet.
    assert all(link.startswith("../../app/static/vendor/") for link in args["js_links"] + args["css_links"])
    assert "font-size: 20px" in args["header"]  # large type (build_map(large=True))


def test_next_button_steps_to_first_area_and_updates_link(app):
    at = app(page=PAGE).run()
    button(at, "folie_weiter").click().run()
    assert not at.exception
    assert "Stadt Alzey" in heading(at)
    assert at.query_params["folie"] == "2"
    assert "2&nbsp;/&nbsp;10" in html_bodies(at)
    button(at, "folie_pgup").click().run()  # the clicker's PageUp: one back
    assert "Überblick" in heading(at) and at.query_params["folie"] == "1"


def test_link_opens_area_slide_with_key_figures(app):
    at = app(page=PAGE, query={"folie": "5"}).run()  # VG Monsheim
    assert not at.exception
    assert "VG Monsheim" in heading(at)
    panel = next(e.proto.body for e in at.get("html") if "praes-panel" in e.proto.body)
    assert "<span class='pf-value'>1,00</span>" in panel  # one position since 2024-08-01
    seed = pd.read_csv(SEED_DIR / "kitas.csv", dtype={"gemeinde_rs": str})
    monsheim = seed.loc[seed["gemeinde_rs"].str.startswith("073315003"), "kinder"].sum()
    assert f"<span class='pf-value'>{number(monsheim, 0)}</span>" in panel  # children per VZÄ (1,00 VZÄ)
    labels = [d.label for d in at.get("download_button")]
    assert "Steckbrief VG Monsheim (PDF)" in labels


def test_before_and_after_summer_2024_are_the_last_two_slides(app):
    at = app(page=PAGE, query={"folie": "9", "format": "1920"}).run()
    assert "Vor dem Sommer 2024 (Stand 31.07.2024)" in heading(at)
    assert "Gebiete keine Versorgung</span><span class='pf-value'>1<" in html_bodies(at)
    button(at, "folie_weiter").click().run()
    assert "Ab Sommer 2024 (Stichtag 01.08.2024 angenommen, einstellbar)" in heading(at)
    body = html_bodies(at)
    assert "VG Monsheim: 0,00 → 1,00 VZÄ (+1,00), keine Versorgung → versorgt" in body
    assert button(at, "folie_weiter").disabled
    assert at.query_params["folie"] == "10"


def test_unknown_slide_in_link_warns_and_opens_overview(app):
    at = app(page=PAGE, query={"folie": "99"}).run()
    assert not at.exception
    assert any("unbekannten Wert" in w.value for w in at.warning)
    assert "Überblick" in heading(at) and at.query_params["folie"] == "1"


def test_title_is_editable_and_escaped(app):
    at = app(page=PAGE).run()
    at.text_input(key="praes_titel").input("Jugendhilfeausschuss <b>März</b>").run()
    at.text_input(key="praes_untertitel").input("Sitzung am 12.03.").run()
    title = next(e.proto.body for e in at.get("html") if "praes-title" in e.proto.body)
    assert "<h1>Jugendhilfeausschuss &lt;b&gt;März&lt;/b&gt;</h1>" in title
    assert "<p>Sitzung am 12.03.</p>" in title


def test_slide_can_be_chosen_from_list(app):
    at = app(page=PAGE).run()
    at.selectbox(key="sprung_1").select(4).run()
    assert "VG Eich" in heading(at) and at.query_params["folie"] == "4"


def test_all_fact_sheets_are_created_with_progress_and_offered(app):
    at = app(page=PAGE, query={"folie": "9"}).run()
    assert "dl_steckbriefe" not in [d.key for d in at.get("download_button")]
    button(at, "alle_steckbriefe").click().run()
    assert not at.exception
    assert [s.label for s in at.status] == ["Steckbriefe fertig"]
    offered = [d for d in at.get("download_button") if d.proto.label == "Steckbriefe herunterladen (PDF)"]
    assert len(offered) == 1
    request, pdf = at.session_state["steckbriefe"]
    assert request[0].isoformat() == "2024-07-31"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 8
    assert "VG Monsheim" in reader.pages[4].extract_text()


def test_projector_format_resizes_the_map(app):
    at = app(page=PAGE, query={"folie": "3"}).run()
    # The small format by default: it fits a 1280 × 720 projector without scrolling.
    assert json.loads(at.get("component_instance")[0].proto.json_args)["height"] == 420
    assert "praes-title klein" in html_bodies(at)
    at.radio(key="praes_format").set_value("1920 × 1080").run()
    assert not at.exception
    assert json.loads(at.get("component_instance")[0].proto.json_args)["height"] == 700
    assert "praes-title klein" not in html_bodies(at)
    assert at.query_params["folie"] == "3" and at.query_params["format"] == "1920"



def test_slides_and_export_labels_in_english(app):
    from tests.ui_language import german_left

    at = app(page=PAGE, query={"lang": "en", "folie": "10"}).run()
    assert not at.exception
    assert "From summer 2024" in heading(at)
    bodies = html_bodies(at)
    assert "Change:" in bodies and "Veränderung" not in bodies and "FTE" in bodies
    corner = next(e.proto.body for e in at.get("html") if "praes-corner" in e.proto.body)
    assert "<b>sample data</b>" in corner and "Beispieldaten" not in corner
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Map PNG (1920 × 1080)" in labels
    assert not german_left(at), german_left(at)


def test_exports_carry_the_custom_title_made_in_the_script_run(app, monkeypatch, caplog):
    """The deferred downloads (made on click, outside the script run) use what the run computed: the custom title
    reaches the file, and nothing asks for session state without a ScriptRunContext."""
    import logging

    from ui.framework import apptest

    made = apptest.deferred_downloads(monkeypatch)
    at = app(page=PAGE, query={"folie": "3"}).run()
    at.text_input(key="praes_titel").input("Jugendhilfeausschuss März").run()
    assert not at.exception
    html = next(d for d in at.get("download_button") if d.key == "dl_html")
    caplog.set_level(logging.WARNING)
    content = made[html.proto.deferred_file_id]()
    assert "Jugendhilfeausschuss März" in (content.decode("utf-8") if isinstance(content, bytes) else content)
    assert "ScriptRunContext" not in caplog.text
