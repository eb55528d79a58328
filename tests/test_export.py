"""Exports rendered to a temporary folder and checked as files: PNG size and content, PDF pages and
text, standalone HTML without external assets, fact sheets with figures and contacts."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import folium
import matplotlib
import pytest
from PIL import Image
from pypdf import PdfReader

from kita.coverage import CLASSES
from kita.text import number
from reports import export
from reports.presentation import key_figures
from tests.conftest import AFTER_SUMMER_2024, BEFORE_SUMMER_2024

AREA_NAMES = ["Stadt Alzey", "VG Alzey-Land", "VG Eich", "VG Monsheim", "VG Wöllstein", "VG Wörrstadt", "VG Wonnegau"]


@pytest.fixture(scope="module")
def before(reference, seed) -> export.ExportData:
    """The day before summer 2024: all three classes occur (Monsheim without staff)."""
    return export.prepare(BEFORE_SUMMER_2024, reference, seed, 600)


@pytest.fixture(scope="module")
def after(reference, seed) -> export.ExportData:
    return export.prepare(AFTER_SUMMER_2024, reference, seed, 600)


def pdf_text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def in_script(text: str, html: str) -> bool:
    """Text inside the map's JavaScript, where folium writes JSON (umlauts and © as \\u escapes)."""
    return json.dumps(text)[1:-1] in html


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def test_map_png_is_full_hd_and_shows_every_class_colour(before, tmp_path):
    path = tmp_path / export.file_name("png", before)
    path.write_bytes(export.map_png(before))
    image = Image.open(path).convert("RGB")
    assert image.size == (1920, 1080)
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert len(colours) > 50  # text, borders, fills, anti-aliasing: not a blank page
    for cls in CLASSES.values():
        assert rgb(cls.colour) in colours, cls.label
    # The fills cover a real share of the picture, not just the legend boxes.
    counts = dict((colour, n) for n, colour in image.getcolors(maxcolors=1_000_000))
    assert counts[rgb(CLASSES["unter"].colour)] > 0.05 * 1920 * 1080


def test_map_png_a4_variant_has_300_dpi(after, tmp_path):
    path = tmp_path / export.file_name("png_a4", after)
    path.write_bytes(export.map_png(after, "a4"))
    image = Image.open(path)
    assert image.size == (3508, 2480)
    assert round(image.info["dpi"][0]) == 300
    assert path.name == "kita-sozialarbeit_karte_a4_300dpi_2024-08-01.png"


def test_map_pdf_has_one_a4_page_with_names_figures_and_sources(before, tmp_path):
    path = tmp_path / "karte.pdf"
    path.write_bytes(export.map_pdf(before))
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    text = flat(pdf_text(path)[0])
    assert before.title in text
    assert "31.07.2024" in text
    assert "© GeoBasis-DE / BKG (2017)" in text
    assert "Beispieldaten" in text
    for row in before.coverage.itertuples():
        assert row.gebiet in text
        assert f"{row.gebiet} {number(row.vze, 2)} {number(row.kinder_pro_vze, 0)}" in text
    for _, label in before.fill.legend:
        assert label in text


class _AssetTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.references: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.references.append(attrs["src"])
            else:
                self.inline_scripts += 1
        if tag == "link" and attrs.get("href"):
            self.references.append(attrs["href"])


def test_interactive_html_has_every_asset_inlined(after, tmp_path):
    path = tmp_path / export.file_name("html", after)
    path.write_text(export.interactive_html(after), encoding="utf-8")
    html = path.read_text(encoding="utf-8")
    tags = _AssetTags()
    tags.feed(html)
    assert tags.references == []
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", html)  # no remote images or fonts in CSS
    assert tags.inline_scripts >= 3  # Leaflet, GestureHandling and the map itself
    assert "L.map(" in html and "L.markerClusterGroup(" not in html  # every Kita its own point
    assert "tile.openstreetmap.org" not in html  # no basemap by default
    assert "url(images/" not in html  # Leaflet's images are data: URIs
    for text in [*AREA_NAMES, "Beispieldaten", "© GeoBasis-DE / BKG (2017)"]:
        assert in_script(text, html), text
    assert f"<title>{after.title}</title>" in html


def test_interactive_html_does_not_change_the_apps_asset_links(after):
    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    export.interactive_html(after)
    assert folium.Map.default_js == before_js
    assert folium.Map.default_css == before_css


def test_interactive_html_escapes_user_data(reference, seed):
    tables = {name: frame.copy() for name, frame in seed.items()}
    tables["kitas"].loc[0, "name"] = "<script>alert(1)</script>"
    data = export.prepare(AFTER_SUMMER_2024, reference, tables, 600, title="<img src=x onerror=alert(2)>")
    html = export.interactive_html(data)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_fact_sheet_has_figures_staff_and_coordinator(after, tmp_path):
    key = "073315003"  # VG Monsheim: one position since 2024-08-01
    path = tmp_path / export.file_name("steckbrief", after, "VG Monsheim")
    path.write_bytes(export.fact_sheet_pdf(after, key))
    assert path.name == "kita-sozialarbeit_steckbrief_vg-monsheim_2024-08-01.pdf"
    pages = pdf_text(path)
    assert len(pages) == 1
    text = flat(pages[0])
    row = after.coverage.set_index("gebiet_rs").loc[key]
    for label, value in key_figures(row):
        assert value in text, label
    staff = after.positions[after.positions["gebiet_rs"] == key]
    assert len(staff) == 1
    assert staff.iloc[0]["bezeichnung"] in text and staff.iloc[0]["email"] in text
    assert "Katrin Leisenheimer" in text and "Kreisverwaltung Alzey-Worms" in text
    assert "https://s.rlp.de/kita-sozialarbeit" in text
    assert "Beispieldaten" in text and "© GeoBasis-DE / BKG" in text and "01.08.2024" in text


def test_fact_sheet_of_area_without_staff_says_so(before):
    text = flat(PdfReader(io.BytesIO(export.fact_sheet_pdf(before, "073315003"))).pages[0].extract_text())
    assert "keine Versorgung" in text
    assert "Derzeit ist hier keine Kita-Sozialarbeiterin eingesetzt" in text
    count = int(before.kitas["gemeinde_rs"].str.startswith("073315003").sum())
    assert count and f"Kitas im Gebiet ({count}, davon 0 mit Kita-Sozialarbeit)" in text


def test_all_fact_sheets_have_overview_and_one_page_per_area_with_progress(before, tmp_path):
    calls: list[tuple[float, str]] = []
    path = tmp_path / export.file_name("steckbriefe", before)
    path.write_bytes(export.fact_sheets_pdf(before, progress=lambda f, m: calls.append((f, m))))
    pages = [flat(t) for t in pdf_text(path)]
    assert len(pages) == 1 + 7
    assert all(name in pages[0] for name in AREA_NAMES)
    for number_, (page, name) in enumerate(zip(pages[1:], AREA_NAMES), start=2):
        assert page.startswith(name), page[:60]
        assert f"Seite {number_} von 8" in page
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    assert "Steckbrief VG Eich (4/8)" in [m for _, m in calls]


def test_exports_without_demo_data_carry_no_demo_note(reference, seed):
    tables = {name: frame.assign(demo=False) if "demo" in frame else frame for name, frame in seed.items()}
    data = export.prepare(AFTER_SUMMER_2024, reference, tables, 600)
    assert not data.demo
    assert "Beispieldaten" not in flat(PdfReader(io.BytesIO(export.map_pdf(data))).pages[0].extract_text())
    assert not in_script("Beispieldaten", export.interactive_html(data))


def test_empty_title_falls_back_to_default(reference, seed):
    data = export.prepare(AFTER_SUMMER_2024, reference, seed, 600, title="  ", subtitle="")
    assert data.title == export.default_title()
    assert data.subtitle == "Versorgung mit Kita-Sozialarbeit am 01.08.2024"


def test_exports_leave_matplotlib_settings_of_the_process_alone(after):
    before = matplotlib.rcParams["pdf.fonttype"]
    export.map_pdf(after)
    assert matplotlib.rcParams["pdf.fonttype"] == before


def test_map_zoomed_to_an_area_names_it_and_keeps_the_colours(before, tmp_path):
    path = tmp_path / export.file_name("pdf", before, "VG Eich")
    path.write_bytes(export.map_pdf(before, focus="073315002"))
    assert path.name == "kita-sozialarbeit_karte_vg-eich_2024-07-31.pdf"
    text = flat(pdf_text(path)[0])
    assert "VG Eich · Versorgung mit Kita-Sozialarbeit am 31.07.2024" in text
    image = Image.open(io.BytesIO(export.map_png(before, focus="073315002"))).convert("RGB")
    counts = {colour: n for n, colour in image.getcolors(maxcolors=1_000_000)}
    # VG Eich (unterversorgt) fills a large part of the picture; the veiled neighbours are paler.
    assert counts[rgb(CLASSES["unter"].colour)] > 0.15 * 1920 * 1080


def test_html_export_from_an_area_slide_shows_that_area(reference, seed):
    from reports import export as exports

    data = exports.prepare(AFTER_SUMMER_2024, reference, seed, 600)
    district = exports.interactive_html(data, large=True)
    area = exports.interactive_html(data, large=True, focus="073315005")
    assert area != district
    wollstein = reference.areas.set_index("gebiet_rs").loc["073315005", "geometry"].bounds
    assert f"[[{wollstein[1]}, {wollstein[0]}], [{wollstein[3]}, {wollstein[2]}]]" in area
    assert '"073315005"' in area and "visibility" in area  # only the area's name stays
    # the title is a header above the map, not a control on it
    assert district.index("class='kita-export-head'") < district.index('class="folium-map"')
    assert "imperial: false" in district and "L.control.scale()" not in district  # metric scale only


LICENCE_PARTS = ("© GeoBasis-DE / BKG (2017)", "GeoNutzV", "https://www.gesetze-im-internet.de/geonutzv/",
                 "Stand 2017-03", "vereinfacht, zusammengeführt", "https://gdz.bkg.bund.de/")


def test_every_export_names_the_licence_with_link_stand_and_change(before):
    """The shipped VG250 files are GeoNutzV (licence file of the npm package): PNG, PDF, HTML and fact sheets say so."""
    from matplotlib.text import Text

    from reports.export.draw import SCREEN, map_figure

    for size in (SCREEN, None):  # the PNG (1920 × 1080) and the A4 figure behind PNG-A4 and PDF
        figure = map_figure(before, size) if size else map_figure(before)
        drawn = " ".join(t.get_text() for t in figure.findobj(Text)).replace("\n", " ")
        for part in LICENCE_PARTS:
            assert part in drawn, part
    exported = {
        "map_pdf": flat(PdfReader(io.BytesIO(export.map_pdf(before))).pages[0].extract_text()),
        "fact_sheet": flat(PdfReader(io.BytesIO(export.fact_sheet_pdf(before, "073315002"))).pages[0].extract_text()),
        # The offline HTML carries its texts inside JavaScript strings: undo that escaping to read them.
        "html": re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), export.interactive_html(before))
        .replace('\\"', '"'),
    }
    for name, text in exported.items():
        for part in LICENCE_PARTS:
            assert part in text.replace("\n", " "), (name, part)
    assert 'href="https://www.gesetze-im-internet.de/geonutzv/"' in exported["html"]  # a link in the map
    assert "dl-de" not in exported["map_pdf"] + exported["fact_sheet"] + exported["html"]


def test_english_exports_have_english_fixed_texts(reference, seed):
    data = export.prepare(AFTER_SUMMER_2024, reference, seed, 600, lang="en")
    assert data.title == export.default_title("en") and data.subtitle.startswith("Coverage with Kita social work on")
    assert "Reference date: 1 Aug 2024" in data.source_line() and "Stichtag" not in data.source_line()
    sheet = re.sub(r"\s+", " ", PdfReader(io.BytesIO(export.fact_sheet_pdf(data, "073315003"))).pages[0].extract_text())
    assert "Kita social work responsible" in sheet and "How parents reach Kita social work" in sheet
    assert "Zuständige" not in sheet and "Steckbrief" not in sheet and "Sample data" in sheet
    html = export.interactive_html(data).decode("utf-8") if isinstance(export.interactive_html(data), bytes) \
        else export.interactive_html(data)
    assert "Coverage with Kita social work on 1 Aug 2024" in html and "Beispieldaten" not in html


def test_map_hatches_the_areas_without_staff_like_the_web_map(before, after):
    """Not by colour alone: the class "keine Versorgung" is striped in the map, its legend box and table box."""
    from matplotlib.collections import Collection
    from matplotlib.patches import Rectangle

    from reports.export.draw import HATCH_GID, map_figure

    def hatched(data):
        figure = map_figure(data)
        areas = [c for c in figure.findobj(Collection) if c.get_gid() == HATCH_GID]
        boxes = [p for p in figure.findobj(Rectangle) if p.get_gid() == HATCH_GID and p.get_hatch()]
        return sum(len(c.get_paths()) for c in areas), len(boxes)

    none_before = int((before.coverage["klasse"] == "keine").sum())
    assert none_before == 1  # VG Monsheim
    assert hatched(before) == (none_before, 2)  # its area; the legend box and its row in the table
    assert "keine" not in set(after.coverage["klasse"]) and hatched(after) == (0, 1)  # the legend still explains it


def test_english_map_has_english_heads_class_words_and_numbers(reference, seed):
    from matplotlib.text import Text

    from reports.export.draw import map_figure

    data = export.prepare(BEFORE_SUMMER_2024, reference, seed, 600, lang="en")
    drawn = {t.get_text().strip() for t in map_figure(data).findobj(Text)}
    assert {"Area", "FTE", "Children per FTE"} <= drawn and not {"Gebiet", "VZÄ", "Kinder je VZÄ"} & drawn
    assert {"no coverage", "under-served", "covered"} <= drawn  # the area labels' class words
    assert not {"keine Versorgung", "unterversorgt", "versorgt"} & drawn
    woerrstadt = number(data.coverage.set_index("gebiet").loc["VG Wörrstadt", "vze"], 2, "en")
    assert woerrstadt == "1.75" and woerrstadt in drawn


def test_fact_sheet_fits_long_kita_names_and_keeps_the_page_number_clear(reference, seed):
    """Rendered text boxes: every Kita name stays in its column and on the page (long names wrap, then "…"), and
    "Seite N von 8" touches no footer line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from reports.export.draw import rendering
    from reports.export.sheets import sheet_figure

    kitas = seed["kitas"].copy()
    area = "073315006"  # VG Wörrstadt: many Kitas
    in_area = kitas.index[kitas["gemeinde_rs"].str.startswith(area)]
    kitas.loc[in_area[0], "name"] = "Kommunale Kindertagesstätte Regenbogenland am Wiesengrund der Ortsgemeinde Sulzheim"
    kitas.loc[in_area[1], "name"] = "Kita" + "Sonnenblumenwiese" * 6  # no space to break at
    data = export.prepare(AFTER_SUMMER_2024, reference, {**seed, "kitas": kitas}, 600)
    with rendering():
        fig = sheet_figure(data, area, 2, 8)
        renderer = FigureCanvasAgg(fig).get_renderer()
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.texts if t.get_text().strip()]
    width = fig.get_figwidth() * fig.dpi
    names = [(text, box) for text, box in boxes if text.startswith(("●", "○"))]
    assert len(names) >= 10 and any("\n" in text for text, _ in names) and any("…" in text for text, _ in names)
    column = (width - 2 * 0.6 * fig.dpi) / 3
    for text, box in names:
        assert box.x1 <= width - 0.5 * fig.dpi and box.width <= column, text
    for (a, first), (b, second) in [(x, y) for i, x in enumerate(names) for y in names[i + 1:]]:
        assert not first.overlaps(second), (a, b)
    page = next(box for text, box in boxes if text == "Seite 2 von 8")
    assert not [text for text, box in boxes if text != "Seite 2 von 8" and box.overlaps(page)]
