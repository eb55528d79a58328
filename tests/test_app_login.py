"""The login gate on every writing page: anonymous visitors get a login form and no write control;
a wrong password an error; a read-only instance no form at all; the map, Versorgung and Über stay public."""

import pytest

from datastore.auth import Accounts
from datastore.store import Store
from tests.conftest import log_in

WRITING_PAGES = {"pages/planung.py": "szenario_speichern", "pages/daten.py": "speichern_kitas"}


@pytest.mark.parametrize("page", sorted(WRITING_PAGES))
def test_anonymous_visitor_sees_a_login_form_and_no_write_control(app, page):
    at = app(page=page).run()
    assert not at.exception
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)
    keys = {getattr(w, "key", None) for kind in ("button", "data_editor", "file_uploader") for w in at.get(kind)}
    assert WRITING_PAGES[page] not in keys and "uebernehmen" not in keys and "szenario_loeschen" not in keys


def test_login_with_a_local_account(app, db_url, reference):
    at = app(page="pages/daten.py").run()
    store = Store(db_url, gemeinden=reference.gemeinden)
    Accounts(store.engine).add("Anna Koordination", "ein langes Passwort 1")
    at.text_input(key="_login_name").input("Anna Koordination")
    at.text_input(key="_login_passwort").input("falsches Passwort")
    at.button[0].click().run()
    assert any("falsch" in e.value for e in at.error)
    at.text_input(key="_login_name").input("Anna Koordination")
    at.text_input(key="_login_passwort").input("ein langes Passwort 1")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert any("Anna Koordination" in c.value for c in at.sidebar.caption)
    at.button(key="_abmelden").click().run()
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)
    store.close()


def test_refused_login_is_said_in_the_ui_language(app, db_url, reference):
    at = app(page="pages/daten.py", query={"lang": "en"}).run()
    store = Store(db_url, gemeinden=reference.gemeinden)
    Accounts(store.engine).add("Anna Koordination", "ein langes Passwort 1")
    at.text_input(key="_login_name").input("Anna Koordination")
    at.text_input(key="_login_passwort").input("falsches Passwort")
    at.button[0].click().run()
    errors = [e.value.replace("\\", "") for e in at.error]  # Markdown-escaped for display
    assert errors == ["Name or password is wrong."]
    store.close()


@pytest.mark.parametrize("page", sorted(WRITING_PAGES))
def test_read_only_instance_has_no_login_and_no_write_path(app, page):
    at = log_in(app(page=page, env={"KITA_READ_ONLY": "true"})).run()  # even a session marked as logged in
    assert not at.exception
    assert any("nur zum Lesen" in i.value for i in at.info)
    assert not any(h.value == "Anmeldung der Koordination" for h in at.header)
    keys = {getattr(w, "key", None) for w in at.button}
    assert WRITING_PAGES[page] not in keys and "uebernehmen" not in keys


def test_with_an_oidc_provider_the_login_is_st_login(app):
    """An [auth] block in secrets.toml: the provider's button instead of the local form."""
    at = app(page="pages/daten.py")
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "kita", "client_secret": "geheim",
                          "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button if b.key == "_oidc_login"] == ["Mit dem Konto der Kreisverwaltung Alzey-Worms anmelden"]
    assert not at.text_input  # no local password form
