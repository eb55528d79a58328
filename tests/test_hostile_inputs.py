"""Hostile inputs, each checked at the layer where it lands: spreadsheet cells (formula injection), CSV files
as Excel and other programs write them, matplotlib exports (mathtext), Streamlit Markdown (links, HTML, LaTeX,
directives), URL query values and the database address (no traceback, no server path)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from geo import layers
from kita.constants import data_folder
from kita.coverage import coverage_at
from kita.errors import DataError
from kita.text import FORMULA_PREFIXES, SHEET_CELL_MAX, sheet_text
from reports import export, tables
from tests.conftest import BEFORE_SUMMER_2024

EVIL_LINK = "[Klick](http://evil.example)"

# --- D2: CSV / Excel cells never run as formulas ---------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "Kita\r=1+1",  # a bare CR inside a text must not start a new row beginning with a formula
]


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_text_is_neutral_in_csv_and_excel(value):
    table = pd.DataFrame({"Kita": [value, "Kita Sonnenschein"], "VZÄ": [-0.5, 1.0]})
    cells = csv_cells(tables.csv_bytes(table))
    assert len(cells) == 3 and cells[2][0] == "Kita Sonnenschein"
    assert cells[1][0] == sheet_text(value) and not cells[1][0].startswith(FORMULA_PREFIXES)
    assert cells[1][1] == "-0,5"  # a number stays a number
    sheet = load_workbook(io.BytesIO(tables.excel_bytes({"T": table})))["T"]
    text, number_cell = sheet["A2"], sheet["B2"]
    assert text.data_type == "s" and text.value == sheet_text(value).replace("\r", "\n")  # XML keeps no bare CR
    assert number_cell.data_type == "n" and number_cell.value == -0.5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_kita_named_like_a_formula_is_text_in_the_versorgung_downloads(reference, seed):
    """The reported case: a Kita name reaches the coverage table (Kitas without Kita-Sozialarbeit)."""
    kitas = seed["kitas"].copy()
    monsheim = kitas.index[kitas["gemeinde_rs"].str.startswith("073315003")]
    kitas.loc[monsheim, "name"] = '=HYPERLINK("http://evil.example","x")'
    coverage = coverage_at(BEFORE_SUMMER_2024, reference.areas, kitas, seed["fachkraefte"], 600)
    table = tables.coverage_table(coverage)
    for row in csv_cells(tables.csv_bytes(table))[1:]:
        assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row), row
    book = load_workbook(io.BytesIO(tables.excel_bytes({"Versorgung": table})))
    cells = [cell for row in book["Versorgung"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'=HYPERLINK") for cell in cells)


@pytest.mark.parametrize("value,expected", [
    ("Kita\x00Sonne\x07", "KitaSonne"),  # openpyxl refuses control characters: they are dropped, no crash
    ("A" * 100_000, "A" * SHEET_CELL_MAX),  # Excel's limit per cell
    ("Kita ‮enoS", "Kita ‮enoS"),  # bidi override: kept as text, not run
])
def test_excel_export_survives_control_characters_and_huge_fields(value, expected):
    sheet = load_workbook(io.BytesIO(tables.excel_bytes({"T": pd.DataFrame({"Name": [value]})})))["T"]
    assert sheet["A2"].value == expected and sheet["A2"].data_type == "s"


def test_safe_text_is_left_alone():
    assert sheet_text("Kita Sonnenschein") == "Kita Sonnenschein"
    assert sheet_text("Stelle 1 = Vollzeit") == "Stelle 1 = Vollzeit"  # only a leading sign matters


def test_sheet_names_with_forbidden_characters_do_not_break_the_workbook():
    book = load_workbook(io.BytesIO(tables.excel_bytes({"A/B: [Test]?": pd.DataFrame({"x": [1]})})))
    assert book.sheetnames == ["A_B_ _Test__"]


# --- D6: "$" in any text prints as "$" in PNG and PDF exports ----------------------------------------

DOLLARS = [r"Kita $\foo{$ Sonne", "Preis $5 und $10", r"$\frac{1}{0}$", "$$", "Kita $"]


@pytest.fixture(scope="module")
def dollar_export(reference, seed):
    tables_ = {name: frame.copy() for name, frame in seed.items()}
    kitas = tables_["kitas"]
    eich = kitas.index[kitas["gemeinde_rs"].str.startswith("073315002")]
    for index, name in zip(eich, DOLLARS):
        kitas.loc[index, "name"] = name
    tables_["kontakte"].loc[tables_["kontakte"]["id"] == "koordination", "name"] = r"Frau $\alpha$"
    data = export.prepare(BEFORE_SUMMER_2024, reference, tables_, 600, r"Titel $\foo{$", "Untertitel $x^2$")
    return data, export.fact_sheet_pdf(data, "073315002")


@pytest.mark.parametrize("name", DOLLARS)
def test_dollar_in_kita_names_prints_literally_on_the_fact_sheet(dollar_export, name):
    text = PdfReader(io.BytesIO(dollar_export[1])).pages[0].extract_text()
    assert name in text


def test_dollar_in_title_and_contacts_prints_literally_on_map_exports(dollar_export):
    data = dollar_export[0]
    text = PdfReader(io.BytesIO(export.map_pdf(data))).pages[0].extract_text()
    assert r"Titel $\foo{$" in text and "Untertitel $x^2$" in text
    assert export.map_png(data, focus="073315002").startswith(b"\x89PNG")
    assert r"Frau $\alpha$" in PdfReader(io.BytesIO(dollar_export[1])).pages[0].extract_text()


# --- D7 and friends: CSV files as Excel and others save them ----------------------------------------

SEED_KITAS = data_folder().seed / "kitas.csv"


def kitas_frame() -> pd.DataFrame:
    return pd.read_csv(SEED_KITAS, dtype=str, keep_default_na=False)


def read_kitas(tmp_path, content: bytes, reference) -> pd.DataFrame:
    path = tmp_path / "kitas.csv"
    path.write_bytes(content)
    return layers.read_csv_table("kitas", path, {"gemeinden": set(reference.gemeinden["gemeinde_rs"])})


def with_umlaut(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.loc[0, "name"] = "Kita Wöllstein „Spatzennest“ – Süd"
    return frame


@pytest.mark.parametrize("encoding,sep", [
    ("utf-8-sig", ","),  # Excel "CSV UTF-8": the reported case
    ("utf-8-sig", ";"),
    ("utf-8", ";"),
    ("cp1252", ";"),  # German Excel "CSV (Trennzeichen-getrennt)"
    ("utf-16", "\t"),  # Excel "Unicode-Text"
])
def test_csv_as_excel_saves_it_is_read_with_umlauts(tmp_path, reference, encoding, sep):
    frame = with_umlaut(kitas_frame())
    read = read_kitas(tmp_path, frame.to_csv(sep=sep, index=False).encode(encoding), reference)
    assert len(read) == len(frame) and read.loc[0, "name"] == "Kita Wöllstein „Spatzennest“ – Süd"
    assert list(read["id"]) == list(frame["id"])  # the BOM did not end up in the first column's name


@pytest.mark.parametrize("content,message", [
    (b"", "leer oder ihr Trennzeichen"),
    (b"\xef\xbb\xbf", "leer oder ihr Trennzeichen"),
    (b"id\nK1\n", "Spalten fehlen: id, name|Spalten fehlen: name"),
    (b"\x89PNG\r\n\x1a\n\x00\x81\x8d", "unbekannte Zeichenkodierung"),
])
def test_unreadable_csv_gets_a_german_message(tmp_path, reference, content, message):
    with pytest.raises(DataError, match=message) as error:
        read_kitas(tmp_path, content, reference)
    assert "Traceback" not in str(error.value) and str(tmp_path) not in str(error.value)


def test_row_with_extra_fields_names_its_line(tmp_path, reference):
    lines = kitas_frame().to_csv(index=False).splitlines()
    lines[5] += ",überzählig,noch eins"
    with pytest.raises(DataError, match="Zeile 6 hat 19 statt 17 Spalten") as error:
        read_kitas(tmp_path, ("\n".join(lines) + "\n").encode(), reference)
    assert "Expected" not in str(error.value)


def test_huge_field_gets_a_german_message(tmp_path, reference):
    frame = kitas_frame()
    frame.loc[0, "name"] = "A" * 200_000
    with pytest.raises(DataError, match="ein Feld ist länger als 131.072 Zeichen"):
        read_kitas(tmp_path, frame.to_csv(index=False).encode(), reference)


def test_semicolon_data_under_a_comma_header_names_the_problems(tmp_path, reference):
    lines = kitas_frame().to_csv(index=False).splitlines()
    mixed = "\n".join([lines[0]] + [line.replace(",", ";") for line in lines[1:]]) + "\n"
    with pytest.raises(DataError, match="nichts übernommen") as error:
        read_kitas(tmp_path, mixed.encode(), reference)
    assert "Zeile 2: Name fehlt" in str(error.value)


def test_missing_file_message_names_no_server_path(tmp_path, reference):
    with pytest.raises(DataError) as error:
        layers.read_csv_table("kitas", tmp_path / "fehlt.csv")
    assert "Datei fehlt.csv fehlt" in str(error.value) and str(tmp_path) not in str(error.value)


# --- D5: data and user text in Streamlit Markdown stays text ----------------------------------------

MARKDOWN_ATTACKS = [
    EVIL_LINK,
    "![x](http://evil.example/a.png)",
    "<a href='http://evil.example'>x</a>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "http://evil.example/login",
    "HTTPS://EVIL.EXAMPLE",
    "www.evil.example",
    "boss@evil.example",
    r"$\frac{1}{2}$ kostet $5",
    ":red[Achtung] :material/warning: :smile:",
    "**fett** _kursiv_ ~~weg~~",
    "# Titel",
    "Zeile 1\n===",
    "| a | b |\n|---|---|",
    "`code`",
    "<http://evil.example>",
    "[x]: http://evil.example\n[x]",
    "Kita \u202eelpmaxe.live\u202c",  # bidi override: would show a reversed address
]
# Characters that start Markdown, HTML, LaTeX or directives; md() must put a backslash before each.
_ACTIVE = set("\\`*_{}[]()#+-.!|<>~$:=&@/")


def unescaped_active(text: str) -> list[str]:
    found, escaped = [], False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _ACTIVE:
            found.append(char)
    return found


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_md_leaves_no_markdown_syntax_active(attack):
    from kita.text import md

    escaped = md(attack)
    assert unescaped_active(escaped) == []
    for literal in ("http:", "https:", "HTTPS:", "www.", "@e"):  # GFM's bare autolinks are interrupted
        if literal.rstrip(":") in attack and literal in attack:
            assert literal not in escaped.replace("\\", ""), literal
    assert "\u202e" not in escaped and "\u202c" not in escaped
    # What a reader sees is the text itself (word joiners are invisible): nothing lost, nothing added.
    visible = escaped.replace("\\", "").replace("\u2060", "").replace("  \n", "\n")
    assert visible == attack.replace("\u202e", "").replace("\u202c", "").replace("\\", "")


def test_search_text_with_a_link_stays_text_in_the_red_error_box(app):
    at = app().run()
    at.text_input(key="suche").set_value(EVIL_LINK)
    at.button(key="suche_los").click().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert message and "](" not in message and "http:" not in message
    assert "Klick" in message


def hostile_store(db_url, reference, kita_name: str, note: str):
    """A database whose first Kita and the coordination's note carry hostile text (written with SQL, as
    if it came from an old import: the page must be safe whatever is stored)."""
    from sqlalchemy import update

    from datastore.store import TABLES, Store

    store = Store(db_url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))
    kita = store.read("kitas").iloc[0].to_dict()
    kitas, contacts = TABLES["kitas"], TABLES["kontakte"]
    with store.engine.begin() as conn:
        conn.execute(update(kitas).where(kitas.c.id == kita["id"]).values(name=kita_name))
        conn.execute(update(contacts).where(contacts.c.id == "koordination").values(hinweis=note))
    store.engine.dispose()
    return kita


@pytest.mark.parametrize("name", [EVIL_LINK, "<img src=x onerror=alert(1)>", r"Kita $\alpha$ :red[rot]"])
def test_hostile_kita_name_and_contact_note_render_as_text_on_the_parents_page(app, db_url, reference, name):
    from kita.text import md

    kita = hostile_store(db_url, reference, name, "Bitte melden: [hier](http://evil.example)")
    at = app(query={"kita": kita["id"]}).run()
    assert not at.exception
    assert at.header[0].value == md(name)
    shown = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert any(md("Bitte melden: [hier](http://evil.example)") in text for text in shown)  # escaped (in an isolate)
    assert not any("](http://evil" in text for text in shown)


# --- URL query values --------------------------------------------------------------------------------

@pytest.mark.parametrize("query,panel", [
    ({"gebiet": "<script>alert(1)</script>"}, None),
    ({"gebiet": EVIL_LINK}, None),
    ({"gemeinde": "0733100030000' OR 1=1 --"}, None),
    ({"kita": "../../etc/passwd"}, None),
    ({"kita": "K" * 5000}, None),
    ({"gebiet": "073315003", "kita": "$x$"}, "VG Monsheim"),  # the valid part is used, the rest ignored
])
def test_hostile_url_values_on_the_parents_page_are_ignored_with_an_escaped_warning(app, query, panel):
    from kita.text import md

    at = app(query=query).run()
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    for key, value in query.items():
        if value != "073315003":
            assert f"„{key}“ ({md(value[:40])})" in warnings  # quoted escaped and cut, then ignored
    assert "<script>" not in warnings and "](http" not in warnings
    assert [h.value for h in at.header][:1] == ([md(panel)] if panel else [])


def test_unknown_language_in_the_url_falls_back_to_german(app):
    at = app(query={"lang": "<b>xx</b>"}).run()
    assert not at.exception
    assert at.title[0].value == "Kita-Sozialarbeit im Landkreis Alzey-Worms"


@pytest.mark.parametrize("folie", ["999", "0", "-1", "1e3", "<b>2</b>"])
def test_unknown_slide_number_opens_the_first_slide(app, folie):
    at = app(page="pages/praesentation.py", query={"folie": folie}).run()
    assert not at.exception
    assert at.query_params["folie"] == "1"
    assert any("unbekannten Wert" in w.value for w in at.warning)


def test_overlong_search_text_is_cut_with_a_german_note(reference, seed):
    from geo.dataset import search_index
    from geo.search import MAX_QUERY_LENGTH, search

    result = search("Alzey " * 20000, search_index(reference, seed["kitas"]))  # 120 000 characters
    assert not result.places and f"länger als {MAX_QUERY_LENGTH} Zeichen" in result.notice
    assert len(result.query) <= MAX_QUERY_LENGTH


# --- D4: no traceback, no server path -----------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "postgresql://kita@127.0.0.1:1/kita",  # the README's form without driver; no server there
    "mysql://kita@localhost/kita",  # driver not installed
    "nonsense",
    "sqlite:////proc/kita-sozialarbeit/kita.sqlite",  # folder cannot be created
])
def test_broken_database_url_shows_a_german_message_without_path_or_traceback(app, url):
    at = app(env={"KITA_DATABASE_URL": url}).run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "Öffnen der Datenbank nicht möglich" in message and "Datenbank" in message
    plain = message.replace("\\", "")
    for leak in ("Traceback", "File \"", "/proc/", "/work/", "site-packages", ".py"):
        assert leak not in plain, leak


def test_unexpected_failure_is_logged_and_shown_without_details(app, monkeypatch, caplog):
    from geo import dataset

    def broken():
        raise RuntimeError("/srv/geheim/pfad/areas.geojson: kaputt")

    monkeypatch.setattr(dataset, "load_reference", broken)
    at = app().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "unerwarteter Fehler" in message and "geheim" not in message
    assert "geheim" in caplog.text  # the administration finds the details in the log


def test_failing_table_export_delivers_a_file_that_says_so_and_the_page_goes_on(app, monkeypatch, caplog):
    """Table files are made on click (deferred): a failure cannot reach the page any more, so the page is whole
    and the downloaded workbook says in German that the export failed, without the server's details."""
    import ui
    import ui.errors
    import ui.widgets
    from kita import i18n

    def broken(*args, **kwargs):
        raise ValueError("/srv/geheim: kaputt")

    monkeypatch.setattr(tables, "excel_bytes", broken)
    at = app(page="pages/versorgung.py").run()
    assert not at.exception and not at.error
    assert at.header and "Sozialraum" in at.header[-1].value  # the whole page is there
    assert "Tabelle als Excel" in [d.proto.label for d in at.get("download_button")]

    # What the Excel button delivers on click (AppTest keeps no deferred files: the buttons, caught here).
    offered = {}

    class Column:
        def download_button(self, label, data, file_name, mime, **options):
            offered[label] = data

    monkeypatch.setattr(ui.widgets.st, "columns", lambda n: [Column() for _ in range(n)])
    monkeypatch.setattr(ui.widgets, "t", lambda key, **values: i18n.text(key, "de", **values))
    monkeypatch.setattr(ui.errors, "t", lambda key, **values: i18n.text(key, "de", **values))
    ui.table_downloads("versorgung", {"Tabelle": pd.DataFrame({"a": [1]})}, None, key="x")
    assert offered["Tabelle als CSV"]() == b"\xef\xbb\xbfa\r\n1\r\n"  # the CSV is still made (BOM for Excel)
    cell = load_workbook(io.BytesIO(offered["Tabelle als Excel"]())).active["A2"].value
    assert cell.startswith("Der Export „Tabelle als Excel“ konnte nicht erstellt werden") and "geheim" not in cell
    assert "geheim" in caplog.text  # logged for the administration


@pytest.mark.parametrize("mime,start", [("application/pdf", b"%PDF"), ("image/png", b"\x89PNG"),
                                        ("text/html", b"<!DOCTYPE html>"), (tables.XLSX, b"PK")])
def test_a_failed_deferred_export_delivers_a_file_that_says_so(mime, start):
    text = "Der Export „<Karte> $x$“ konnte nicht erstellt werden."
    content = export.message_file(text, mime)
    assert content.startswith(start)
    if mime == "application/pdf":
        assert "konnte nicht erstellt werden" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    if mime == "text/html":
        assert b"&lt;Karte&gt;" in content and b"<Karte>" not in content
    if mime == tables.XLSX:
        assert load_workbook(io.BytesIO(content)).active["A2"].value == text


def test_error_details_are_off_for_visitors():
    import tomllib

    from streamlit import config

    settings = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert settings["client"]["showErrorDetails"] == "none"
    assert config.get_option("client.showErrorDetails") == "none"


def test_upload_limit_is_one_number_for_server_import_and_proxy():
    """server.maxUploadSize (what Streamlit accepts), the import's own limit (checked again on the bytes) and the
    figure the page shows are the same 10 MB; nginx lets such a request through."""
    import re
    import tomllib

    from datastore import uploads

    root = Path(__file__).resolve().parent.parent
    settings = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["maxUploadSize"] * 1024 * 1024 == uploads.MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    proxy = re.search(r"client_max_body_size (\d+)m;", (root / "deploy" / "nginx-kita.conf").read_text())
    assert int(proxy.group(1)) >= settings["server"]["maxUploadSize"]


def test_uploader_texts_cannot_leave_their_css_string():
    from ui.framework.uploader import css_string, uploader_texts

    assert css_string('Datei "x"</style><script>') == '"Datei \\22 x\\22 \\3C /style\\3E \\3C script\\3E "'
    style = uploader_texts("Datei auswählen", "höchstens 10 MB")
    assert style.count("<") == 2 and 'content: "Datei auswählen"' in style


def test_config_and_boundary_messages_name_files_without_server_paths(tmp_path):
    from kita.settings import load_settings

    config = tmp_path / "kita.toml"
    config.write_text("[versorgung\n")
    with pytest.raises(DataError) as error:
        load_settings({"KITA_CONFIG": str(config)})
    assert "kita.toml ist fehlerhaft" in str(error.value) and str(tmp_path) not in str(error.value)
    with pytest.raises(DataError) as error:
        layers.load_areas(tmp_path)
    assert "areas.geojson fehlt" in str(error.value) and str(tmp_path) not in str(error.value)


def test_deferred_download_turns_a_failure_into_a_file_that_says_so(monkeypatch, caplog):
    """A slow export is made on click, when the page can no longer show a message: the file says it."""
    import ui
    import ui.errors
    import ui.widgets

    monkeypatch.setattr(ui.errors, "t", lambda key, **values: f"Export {values.get('what')} fehlgeschlagen ({key})")
    offered = {}

    class Column:
        def download_button(self, label, data, file_name, mime, **options):
            offered.update(label=label, data=data, options=options)

    def broken():
        raise RuntimeError("/srv/geheim/pfad")

    ui.download(Column(), "Karte PDF (A4)", broken, "karte.pdf", "application/pdf", key="dl", deferred=True)
    assert callable(offered["data"]) and offered["options"]["on_click"] == "ignore"
    content = offered["data"]()
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Karte PDF (A4) fehlgeschlagen" in text and "geheim" not in text
    assert "geheim" in caplog.text


@pytest.mark.parametrize("value", ["Kita\r=1+1", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)"])
def test_data_page_table_export_keeps_every_cell_formula_neutral(value):
    """The Daten page's CSV export (datastore.imports): a bare CR inside a text must not start a new row."""
    from datastore import imports

    frame = pd.DataFrame({"id": ["K1", "K2"], "name": [value, "Kita Sonnenschein"]})
    rows = csv_cells(imports.reimportable_csv(frame))
    assert len(rows) == 3 and rows[2] == ["K2", "Kita Sonnenschein"]
    assert not any(cell.startswith(FORMULA_PREFIXES) for row in rows for cell in row)
