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
