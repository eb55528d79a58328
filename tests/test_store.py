"""The database: seeded once, validated writes with a change log, undo, clear errors."""

import pandas as pd
import pytest

from geo.errors import DataError, StoreError
from geo.store import Store


@pytest.fixture
def store(db_url, reference):
    return Store(db_url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))


def test_first_open_seeds_from_csv_and_second_open_keeps_data(store, db_url, seed, reference):
    assert len(store.read("kitas")) == len(seed["kitas"])
    first_version = store.version()
    row = store.read("kontakte").iloc[0].to_dict() | {"hinweis": "geändert"}
    store.save_row("kontakte", row, who="test")
    again = Store(db_url, gemeinde_keys=set(reference.gemeinden["gemeinde_rs"]))
    assert again.read("kontakte").iloc[0]["hinweis"] == "geändert"
    assert again.version() == first_version + 1


def test_types_survive_the_round_trip(store, seed):
    positions = store.read("fachkraefte").set_index("id")
    expected = seed["fachkraefte"].set_index("id").loc[positions.index]
    assert list(positions["beginn"]) == list(expected["beginn"])
    assert list(positions["vze"]) == list(expected["vze"])
    assert positions["ende"].isna().all()
    assert positions["demo"].dtype == bool


def test_invalid_row_is_refused_and_nothing_changes(store):
    before = store.read("fachkraefte")
    bad = before.iloc[0].to_dict() | {"vze": 3}
    with pytest.raises(DataError, match="VZÄ 3 liegt nicht zwischen"):
        store.save_row("fachkraefte", bad, who="test")
    pd.testing.assert_frame_equal(store.read("fachkraefte"), before)


def test_change_log_and_undo(store):
    original = store.read("kitas").iloc[0].to_dict()
    store.save_row("kitas", original | {"kinder": 999}, who="Koordination")
    log = store.change_log()
    assert log.iloc[0]["wer"] == "Koordination" and '"kinder": 999' in log.iloc[0]["neu"]
    store.undo(int(log.iloc[0]["nr"]), who="Koordination")
    assert store.read("kitas").iloc[0]["kinder"] == original["kinder"]
    with pytest.raises(DataError):
        store.undo(int(log.iloc[0]["nr"]), who="Koordination")  # already undone


def test_add_positions_is_all_or_nothing(store):
    count = len(store.read("fachkraefte"))
    new = pd.DataFrame([
        {"id": "P1", "bezeichnung": "Neue Stelle", "vze": 0.5, "gebiet_rs": "073315003", "beginn": "2025-01-01"},
        {"id": "P2", "bezeichnung": "Kaputte Stelle", "vze": 0.5, "gebiet_rs": "999999999", "beginn": "2025-01-01"},
    ])
    with pytest.raises(DataError):
        store.add_positions(new, who="test")
    assert len(store.read("fachkraefte")) == count
    store.add_positions(new.iloc[[0]], who="test")
    assert len(store.read("fachkraefte")) == count + 1
    with pytest.raises(DataError, match="gibt es schon"):
        store.add_positions(new.iloc[[0]], who="test")


def test_unopenable_database_raises_store_error(tmp_path):
    broken = tmp_path / "kaputt.sqlite"
    broken.write_bytes(b"not a database" * 50)
    with pytest.raises(StoreError, match="Datenbank"):
        Store(f"sqlite:///{broken}")
    assert broken.read_bytes() == b"not a database" * 50
