"""deploy.backup on a SQLite file and on the real PostgreSQL server (a fresh database per test): back up,
change data (a Kita edit through the store, an account, a scenario), restore, and the change log, the accounts
and the scenarios are as they were; a backup of an older schema is migrated on restore; wrong inputs get a
German message and exit code 1."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from datastore import migrate
from datastore.auth import Accounts, LoginError
from datastore.scenarios import Scenarios
from datastore.store import Store
from deploy import backup
from kita import planning
from tests.postgres_support import fresh_database  # noqa: F401 (fixture)

PASSWORD = "ein langes Passwort 1"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_url(request, tmp_path, fresh_database):
    """Factory of empty databases of one kind."""
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / uuid.uuid4().hex[:8]}.sqlite"
    return fresh_database


def state(store: Store) -> dict:
    """What must come back: the change log, the accounts (with a working password), the scenarios, the Kitas."""
    book = Scenarios(store.engine)
    return {
        "log": store.change_log().drop(columns=[]).to_dict("records"),
        "accounts": Accounts(store.engine).names(),
        "scenarios": [(s.name, s.wer, s.inputs.to_dict(), s.angewendet) for s in book.all()],
        "kitas": store.read("kitas").to_dict("records"),
        "version": store.version(),
    }


def test_back_up_change_restore(new_url, tmp_path, reference, capsys):
    url = new_url()
    store = Store(url, gemeinden=reference.gemeinden)
    Accounts(store.engine).add("Anna Koordination", PASSWORD)
    book = Scenarios(store.engine)
    book.save("Plan A", planning.make_inputs(1.0, "ausgleich", dt.date(2026, 8, 1)), who="Anna Koordination")
    kita = store.read("kitas").iloc[0].to_dict()
    store.save_row("kitas", kita | {"telefon": "06731 1"}, who="Anna Koordination")
    before = state(store)
    file = tmp_path / "kita.sicherung"

    assert backup.main(["sichern", str(file), "--url", url]) == 0
    kind = url.split(":")[0].split("+")[0]
    assert backup.kind_of(file) == kind
    assert f"→ {file} ({kind}, " in capsys.readouterr().out

    # changes after the backup: a Kita edit, an account (new one, new password), a scenario (new, deleted)
    store.save_row("kitas", kita | {"telefon": "06731 2"}, who="Bert")
    Accounts(store.engine).add("Bert Neu", PASSWORD + "x")
    Accounts(store.engine).set_password("Anna Koordination", "ein anderes Passwort 2")
    book.save("Plan B", planning.make_inputs(2.0, "ausgleich", dt.date(2026, 8, 1)), who="Bert")
    book.delete("Plan A", who="Bert")
    assert state(store) != before
    store.close()

    assert backup.main(["wiederherstellen", str(file), "--url", url]) == 0
    store = Store(url, gemeinden=reference.gemeinden)
    assert state(store) == before
    assert store.read("kitas").set_index("id").loc[kita["id"], "telefon"] == "06731 1"
    accounts = Accounts(store.engine)
    assert accounts.verify("Anna Koordination", PASSWORD) == "Anna Koordination"
    with pytest.raises(LoginError):
        accounts.verify("Bert Neu", PASSWORD + "x")
    # the restored database is writable as before (row versions, change-log numbers go on)
    store.save_row("kitas", kita | {"telefon": "06731 3"}, who="Anna Koordination")
    assert store.change_log().iloc[0]["wer"] == "Anna Koordination"
    store.close()


def test_a_backup_of_an_older_schema_is_migrated_on_restore(new_url, tmp_path):
    """A database at revision 0001 (before accounts and scenarios), backed up and restored into an empty
    database: the restore brings it to this version's schema, and the app opens it."""
    from alembic import command

    old = new_url()
    engine = create_engine(old)
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0001")
        conn.execute(text("INSERT INTO aenderungen (zeit, wer, tabelle, datensatz, rueckgaengig) "
                          "VALUES (:zeit, 'Alt', 'kitas', 'k1', false)"), {"zeit": dt.datetime(2024, 5, 1)})
    engine.dispose()
    file = tmp_path / "alt.sicherung"
    backup.back_up(old, file)

    target = new_url()
    before, now = backup.restore(target, file)
    assert (before, now) == ("0001", migrate.head())
    engine = create_engine(target)
    tables = set(inspect(engine).get_table_names())
    assert {"planung_szenarien", "betrieb", "aenderungen"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("SELECT wer FROM aenderungen")).scalars().all() == ["Alt"]
    engine.dispose()


def test_refusals_in_german(tmp_path, capsys, fresh_database, reference):
    sqlite_url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    Store(sqlite_url, gemeinden=reference.gemeinden).close()
    file = tmp_path / "s.sqlite"
    backup.back_up(sqlite_url, file)

    assert backup.main(["sichern", str(file), "--url", sqlite_url]) == 1
    assert "gibt es schon; eine Sicherung überschreibt nichts" in capsys.readouterr().err
    assert backup.main(["sichern", str(tmp_path / "x"), "--url", f"sqlite:///{tmp_path / 'fehlt.sqlite'}"]) == 1
    assert f"Die Datenbankdatei {tmp_path / 'fehlt.sqlite'} gibt es nicht" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.teil").exists()

    other = tmp_path / "fremd.sqlite"
    create_engine(f"sqlite:///{other}").connect().exec_driver_sql("CREATE TABLE t (x)").close()
    assert backup.main(["wiederherstellen", str(other), "--url", sqlite_url]) == 1
    assert "keine Datenbank dieser App" in capsys.readouterr().err
    (tmp_path / "text.txt").write_text("hallo")
    assert backup.main(["wiederherstellen", str(tmp_path / "text.txt"), "--url", sqlite_url]) == 1
    assert "ist keine Sicherung dieser App" in capsys.readouterr().err
    assert backup.main(["wiederherstellen", str(tmp_path / "nichts"), "--url", sqlite_url]) == 1
    assert "gibt es nicht" in capsys.readouterr().err
    assert backup.main(["sichern", str(tmp_path / "m"), "--url", "mysql://x@localhost/k"]) == 1
    assert "nur für SQLite und PostgreSQL" in capsys.readouterr().err

    postgres = fresh_database()
    assert backup.main(["wiederherstellen", str(file), "--url", postgres]) == 1
    assert "ist eine SQLite-Sicherung, die Datenbank ist PostgreSQL" in capsys.readouterr().err


def test_postgres_restore_refuses_a_database_with_newer_tables(fresh_database, tmp_path, capsys, reference):
    url = fresh_database()
    Store(url, gemeinden=reference.gemeinden).close()
    file = tmp_path / "pg.sicherung"
    backup.back_up(url, file)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE neu_in_version_9 (x int)"))
    engine.dispose()
    assert backup.main(["wiederherstellen", str(file), "--url", url]) == 1
    error = capsys.readouterr().err
    assert "public.neu_in_version_9" in error and "in eine leere Datenbank wiederherstellen" in error
    # into an empty database it works
    assert backup.main(["wiederherstellen", str(file), "--url", fresh_database()]) == 0
