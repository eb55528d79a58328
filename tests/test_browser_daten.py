"""A coordinator in headless Chromium: logs in, imports a messy spreadsheet, fixes the problem the dry
run names, applies it, edits a phone number, sees it on the parents' card, and undoes it."""


import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from datastore.auth import Accounts
from datastore.store import Store
from geo import dataset
from tests.browser_support import (log_in_on_daten,
    ARTIFACTS,
    external_requests,
    idle,
    running_app,
    wait_for_map,
)

pytestmark = pytest.mark.browser

PASSWORD = "ein langes Passwort 1"
MESSY = (
    "Name der Einrichtung;Träger;Straße;PLZ;Ort;Anzahl Kinder;Telefon;E-Mail\n"
    "Kita Sonnenschein;Gemeinde Flonheim;Hauptstr. 1;55237;Flonheim;45;06734 1234;kita@flonheim.example\n"
    "Kita Regenbogen;Ev. Kirche;Am Markt 2;55234;Framersheim;viele;06733 99;kita@framersheim.example\n"
)
NEW_PHONE = "06731 408-1234"


@pytest.fixture(scope="module")
def coordinator_app(tmp_path_factory):
    """The app on a fresh database with one local account."""
    database = tmp_path_factory.mktemp("daten") / "app.sqlite"
    store = Store(f"sqlite:///{database}", gemeinden=dataset.load_reference().gemeinden)
    Accounts(store.engine).add("Anna Koordination", PASSWORD)
    store.close()
    with running_app(database) as url:
        yield url, database


def grid_cell(page, grid, row: int, column: int) -> None:
    """Select a cell of a data editor (canvas grid) by keyboard: click the first data cell, then arrows.

    The arrows only once the grid has the focus: a click that missed it (grid still being drawn) left the focus
    on the "Bereich" radio, and the arrows then switched the section."""
    for attempt in range(3):
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 60, box["y"] + 35 + 17)  # first data row, first column (after the row marker)
        if grid.evaluate("(el) => el.contains(document.activeElement)"):
            break
        if attempt == 2:
            raise AssertionError("the data editor did not take the focus")
        wait_idle(page)
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    for _ in range(column):
        page.keyboard.press("ArrowRight")


def edit_cell(page, grid, row: int, column: int, text: str) -> None:
    """Select a cell, open its editor with Enter (a textarea of the grid), type, commit with Enter.

    The grid is a canvas: a click that lands while a run is still redrawing it selects nothing (seen once in
    CI on a busy machine). So wait for the app to be idle first, and select again if no editor opened."""
    editor = page.locator("textarea.gdg-input")
    for attempt in range(3):
        wait_idle(page)
        grid.wait_for(timeout=60_000)
        grid_cell(page, grid, row, column)
        page.keyboard.press("Enter")
        try:
            editor.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    editor.fill(text)
    page.keyboard.press("Enter")
    editor.wait_for(state="detached", timeout=10_000)
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait until the app has finished the run the last input started and drawn it (the run starts only after
    the input reaches the server, hence the pause first)."""
    page.wait_for_timeout(500)
    idle(page)


def choose_section(page, label: str) -> None:
    """Pick a section of the "Bereich" radio. Only once the page is idle: a click while the page above was still
    being redrawn landed on the neighbouring option once ("Export" instead of "Import"). Checked, not just clicked."""
    option = page.locator("[data-testid=stRadio] label").filter(has=page.get_by_text(label, exact=True))
    for attempt in range(3):
        wait_idle(page)
        option.click()
        try:
            page.wait_for_function("(el) => el.checked", arg=option.locator("input").element_handle(), timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # keys must not reach it
    wait_idle(page)


def test_login_import_fix_apply_edit_phone_see_on_card_and_undo(coordinator_app, browser_page, tmp_path):
    url, database = coordinator_app
    page = browser_page
    page.goto(url)
    wait_for_map(page)  # start page first: the app's navigation is registered on its first run
    log_in_on_daten(page, url, "Anna Koordination", PASSWORD)

    # import a messy spreadsheet (cp1252, semicolons, German headers, no ids, no coordinates)
    choose_section(page, "Import")
    messy = tmp_path / "kitas aus excel.csv"
    messy.write_bytes(MESSY.encode("cp1252"))
    page.locator("input[type=file]").set_input_files(str(messy))
    page.get_by_text("Zeile 3, Kinder: Kinder „viele“ ist keine Zahl").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Übernehmen").is_disabled()

    # fix the problem in the preview: row 2 of the data (file row 3), column "Kinder": the click lands in
    # "übernehmen" (the narrow row-number column before it is passed), then Name, Träger, Straße, PLZ, Ort, Kinder
    grid = page.get_by_test_id("stDataFrame").first
    edit_cell(page, grid, 1, 6, "38")
    page.get_by_text("2 neu, 0 geändert, 0 unverändert, 0 entfernt, 0 verworfen; 0 Problem(e)").wait_for(
        timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "daten-import.png"), full_page=True)
    page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("Import übernommen").wait_for(timeout=60_000)
    store = Store(f"sqlite:///{database}")
    kitas = store.read("kitas").set_index("name")
    assert kitas.loc["Kita Regenbogen", "kinder"] == 38 and kitas.loc["Kita Regenbogen", "lage_ungefaehr"]

    # edit the coordination's phone number (Kontakte, row "koordination" = 2nd, column "Telefon" = 5th)
    choose_section(page, "Kontakte")
    page.get_by_text("Dienstliche Kontaktwege").wait_for(timeout=60_000)
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # the grid of the previous section is gone, this one drawn
    edit_cell(page, grid, 1, 4, NEW_PHONE)
    page.get_by_role("button", name="Speichern").click()
    wait_idle(page)
    page.get_by_text("Kontakte: 1 Zeile(n) gespeichert").wait_for(timeout=60_000)
    assert store.read("kontakte").set_index("id").loc["koordination", "telefon"] == NEW_PHONE

    # the parents' card shows it
    card = page.context.new_page()
    card.goto(f"{url}/?gebiet=073315003")
    card.get_by_text(NEW_PHONE).wait_for(timeout=60_000)
    card.close()

    # undo it from the change log; the card shows the old state again
    choose_section(page, "Änderungsprotokoll")
    page.get_by_role("button", name="Diese Änderung rückgängig machen").click()
    page.get_by_text("rückgängig gemacht").first.wait_for(timeout=60_000)
    assert store.read("kontakte").set_index("id").loc["koordination", "telefon"] == ""
    log = store.change_log()
    assert log.iloc[0]["wer"] == "Anna Koordination" and log.iloc[1]["wer"] == "Anna Koordination"
    card = page.context.new_page()
    card.goto(f"{url}/?gebiet=073315003")
    card.get_by_text("Koordination im Landkreis").first.wait_for(timeout=60_000)
    assert card.get_by_text(NEW_PHONE).count() == 0
    card.close()
    store.close()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "daten-protokoll.png"), full_page=True)
    assert external_requests(page.requests) == []
