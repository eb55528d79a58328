"""HOOK H6 (ui/framework/__init__.py): slide keys that reach into the page around the map's iframe.

Inside the map's frame, ←/→ and PageUp/PageDown press the slide buttons of the Streamlit page around it (found by
the ``st-key-<key>`` class Streamlit gives a keyed element), and focus goes back to that page after a click.
A public replacement would be a component API for keyboard shortcuts across frames (none in Streamlit 1.67).
"""

from __future__ import annotations

from pathlib import Path

from branca.element import MacroElement
from jinja2 import Template


class SlideKeys(MacroElement):
    """Keys keep working after a click in the map: inside the map's frame, ←/→ and PageUp/PageDown press the
    slide buttons of the page around it, and focus goes back to that page after every click or touch.
    Leaflet's own arrow-key panning is switched off for slides. Does nothing where the map is not in a frame."""

    _template = Template((Path(__file__).parent / "slide_keys.js").read_text(encoding="utf-8"))

    def __init__(self, buttons: dict[str, str]):
        super().__init__()
        self._name = "SlideKeys"
        self.buttons = buttons
