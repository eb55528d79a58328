"""Local coordinator accounts: salted argon2 hashes, generic messages, rate limit on failures, CLI."""

import datetime as dt
import io

import pytest
from sqlalchemy import select

from datastore import auth
from datastore.auth import Accounts, LoginError
from datastore.store import Store


@pytest.fixture
def accounts(any_db_url, reference):
    store = Store(any_db_url, gemeinden=reference.gemeinden)
    yield Accounts(store.engine)
    store.close()


def test_hash_is_salted_argon2_and_password_checked(accounts):
    accounts.add("Anna Muster", "ein langes Passwort 1")
    accounts.add("Berta Muster", "ein langes Passwort 1")
    with accounts.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(select(auth.accounts.c.passwort_hash))]
    assert all(h.startswith("$argon2id$") for h in hashes) and hashes[0] != hashes[1]  # same password, other salt
    assert "ein langes" not in "".join(hashes)
    assert accounts.verify("  Anna   Muster ", "ein langes Passwort 1") == "Anna Muster"
    with pytest.raises(LoginError, match="Name oder Passwort ist falsch"):
        accounts.verify("Anna Muster", "falsch")
    with pytest.raises(LoginError, match="Name oder Passwort ist falsch"):  # same text for an unknown name
        accounts.verify("Niemand", "ein langes Passwort 1")


def test_rules_for_new_accounts(accounts):
    with pytest.raises(LoginError, match="mindestens 12"):
        accounts.add("Anna", "kurz")
    with pytest.raises(LoginError, match="unzulässige"):
        accounts.add("Anna\u202eevil", "ein langes Passwort 1")
    accounts.add("Anna", "ein langes Passwort 1")
    with pytest.raises(LoginError, match="gibt es schon"):
        accounts.add("Anna", "ein anderes Passwort 2")


def test_failures_lock_the_name_for_the_window(accounts):
    accounts.add("Anna", "ein langes Passwort 1")
    start = dt.datetime(2026, 3, 1, 10, 0)
    for minute in range(auth.MAX_FAILURES):
        with pytest.raises(LoginError, match="falsch"):
            accounts.verify("Anna", f"rate {minute}", now=start + dt.timedelta(minutes=minute))
    with pytest.raises(LoginError, match="Zu viele Fehlversuche"):  # even the right password
        accounts.verify("Anna", "ein langes Passwort 1", now=start + dt.timedelta(minutes=6))
    later = start + auth.WINDOW + dt.timedelta(minutes=5)
    assert accounts.verify("Anna", "ein langes Passwort 1", now=later) == "Anna"


def test_locked_account_cannot_log_in(accounts):
    accounts.add("Anna", "ein langes Passwort 1")
    accounts.set_active("Anna", False)
    with pytest.raises(LoginError, match="falsch"):
        accounts.verify("Anna", "ein langes Passwort 1")


def test_command_line_adds_an_account(db_url, reference, monkeypatch, capsys):
    monkeypatch.setenv("KITA_DATABASE_URL", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("ein langes Passwort 1\n"))
    assert auth.main(["add", "Carla Koordination", "--passwort-stdin"]) == 0
    assert "angelegt" in capsys.readouterr().out
    store = Store(db_url, gemeinden=reference.gemeinden)
    assert Accounts(store.engine).verify("Carla Koordination", "ein langes Passwort 1") == "Carla Koordination"
    assert auth.main(["list"]) == 0 and "Carla Koordination" in capsys.readouterr().out
    store.close()
