"""AppTest of the page "Daten" (logged in): every section renders, the change log filters, and a
change is undone from the page with the person's name in the log."""

from datastore.store import Store
from tests.conftest import log_in

PAGE = "pages/daten.py"


def table_with(at, column: str):
    """The first table (not the editable preview) that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_every_section_renders_for_a_coordinator(app):
    at = log_in(app(page=PAGE)).run()
    assert not at.exception and not at.error
    for section in ["kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen", "import", "export", "protokoll"]:
        at.radio(key="bereich").set_value(section).run()
        assert not at.exception and not at.error, section
    at.radio(key="bereich").set_value("export").run()
    assert len(at.get("download_button")) == 6  # 4 CSV, Excel, GeoPackage


def test_change_log_filters_and_undo_from_the_page(app, db_url, reference):
    store = Store(db_url, gemeinden=reference.gemeinden)
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"telefon": "06731 408-0"}, who="Berta Beispiel")
    at = log_in(app(page=PAGE), "Anna Koordination").run()
    at.radio(key="bereich").set_value("protokoll").run()
    at.text_input(key="log_wer").input("berta").run()
    log = at.dataframe[0].value
    assert list(log["Wer"]) == ["Berta Beispiel"] and "telefon:  → 06731 408-0" in log.iloc[0]["Was"]
    at.button(key="undo_eine").click().run()
    assert not at.exception
    assert any("rückgängig gemacht" in s.value for s in at.success)
    assert store.read("kontakte").iloc[0]["telefon"] == row["telefon"]
    newest = store.change_log().iloc[0]
    assert newest["wer"] == "Anna Koordination" and "Rückgängig" in newest["hinweis"]
    store.close()


def test_every_section_in_english(app, db_url, reference):
    from geo.layers import SCHEMAS
    from tests.ui_language import german_left

    store = Store(db_url, gemeinden=reference.gemeinden)
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"telefon": "06731 408-0"}, who="Berta Beispiel")
    store.close()
    keys = {c.name for columns in SCHEMAS.values() for c in columns}
    # the editors show the stored rows as they are (the shipped contact notes are German data there; the parents'
    # card says them in the parents' language, test_app_karte)
    store = Store(db_url, gemeinden=reference.gemeinden)
    data = {str(v) for frame in store.read_all().values() for v in frame.to_numpy().ravel()}
    store.close()
    at = log_in(app(page=PAGE, query={"lang": "en"})).run()
    assert "Social workers" in at.radio(key="bereich").options
    for section in ["kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen", "import", "export", "protokoll"]:
        at.radio(key="bereich").set_value(section).run()
        assert not at.exception and not at.error, section
        # an editor's frame keeps the schema's column keys (its titles come from column_config)
        left = [t for t in german_left(at) if t not in keys and t not in data]
        assert not left, (section, left)
    assert "Who" in at.dataframe[0].value.columns and any(s.value == "Change log" for s in at.subheader)


def test_import_of_a_bad_file_speaks_english(app):
    """The data checks, import notes and dry-run summary come from the catalogues: an English coordinator reads
    them in English (the German words of the checks nowhere on the page)."""
    from tests.ui_language import german_left

    bad = ("id;rolle;name;email;demo\r\n"
           "neu1;Beratung;Erika Muster;keine-adresse;no\r\n"
           "neu2;;Max Muster;;vielleicht\r\n").encode("cp1252")
    at = log_in(app(page=PAGE, query={"lang": "en"})).run()
    at.radio(key="bereich").set_value("import").run()
    at.selectbox(key="import_tabelle").set_value("kontakte").run()
    at.file_uploader(key="import_datei").set_value(("kontakte.csv", bad, "text/csv")).run()
    assert not at.exception
    shown = "\n".join(m.value for m in [*at.markdown, *at.caption, *at.error]).replace("\\", "")
    assert "Separator: ;" in shown and "Trennzeichen" not in shown
    assert "0 new, 0 changed, 0 unchanged, 0 removed, 0 dropped; 3 problem(s), 0 value(s) to check" in shown
    assert "E-mail “keine-adresse” is not a valid e-mail address" in shown
    problems = table_with(at, "Problem")
    assert list(problems.columns) == ["Row", "Column", "Problem"]
    assert set(problems["Problem"]) == {"E-mail “keine-adresse” is not a valid e-mail address", "Role is missing",
                                        "Sample data “vielleicht” is neither yes nor no"}
    assert "keine gültige" not in shown and "fehlt" not in " ".join(problems["Problem"])
    assert not german_left(at), german_left(at)


def test_import_of_a_bad_file_in_german_keeps_the_german_words(app):
    bad = "id;rolle;name;email\r\nneu1;Beratung;Erika Muster;keine-adresse\r\n".encode("utf-8")
    at = log_in(app(page=PAGE)).run()
    at.radio(key="bereich").set_value("import").run()
    at.selectbox(key="import_tabelle").set_value("kontakte").run()
    at.file_uploader(key="import_datei").set_value(("kontakte.csv", bad, "text/csv")).run()
    problems = table_with(at, "Problem")
    assert list(problems["Problem"]) == ["E-Mail „keine-adresse“ ist keine gültige E-Mail-Adresse"]
    assert "Trennzeichen: ;" in "\n".join(c.value for c in at.caption).replace("\\", "")


def test_change_log_notes_in_english(app, db_url, reference):
    """The notes the code writes into the log (kept German there, as data) read in the UI language."""
    from datastore.store import log_note_in_language

    store = Store(db_url, gemeinden=reference.gemeinden)
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"telefon": "06731 408-0"}, who="Berta Beispiel")
    number = int(store.change_log().iloc[0]["nr"])
    store.undo(number, who="Berta Beispiel")
    assert store.change_log().iloc[0]["hinweis"] == f"Rückgängig: Änderung Nr. {number}"
    store.close()
    at = log_in(app(page=PAGE, query={"lang": "en"})).run()
    at.radio(key="bereich").set_value("protokoll").run()
    assert f"Undo: change no. {number}" in list(at.dataframe[0].value["Note"])
    assert log_note_in_language("Szenario: Plan A | Beginn in der Vergangenheit", "en") == "Scenario: Plan A | start in the past"
    assert log_note_in_language("eigener Hinweis", "en") == "eigener Hinweis"


def upload(at, name: str, data: bytes, table: str = "kitas"):
    at.radio(key="bereich").set_value("import").run()
    assert not at.exception
    at.selectbox(key="import_tabelle").set_value(table).run()
    assert not at.exception
    at.file_uploader(key="import_datei").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    return at


def test_import_of_two_numbers_changes_exactly_them_and_names_the_person(app, db_url, reference):
    store = Store(db_url, gemeinden=reference.gemeinden)
    before = store.read("kitas").set_index("id")
    first, second = before.index[0], before.index[1]
    at = log_in(app(page=PAGE), "Anna Koordination").run()
    upload(at, "kinder.csv", f"ID;Kinder\n{first};77\n{second};78\n".encode())
    changes = table_with(at, "bisher")
    assert list(changes["Datensatz"]) == [first, second] and set(changes["Spalte"]) == {"Kinder"}
    assert list(table_with(at, "zugeordnet über")["zugeordnet über"]) == ["ID", "ID"]
    at.button(key="import_uebernehmen").click().run()
    assert not at.exception and any("Import übernommen" in s.value for s in at.success)
    after = store.read("kitas").set_index("id")
    differing = [(k, c) for k in before.index for c in before.columns
                 if str(before.loc[k, c]) != str(after.loc[k, c])]
    assert differing == [(first, "kinder"), (second, "kinder")]
    assert list(after.loc[[first, second], "kinder"]) == [77, 78]
    log = store.change_log(tabelle="kitas").head(2)
    assert set(log["wer"]) == {"Anna Koordination"} and set(log["hinweis"]) == {"Import kinder.csv"}
    at.radio(key="bereich").set_value("protokoll").run()
    assert not at.exception
    label = at.selectbox(key="undo_vorgang").options[0]  # readable, not "import-3f9a1c2b"
    assert label.startswith("Import kinder.csv · ") and "· Anna Koordination · 2 Änderung(en) · " in label
    at.button(key="undo_vorgang_knopf").click().run()
    assert not at.exception and any("Import kinder.csv" in s.value for s in at.success)
    assert not [k for k in before.index if str(before.loc[k, "kinder"]) != str(store.read("kitas").set_index("id").loc[k, "kinder"])]
    store.close()


def test_the_uploader_speaks_german_with_the_real_limit(app):
    at = log_in(app(page=PAGE)).run()
    at.radio(key="bereich").set_value("import").run()
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert 'content: "Datei auswählen"' in styles and "höchstens 10 MB" in styles
    assert "höchstens 10 MB" in at.file_uploader(key="import_datei").proto.help


def test_the_file_is_read_once_per_upload(app, monkeypatch):
    from datastore import uploads

    calls = []
    real = uploads.read_file
    monkeypatch.setattr(uploads, "read_file", lambda *args: calls.append(args[0]) or real(*args))
    at = log_in(app(page=PAGE)).run()
    upload(at, "x.csv", "Name;PLZ;Ort;Kinder\nKita Neu;55232;Alzey;40\n".encode())
    at.radio(key="import_modus").set_value("replace").run()
    assert any("ersetzen" in w.value for w in at.warning)
    at.radio(key="import_modus").set_value("update").run()
    assert calls == ["x.csv"]
    at.file_uploader(key="import_datei").clear().run()  # emptied: the kept file goes too
    assert not at.exception and "_gelesene_datei" not in at.session_state


def test_workbook_sheet_choice_and_a_row_without_id_and_place(app):
    """The crash of the issue: one row lacks ID and place among valid rows, on a workbook's second sheet."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notizen"
    book.active.append(["nur eine Notiz"])
    sheet = book.create_sheet("Kitas 2026")
    sheet.append(["Name", "PLZ", "Ort", "Kinder"])
    sheet.append(["Kita Neu", "55232", "Alzey", 40])
    sheet.append([None, None, None, 12])
    sheet.append(["Kita Zwei", "55234", "Framersheim", 30])
    data = io.BytesIO()
    book.save(data)
    at = log_in(app(page=PAGE)).run()
    upload(at, "kitas.xlsx", data.getvalue())
    chooser = next(s for s in at.selectbox if s.key and s.key.startswith("import_blatt_"))
    chooser.set_value("Kitas 2026").run()
    assert not at.exception
    rows = table_with(at, "Ergebnis")
    assert list(rows["Ergebnis"]) == ["neu", "Problem", "neu"] and list(rows["Zeile"]) == [2, 3, 4]
    assert at.button(key="import_uebernehmen").disabled


def test_duplicates_block_the_import_on_the_page(app, db_url, reference):
    store = Store(db_url, gemeinden=reference.gemeinden)
    kita = store.read("kitas").iloc[0]["id"]
    store.close()
    at = log_in(app(page=PAGE)).run()
    upload(at, "x.csv", f"ID;Kinder\n{kita};1\n{kita};2\n".encode())
    assert at.button(key="import_uebernehmen").disabled
    assert set(table_with(at, "Problem")["Zeile"]) == {2, 3}


def test_a_hostile_workbook_is_refused_in_german(app):
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in range(2, 200):
        book.active.cell(row=row, column=16384, value="x")
    data = io.BytesIO()
    book.save(data)
    at = log_in(app(page=PAGE)).run()
    upload(at, "breit.xlsx", data.getvalue())
    assert any("zu breit" in e.value for e in at.error)
