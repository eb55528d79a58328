"""Nothing internal reaches visitors: a wrong database address shows one generic German message on every page
(no user, host, port, database or driver) and the details go to the server log; a forged language value never
reaches the page's script."""

import logging

import pytest

SECRETS = ("geheimnutzer", "Geheim1", "6543", "127.0.0.1", "kitadb", "psycopg", "postgresql", "mysql", "sqlite",
           "OperationalError", "Traceback")
WRONG_URLS = ["postgresql+psycopg://geheimnutzer:Geheim1@127.0.0.1:6543/kitadb",
              "mysql+pymysql://geheimnutzer:Geheim1@127.0.0.1:6543/kitadb",
              "kein-url://geheimnutzer@127.0.0.1:6543"]


@pytest.mark.parametrize("url", WRONG_URLS)
@pytest.mark.parametrize("page", [None, "pages/daten.py"])
def test_wrong_database_url_shows_a_generic_message_and_logs_the_details(app, url, page, caplog):
    caplog.set_level(logging.ERROR, logger="kita")
    at = app(page=page, env={"KITA_DATABASE_URL": url}).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Die Datenbank ist gerade nicht erreichbar" in shown
    assert not [s for s in SECRETS if s in shown], shown
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "Datenbank kann nicht geöffnet werden" in logged and "Geheim1" not in logged  # never the password
    if not url.startswith("kein-url"):
        assert "127.0.0.1:6543" in logged  # where it failed


def test_a_forged_language_value_never_reaches_the_page(app):
    at = app().run()
    forged = "de';alert(1);//</script><script>alert(2)"
    at.session_state["lang"] = forged
    at.run()
    assert not at.exception
    scripts = [h.proto.body for h in at.get("html")]
    assert scripts and not [s for s in scripts if "alert(" in s]
    assert any('"lang": "de"' in s for s in scripts)  # the checked value reaches the page script (H2)
