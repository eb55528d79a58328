"""Safe apply of a plan, on SQLite and PostgreSQL: positions and the scenario mark in one transaction,
a second apply (also from another tab or process) writes nothing, a confirmation shown on older data
is refused, a past start needs its own confirmation and is flagged, and an applied plan can be undone."""

import datetime as dt
import threading

import pandas as pd
import pytest

from datastore import scenarios
from datastore.scenarios import Scenarios
from datastore.store import Store
from kita import planning
from kita.errors import DataError, StoreError
from kita.planning import PlanningError

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def store(any_db_url, reference):
    store = Store(any_db_url, gemeinden=reference.gemeinden)
    yield store
    store.close()


def plan(store, reference, beginn=TODAY, n=2.0):
    tables = store.read_all()
    inputs = planning.make_inputs(n, "ausgleich", beginn)
    return planning.make_plan(inputs, reference.areas, tables["kitas"], tables["fachkraefte"],
                              tables["gemeinden_kennzahlen"], reference.gemeinden, 600, 20)


def saved(store, reference, name="Plan A", **kwargs):
    result = plan(store, reference, **kwargs)
    book = Scenarios(store.engine)
    book.save(name, result.inputs, who="Anna")
    return book, result


def apply(book, store, result, name="Plan A", **kwargs):
    args = {"who": "Anna", "shown_version": store.version(), "shown_ids": list(result.positions["id"]),
            "today": TODAY} | kwargs
    return book.apply(name, result, store, **args)


def test_apply_writes_planned_positions_once(store, reference):
    book, result = saved(store, reference)
    count = len(store.read("fachkraefte"))
    ids = apply(book, store, result)
    positions = store.read("fachkraefte").set_index("id")
    assert len(positions) == count + len(ids) and not positions.loc[ids, "besetzt"].any()
    assert book.get("Plan A").angewendet is not None and book.get("Plan A").stellen == ";".join(ids)
    log = store.change_log(tabelle="fachkraefte").head(len(ids))
    assert set(log["wer"]) == {"Anna"} and log["vorgang"].nunique() == 1
    with pytest.raises(PlanningError, match="schon am"):
        apply(book, store, result)
    assert len(store.read("fachkraefte")) == count + len(ids)


def test_crash_between_positions_and_mark_leaves_nothing(store, reference, monkeypatch):
    """D3: a failure after the positions are inserted but before the scenario is marked rolls both back."""
    book, result = saved(store, reference)
    before = store.read("fachkraefte")
    version = store.version()

    def crash(*args):
        raise RuntimeError("Server beendet")

    monkeypatch.setattr(scenarios, "_mark_applied", crash)
    with pytest.raises(RuntimeError):
        apply(book, store, result)
    assert store.read("fachkraefte").equals(before) and store.version() == version
    assert book.get("Plan A").angewendet is None
    monkeypatch.undo()
    apply(book, store, result)
    with pytest.raises(PlanningError):
        apply(book, store, result)
    assert len(store.read("fachkraefte")) == len(before) + len(result.positions)


def test_second_tab_with_a_stale_object_writes_nothing(store, reference):
    """Two tabs load the same scenario; tab 1 applies; tab 2's apply (scenario object read before) is refused
    by the guarded mark in the same transaction."""
    book, result = saved(store, reference)
    version = store.version()
    apply(book, store, result)
    count = len(store.read("fachkraefte"))
    monkey_book = Scenarios(store.engine)
    monkey_book.get = lambda name, lang="de": scenarios.Scenario(name, dt.datetime.now(), "x", result.inputs, None, "")
    with pytest.raises(PlanningError):
        monkey_book.apply("Plan A", result, store, "Berta", shown_version=version,
                          shown_ids=list(result.positions["id"]), today=TODAY)
    assert len(store.read("fachkraefte")) == count


def test_confirmation_on_older_data_is_refused(store, reference):
    book, result = saved(store, reference)
    shown = store.version()
    row = store.read("kontakte").iloc[0].to_dict()
    store.save_row("kontakte", row | {"hinweis": "zwischendurch"}, who="Berta")
    count = len(store.read("fachkraefte"))
    with pytest.raises(PlanningError, match="geändert, seit"):
        apply(book, store, result, shown_version=shown)
    assert len(store.read("fachkraefte")) == count and book.get("Plan A").angewendet is None
    with pytest.raises(PlanningError, match="nicht mehr der angezeigte"):
        apply(book, store, result, shown_ids=["F0000001"])


def test_past_start_needs_second_confirmation_and_is_flagged(store, reference):
    book, result = saved(store, reference, beginn=dt.date(2024, 8, 1))
    with pytest.raises(PlanningError, match="Vergangenheit"):
        apply(book, store, result)
    ids = apply(book, store, result, confirm_past=True)
    log = store.change_log(tabelle="fachkraefte").head(len(ids))
    assert log["hinweis"].str.contains("Beginn in der Vergangenheit").all()


def test_applied_plan_is_undone_as_a_whole(store, reference):
    book, result = saved(store, reference)
    before = store.read("fachkraefte")
    ids = apply(book, store, result)
    group = store.change_log(datensatz=ids[0]).iloc[0]["vorgang"]
    store.undo_group(group, who="Berta")
    assert store.read("fachkraefte").equals(before)
    assert book.get("Plan A").angewendet is None  # may be applied again after a new confirmation
    undo_rows = store.change_log(wer="Berta")
    assert len(undo_rows) == len(ids) and undo_rows["neu"].isna().all()


def test_parallel_applies_write_once(any_db_url, reference):
    """Two sessions press "apply" at the same moment: one writes, the other is refused."""
    setup = Store(any_db_url, gemeinden=reference.gemeinden)
    _, result = saved(setup, reference)
    version, count = setup.version(), len(setup.read("fachkraefte"))
    outcomes = []

    def press():
        own = Store(any_db_url, gemeinden=reference.gemeinden)
        try:
            Scenarios(own.engine).apply("Plan A", result, own, "Tab", shown_version=version,
                                        shown_ids=list(result.positions["id"]), today=TODAY)
            outcomes.append("ok")
        except (PlanningError, StoreError) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            own.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert len(setup.read("fachkraefte")) == count + len(result.positions)
    setup.close()


def test_read_only_instance_cannot_save_scenarios(store, reference):
    with pytest.raises(StoreError, match="nur zum Lesen"):
        Scenarios(store.engine).save("X", plan(store, reference).inputs, who="a", read_only=True)


def test_saving_and_deleting_a_scenario_name_the_coordinator_in_the_change_log(store, reference):
    book, result = saved(store, reference, name="Plan =B")
    before = store.version()
    book.delete("Plan =B", who="Berta")
    log = store.change_log(tabelle="planung_szenarien")
    assert list(log["wer"]) == ["Berta", "Anna"] and set(log["datensatz"]) == {"Plan =B"}
    deleted, created = log.iloc[0], log.iloc[1]
    assert pd.isna(created["alt"]) and "\"n_fte\": 2.0" in created["neu"] and pd.isna(deleted["neu"])
    assert "\"Plan =B\"" in deleted["alt"]
    assert store.version() == before and book.all() == []  # logged, but no data changed: same data version
    with pytest.raises(DataError, match="Planungsszenario"):
        store.undo(int(deleted["nr"]), who="Berta")
    assert book.all() == []


def test_deleting_a_scenario_someone_else_deleted_writes_nothing(store, reference):
    book, _ = saved(store, reference)
    stale = Scenarios(store.engine)
    stale.get = lambda name, lang="de": scenarios.Scenario(name, dt.datetime.now(), "x", None, None, "")
    book.delete("Plan A", who="Anna")
    count = len(store.change_log())
    stale.delete("Plan A", who="Berta")
    assert len(store.change_log()) == count


def test_apply_is_checked_against_what_was_shown():
    """The page's stale check as rules: another data version for the same scenario warns, an apply needs the
    confirmation of the same scenario."""
    from datastore.scenarios import ShownApply, apply_basis, data_changed_since

    shown = ShownApply("Plan A", 7, ("F1",))
    assert data_changed_since(shown, "Plan A", 8) and not data_changed_since(shown, "Plan A", 7)
    assert not data_changed_since(shown, "Plan B", 8) and not data_changed_since(None, "Plan A", 8)
    assert apply_basis(shown, "Plan A") is shown
    for other in (None, ShownApply("Plan B", 7, ("F1",))):
        with pytest.raises(DataError) as error:
            apply_basis(other, "Plan A")
        assert error.value.message.key == "scenario_check_first"
