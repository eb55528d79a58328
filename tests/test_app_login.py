"""The login gate on every writing page: anonymous visitors get a login form and no write control;
a wrong password an error; a read-only instance no form at all; the map, Versorgung and Über stay public."""

import pytest

from datastore import auth
from datastore.auth import Accounts
from datastore.store import Store
from tests.conftest import BROWSER, log_in, present_cookie

WRITING_PAGES = {"pages/planung.py": "szenario_speichern", "pages/daten.py": "speichern_kitas"}


@pytest.mark.parametrize("page", sorted(WRITING_PAGES))
def test_anonymous_visitor_sees_a_login_form_and_no_write_control(app, page):
    at = app(page=page).run()
    assert not at.exception
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)
    keys = {getattr(w, "key", None) for kind in ("button", "data_editor", "file_uploader") for w in at.get(kind)}
    assert WRITING_PAGES[page] not in keys and "uebernehmen" not in keys and "szenario_loeschen" not in keys


def tickets(engine) -> list[str]:
    from sqlalchemy import select

    with engine.connect() as conn:
        return [r.name for r in conn.execute(select(auth.tokens).where(auth.tokens.c.art == auth.TICKET))]


def test_login_with_a_local_account(app, db_url, reference):
    present_cookie(None)  # a browser that has loaded the page: its browser cookie, no login cookie
    at = app(page="pages/daten.py").run()
    store = Store(db_url, gemeinden=reference.gemeinden)
    accounts = Accounts(store.engine)
    accounts.add("Anna Koordination", "ein langes Passwort 1")
    at.text_input(key="_login_name").input("Anna Koordination")
    at.text_input(key="_login_passwort").input("falsches Passwort")
    at.button[0].click().run()
    assert any("falsch" in e.value for e in at.error)
    assert tickets(store.engine) == []
    at.text_input(key="_login_name").input("anna koordination")
    at.text_input(key="_login_passwort").input("ein langes Passwort 1")
    at.button[0].click().run()
    assert not at.exception and not at.error
    # Name and password right: a one-time ticket for the cookie route, and still no login in this session
    assert tickets(store.engine) == ["Anna Koordination"]
    assert any("Anmeldung wird abgeschlossen" in i.value for i in at.info)
    assert not any("Anna Koordination" in c.value for c in at.sidebar.caption)
    assert not any(getattr(w, "key", None) == "speichern_kitas" for w in at.button)
    # The browser posts the ticket to the cookie route and comes back with the login cookie
    with store.engine.connect() as conn:
        from sqlalchemy import select
        ticket_hash = conn.execute(select(auth.tokens.c.token_hash)).scalar()
    assert ticket_hash and len(ticket_hash) == 64  # only the hash is stored; the browser got the ticket itself
    present_cookie(accounts.exchange_ticket(accounts.issue_ticket("Anna Koordination", BROWSER), BROWSER)[0])
    at.run()
    assert any("Anna Koordination" in c.value for c in at.sidebar.caption)
    at.button(key="_abmelden").click().run()
    assert not at.exception
    at.run()  # the same cookie is worthless after logout
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)
    store.close()


def test_a_session_without_the_cookie_is_not_logged_in(app, db_url):
    """The same session (id), resumed by a connection that does not send the login cookie: no login."""
    at = log_in(app(page="pages/daten.py")).run()
    assert not at.exception and not any(h.value == "Anmeldung der Koordination" for h in at.header)
    present_cookie(None)
    at.run()
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)
    present_cookie("gefaelschtes-token")
    at.run()
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)


@pytest.mark.parametrize("end", ["sperren", "passwort"])
def test_blocking_or_a_new_password_ends_an_open_login_at_the_next_run(app, db_url, end):
    at = log_in(app(page="pages/daten.py")).run()
    assert not any(h.value == "Anmeldung der Koordination" for h in at.header)
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    if end == "sperren":
        Accounts(engine).set_active("Anna Koordination", False)
    else:
        Accounts(engine).set_password("Anna Koordination", "ein ganz neues Passwort 3")
    engine.dispose()
    at.run()
    assert any(h.value == "Anmeldung der Koordination" for h in at.header)
    assert not any(getattr(w, "key", None) == "speichern_kitas" for w in at.button)


def test_client_address_trusts_x_forwarded_for_only_from_a_configured_proxy(monkeypatch):
    import ui.login as login
    from kita.settings import Settings

    class Context:
        ip_address = "127.0.0.1"
        headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}

    monkeypatch.setattr(login.st, "context", Context())
    monkeypatch.setattr(login, "settings", lambda: Settings())
    assert login.client_address() == "127.0.0.1"  # no trusted proxy: the header is ignored
    monkeypatch.setattr(login, "settings", lambda: Settings(trusted_proxies=("127.0.0.1",)))
    assert login.client_address() == "203.0.113.7"  # nginx appends the real address; the first is forged
    Context.headers = {"X-Forwarded-For": "203.0.113.7, kein-eintrag"}
    assert login.client_address() == "127.0.0.1"
    Context.ip_address = "198.51.100.1"  # a direct visitor cannot name herself someone else
    assert login.client_address() == "198.51.100.1"


def test_login_needs_the_browser_cookie_of_the_connection_that_sent_it(app, db_url, reference):
    """A connection without the page's browser cookie (not a browser that loaded the page) gets no ticket."""
    present_cookie(None, browser=None)
    at = app(page="pages/daten.py").run()
    store = Store(db_url, gemeinden=reference.gemeinden)
    Accounts(store.engine).add("Anna Koordination", "ein langes Passwort 1")
    at.text_input(key="_login_name").input("Anna Koordination")
    at.text_input(key="_login_passwort").input("ein langes Passwort 1")
    at.button[0].click().run()
    assert any("neu laden" in e.value for e in at.error) and tickets(store.engine) == []
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
def test_read_only_instance_has_no_login_and_no_write_path(app, page, db_url, reference):
    Store(db_url, gemeinden=reference.gemeinden).close()  # a database a writing instance prepared and filled
    at = log_in(app(page=page, env={"KITA_READ_ONLY": "true"})).run()  # even with a valid login cookie
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
