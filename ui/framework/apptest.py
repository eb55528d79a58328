"""HOOK H8 (ui/framework/__init__.py), for the tests: AppTest with Streamlit's registry of custom components
scanned once per test session instead of once per AppTest (about 1 s each)."""

from __future__ import annotations


def component_registry():
    """Streamlit's registry of installed custom components (v2), scanned once."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def use_registry(at, manager) -> None:
    """Give ``at`` (an AppTest) the scanned registry: AppTest's own private slot, filled on its first run
    otherwise. Public replacement: an AppTest option for it (none in Streamlit 1.67)."""
    at._bidi_component_manager = manager


def fail_on_exception(at) -> None:
    """Smoke check after every interaction: any run of the page that ends in Streamlit's exception box fails the
    test there, with the page's own traceback. Every interaction (``at.run()``, ``….click().run()``,
    ``….set_value(…).run()``) goes through AppTest's private ``_run``, so no test can forget it; tests still
    assert ``not at.exception`` where they check a page's result. Public replacement: a hook on AppTest runs."""
    import pytest

    run = at._run

    def checked(*args, **kwargs):
        result = run(*args, **kwargs)
        if result.exception:
            shown = "\n".join(f"{e.value}\n{''.join(e.stack_trace)}" for e in result.exception)
            pytest.fail(f"the page raised an exception:\n{shown}")
        return result

    at._run = checked


def deferred_downloads(monkeypatch) -> dict:
    """file id → the callable of every deferred download a page registers (AppTest keeps none itself): through
    Streamlit's internal ``MediaFileManager.add_deferred``. Public replacement: AppTest access to download data."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = {}
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return made
