"""Read-only means read-only below the pages: every public write method of Store, Accounts and Scenarios
refuses with the flag set and the database is unchanged; a read-only instance never migrates, seeds or
records a login try. The methods are found by introspection: a new write method without an entry in
WRITE_CALLS fails the test until it is added (and so checked)."""

import datetime as dt
import inspect

import pytest
from sqlalchemy import create_engine, inspect as sql_inspect, text

from datastore.auth import Accounts
from datastore.scenarios import Scenarios
from datastore.store import Changes, Store
from kita import planning
from kita.errors import StoreError
from tests.conftest import BROWSER

PASSWORD = "ein langes Passwort 1"
READS = {
    Store: {"read", "read_for_edit", "read_all", "version", "change_log", "known", "check", "is_seeded", "close",
            "safe_url"},
    Accounts: {"names", "states", "session_name"},
    Scenarios: {"all", "get"},
}


def position(store) -> dict:
    row = store.read_for_edit("fachkraefte").iloc[0].to_dict()
    return row


def write_calls(store: Store, accounts: Accounts, scenarios: Scenarios, reference) -> dict:
    inputs = planning.make_inputs(1.0, "ausgleich", dt.date(2026, 3, 1))
    tables = store.read_all()
    result = planning.make_plan(inputs, reference.areas, tables["kitas"], tables["fachkraefte"],
                                tables["gemeinden_kennzahlen"], reference.gemeinden, 600, 20)
    row = position(store)
    new_positions = tables["fachkraefte"].head(1).assign(id="NEU-1")
    return {
        (Store, "seed"): lambda: store.seed(),
        (Store, "save_changes"): lambda: store.save_changes("fachkraefte", Changes(upserts=[row]), "x"),
        (Store, "replace_all"): lambda: store.replace_all({"fachkraefte": tables["fachkraefte"]}, "x"),
        (Store, "save_row"): lambda: store.save_row("fachkraefte", row, "x"),
        (Store, "insert_positions"): lambda: _in_transaction(store, lambda c: store.insert_positions(
            c, new_positions, "x", "g")),
        (Store, "undo"): lambda: store.undo(1, "x"),
        (Store, "undo_group"): lambda: store.undo_group("erstbefuellung", "x"),
        (Accounts, "add"): lambda: accounts.add("Berta Muster", PASSWORD),
        (Accounts, "set_password"): lambda: accounts.set_password("Anna Muster", "ein ganz neues Passwort 3"),
        (Accounts, "set_active"): lambda: accounts.set_active("Anna Muster", False),
        (Accounts, "unlock"): lambda: accounts.unlock("Anna Muster"),
        (Accounts, "verify"): lambda: accounts.verify("Anna Muster", PASSWORD),
        (Accounts, "issue_ticket"): lambda: accounts.issue_ticket("Anna Muster", BROWSER),
        (Accounts, "exchange_ticket"): lambda: accounts.exchange_ticket("irgendein-ticket", BROWSER),
        (Accounts, "end_session"): lambda: accounts.end_session("irgendein-token"),
        (Scenarios, "save"): lambda: scenarios.save("Plan X", inputs, who="x"),
        (Scenarios, "delete"): lambda: scenarios.delete("Plan A", who="x"),
        (Scenarios, "apply"): lambda: scenarios.apply("Plan A", result, store, who="x", shown_version=store.version(),
                                                      shown_ids=list(result.positions["id"]), today=dt.date(2026, 3, 1)),
    }


def _in_transaction(store, work):
    with store.engine.begin() as conn:
        return work(conn)


def public_methods(cls) -> set[str]:
    return {name for name, member in inspect.getmembers(cls) if not name.startswith("_")
            and (inspect.isfunction(member) or isinstance(member, property))}


def snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
                for table in sql_inspect(conn).get_table_names()}


def test_every_public_write_method_refuses_on_a_read_only_instance(any_db_url, reference):
    writer = Store(any_db_url, gemeinden=reference.gemeinden)
    Accounts(writer.engine).add("Anna Muster", PASSWORD)
    Scenarios(writer.engine).save("Plan A", planning.make_inputs(1.0, "ausgleich", dt.date(2026, 3, 1)), who="a")
    store = Store(any_db_url, gemeinden=reference.gemeinden, read_only=True)
    accounts, scenarios = Accounts(store.engine, read_only=True), Scenarios(store.engine, read_only=True)
    calls = write_calls(store, accounts, scenarios, reference)
    for cls in READS:
        writes = public_methods(cls) - READS[cls]
        assert writes == {name for c, name in calls if c is cls}, f"{cls.__name__}: a write method without a check"
    before = snapshot(writer.engine)
    for (cls, name), call in calls.items():
        with pytest.raises(StoreError, match="nur zum Lesen"):
            call()
    assert snapshot(writer.engine) == before
    store.close()
    writer.close()


def test_read_only_instance_never_migrates_or_seeds(tmp_path, reference):
    path = tmp_path / "leer.sqlite"
    with pytest.raises(StoreError, match="nicht erreichbar"):
        Store(f"sqlite:///{path}", gemeinden=reference.gemeinden, read_only=True)
    if path.exists():
        engine = create_engine(f"sqlite:///{path}")
        assert sql_inspect(engine).get_table_names() == []
        engine.dispose()


def test_read_only_instance_reads_a_prepared_database_without_seeding_it(tmp_path, reference):
    from datastore import migrate

    url = f"sqlite:///{tmp_path / 'bereit.sqlite'}"
    engine = create_engine(url)
    migrate.upgrade(engine)  # schema made by a writing instance, never filled
    store = Store(url, gemeinden=reference.gemeinden, read_only=True)
    assert not store.is_seeded() and store.read("kitas").empty
    assert snapshot(engine)["kitas"] == []
    store.close()
    engine.dispose()
