"""The database, on SQLite and on the real PostgreSQL server: migrations (upgrade in place, never
recreate), seeding only into a new database, validated writes with a change log, optimistic saves,
undo of a change and of a whole group, read-only instances."""

import shutil

import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect, text

from datastore import migrate
from kita.errors import DataError, StoreError
from datastore.store import Changes, StaleError, Store


@pytest.fixture
def open_store(any_db_url, reference):
    stores = []

    def make(**kwargs) -> Store:
        store = Store(any_db_url, gemeinden=reference.gemeinden, **kwargs)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(open_store):
    return open_store()


def test_first_open_seeds_from_csv_and_second_open_keeps_data(store, open_store, seed):
    assert len(store.read("kitas")) == len(seed["kitas"])
    first_version = store.version()
    row = store.read("kontakte").iloc[0].to_dict() | {"hinweis": "geändert"}
    store.save_row("kontakte", row, who="test")
    again = open_store()
    assert again.read("kontakte").iloc[0]["hinweis"] == "geändert"
    assert again.version() == first_version + 1
    assert migrate.current(again.engine) == migrate.head()


def test_types_survive_the_round_trip(store, seed):
    positions = store.read("fachkraefte").set_index("id")
    expected = seed["fachkraefte"].set_index("id").loc[positions.index]
    assert list(positions["beginn"]) == list(expected["beginn"])
    assert list(positions["vze"]) == list(expected["vze"])
    assert positions["ende"].isna().all()
    assert positions["demo"].dtype == bool
    assert positions["besetzt"].all()  # seed positions without the column count as filled


def test_invalid_row_is_refused_and_nothing_changes(store):
    before = store.read("fachkraefte")
    bad = before.iloc[0].to_dict() | {"vze": 3}
    with pytest.raises(DataError, match="nichts gespeichert") as error:
        store.save_row("fachkraefte", bad, who="test")
    assert any("VZÄ 3 liegt nicht zwischen" in p for p in error.value.problems)
    pd.testing.assert_frame_equal(store.read("fachkraefte"), before)


def test_change_log_and_undo(store):
    original = store.read("kitas").iloc[0].to_dict()
    store.save_row("kitas", original | {"kinder": 999}, who="Anna Koordination")
    log = store.change_log()
    assert log.iloc[0]["wer"] == "Anna Koordination" and '"kinder": 999' in log.iloc[0]["neu"]
    assert '"kinder": %d' % original["kinder"] in log.iloc[0]["alt"]
    store.undo(int(log.iloc[0]["nr"]), who="Berta")
    assert store.read("kitas").iloc[0]["kinder"] == original["kinder"]
    assert store.change_log().iloc[0]["wer"] == "Berta"
    with pytest.raises(DataError, match="schon rückgängig"):
        store.undo(int(log.iloc[0]["nr"]), who="Berta")
    assert len(store.change_log(wer="anna")) == 1 and len(store.change_log(tabelle="kontakte")) == 1  # seed row


def test_undo_is_refused_when_the_record_changed_later(store):
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"hinweis": "erste"}, who="a")
    first = int(store.change_log().iloc[0]["nr"])
    store.save_row("kontakte", row | {"hinweis": "zweite"}, who="b")
    with pytest.raises(DataError, match="danach noch einmal geändert"):
        store.undo(first, who="a")
    store.undo(first + 1, who="a")
    store.undo(first, who="a")
    assert store.read("kontakte").iloc[0]["hinweis"] == row["hinweis"]


def test_stale_save_is_refused_with_current_values(store):
    rows = store.read_for_edit("kontakte")
    mine, theirs = rows.iloc[0].to_dict(), rows.iloc[0].to_dict()
    store.save_changes("kontakte", Changes(upserts=[theirs | {"hinweis": "Tab 1"}]), who="Tab 1")
    with pytest.raises(StaleError) as error:
        store.save_changes("kontakte", Changes(upserts=[mine | {"hinweis": "Tab 2"}]), who="Tab 2")
    assert error.value.current.iloc[0]["hinweis"] == "Tab 1"
    assert store.read("kontakte").iloc[0]["hinweis"] == "Tab 1"
    with pytest.raises(StaleError):  # deleting on a stale version is refused too
        store.save_changes("kontakte", Changes(deletes=[(mine["id"], mine["zeile_version"])]), who="Tab 2")


def test_save_of_several_rows_is_one_transaction_and_one_undo(store):
    before = store.read("kontakte")
    rows = store.read_for_edit("kontakte").to_dict("records")
    new = {"id": "neu1", "rolle": "Beratung", "name": "Frau Test", "telefon": "06731 123-45"}
    group = store.save_changes("kontakte", Changes(upserts=[rows[0] | {"hinweis": "x"}, new]), who="a")
    assert len(store.read("kontakte")) == len(before) + 1
    bad = {"id": "neu2", "rolle": "Beratung", "name": "Frau Kaputt", "email": "keine-adresse"}
    with pytest.raises(DataError):
        store.save_changes("kontakte", Changes(upserts=[store.read_for_edit("kontakte").iloc[1].to_dict()
                                                        | {"hinweis": "y"}, bad]), who="a")
    assert store.read("kontakte").set_index("id").loc[rows[1]["id"], "hinweis"] == rows[1]["hinweis"]
    store.undo_group(group, who="b")
    pd.testing.assert_frame_equal(store.read("kontakte"), before)


def test_replace_all_makes_a_table_equal_and_can_be_undone(store):
    before = store.read("fachkraefte")
    kept = before[before["gebiet_rs"] != "073315003"]
    [group] = store.replace_all({"fachkraefte": kept}, who="a")
    assert list(store.read("fachkraefte")["id"]) == list(kept["id"])
    store.undo_group(group, who="a")
    pd.testing.assert_frame_equal(store.read("fachkraefte"), before)


def test_delete_is_logged_and_undone(store):
    before = store.read("kitas")
    target = store.read_for_edit("kitas").iloc[-1]
    group = store.save_changes("kitas", Changes(deletes=[(target["id"], int(target["zeile_version"]))]), who="a")
    assert target["id"] not in set(store.read("kitas")["id"])
    store.undo_group(group, who="a")
    pd.testing.assert_frame_equal(store.read("kitas"), before)


def test_kita_outside_its_gemeinde_is_refused(store):
    row = store.read_for_edit("kitas").iloc[0].to_dict()
    with pytest.raises(DataError) as error:
        store.save_changes("kitas", Changes(upserts=[row | {"lat": 49.63, "lon": 8.35}]), who="a")  # Worms area
    assert any("liegt nicht in der Gemeinde" in p for p in error.value.problems)


def test_read_only_store_has_no_write_path(store, open_store):
    reader = open_store(read_only=True)
    row = reader.read("kontakte").iloc[0].to_dict()
    with pytest.raises(StoreError, match="nur zum Lesen"):
        reader.save_row("kontakte", row | {"hinweis": "x"}, who="a")
    with pytest.raises(StoreError, match="nur zum Lesen"):
        reader.undo(1, who="a")
    assert reader.read("kontakte").iloc[0]["hinweis"] == row["hinweis"]


def test_header_only_table_is_never_reseeded(any_db_url, reference, tmp_path):
    """D8: an empty Kita table is data, not a reason to reseed; planned positions stay."""
    seed_dir = tmp_path / "seed"
    shutil.copytree(reference_seed_dir(), seed_dir)
    (seed_dir / "kitas.csv").write_text((seed_dir / "kitas.csv").read_text().splitlines()[0] + "\n")
    store = Store(any_db_url, seed_dir=seed_dir, gemeinden=reference.gemeinden)
    assert store.read("kitas").empty
    store.save_changes("fachkraefte", Changes(upserts=[{"id": "P9", "bezeichnung": "Geplant", "vze": 0.5,
                                                        "gebiet_rs": "073315003", "beginn": "2025-01-01",
                                                        "besetzt": "nein"}]), who="a")
    store.close()
    again = Store(any_db_url, gemeinden=reference.gemeinden)  # the full seed folder now: still nothing reseeded
    assert again.read("kitas").empty and "P9" in set(again.read("fachkraefte")["id"])
    again.close()


def reference_seed_dir():
    from kita.constants import data_folder

    return data_folder().seed


def test_database_of_the_previous_schema_is_upgraded_in_place(tmp_path, reference, seed):
    """A SQLite file made before migrations (tables, no alembic_version) keeps its rows and gains the
    new columns; it is not reseeded."""
    url = f"sqlite:///{tmp_path / 'alt.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        from alembic import command

        command.upgrade(migrate._config(conn), migrate.BASELINE)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO kontakte (id, rolle, name, demo) VALUES ('alt', 'Alt', 'Frau Alt', 0)"))
        conn.execute(text("INSERT INTO aenderungen (zeit, wer, tabelle, datensatz, neu, rueckgaengig) "
                          "VALUES ('2024-01-01 10:00:00', 'früher', 'kontakte', 'alt', '{}', 0)"))
    engine.dispose()
    store = Store(url, gemeinden=reference.gemeinden)
    assert list(store.read("kontakte")["id"]) == ["alt"]  # kept, not reseeded
    assert store.read("kitas").empty
    columns = {c["name"] for c in inspect(store.engine).get_columns("fachkraefte")}
    assert {"besetzt", "zeile_version"} <= columns
    assert migrate.current(store.engine) == migrate.head()
    assert store.change_log().iloc[-1]["wer"] == "früher"
    store.close()


def test_processes_opening_a_new_database_at_once_migrate_and_seed_once(any_db_url, reference, seed):
    """Several app processes start on a new database: one migrates and seeds, the others find it done."""
    import threading

    errors, stores = [], []

    def open_one():
        try:
            stores.append(Store(any_db_url, gemeinden=reference.gemeinden))
        except Exception as exc:  # collected: the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(stores) == 3, errors
    opened = stores[0]
    assert len(opened.read("kitas")) == len(seed["kitas"])
    assert len(opened.change_log(tabelle="kitas")) == 1  # seeded once
    for store in stores:
        store.close()


def test_bad_url_gives_a_message_without_password(tmp_path):
    with pytest.raises(StoreError) as error:
        Store("postgresql://user:geheim@127.0.0.1:1/kita")
    assert "geheim" not in str(error.value) and "Datenbank" in str(error.value)


def test_unopenable_database_raises_store_error(tmp_path):
    broken = tmp_path / "kaputt.sqlite"
    broken.write_bytes(b"not a database" * 50)
    with pytest.raises(StoreError, match="Datenbank"):
        Store(f"sqlite:///{broken}")
    assert broken.read_bytes() == b"not a database" * 50


def test_postgres_is_really_used(postgres_url, reference):
    store = Store(postgres_url, gemeinden=reference.gemeinden)
    assert store.engine.dialect.name == "postgresql"
    assert len(store.read("kitas")) > 0
    store.close()
