"""The map's stylesheet (``map.css``, filled per size: phone/desktop or slides) and the sizes it depends on."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Template

# folium writes every GeoJSON (and its other data) with Jinja's ``tojson`` filter, in one template environment
# for all its elements. Jinja's documented ``json.dumps_kwargs`` policy there drops the spaces after ',' and
# ':' – a sixth of the parents' map component (15 KB of 131); the JSON and its HTML-safe escaping stay the same.


LABEL_PANE = "gebietsnamen"
# Leaflet's panes, bottom to top: areas (overlayPane 400) < names (LABEL_PANE) < Kita points (KITA_PANE) <
# tooltips (tooltipPane 650): a name never hides a Kita's point, and a Kita's tooltip is never under a name.
LABEL_PANE_Z = 450
KITA_PANE = "kitapunkte"
KITA_PANE_Z = 500


# Text on the map sits on a light plate, so it reads on every fill colour (tests compute the contrast ratio).
LABEL_TEXT_COLOUR = "#111111"


LABEL_PLATE = (255, 255, 255, 0.72)  # RGBA behind area and Gemeinde names: Kita points beneath stay visible


LEGEND_PLATE = (255, 255, 255, 0.94)


MAP_BACKGROUND = "#eef0f2"  # where no area is drawn (no tiles by default)


LEGEND_FOLD_BELOW = 440  # map width in px under which the legend starts folded: phones (a 1280 px desktop has 476)


GEMEINDE_LABEL_ZOOM = 11  # a Verbandsgemeinde fitted to the map is about zoom 11–12.5


CANVAS_ABOVE = 600  # more Kitas than this are drawn on a canvas (a Land), fewer as SVG (keyboard-reachable)


_STYLESHEET = Template(Path(__file__).with_name("map.css").read_text(encoding="utf-8"))


def map_css(large: bool) -> str:
    """The map's ``<style>`` element: ``map.css`` with the sizes of a normal map or (``large``) a slide."""
    label_size, legend_size = (20, 20) if large else (13, 14)
    # Large maps (slides): a narrow legend (the title wraps) leaves the slide's map more room beside it.
    wide = ".kita-legend { max-width: 300px; line-height: 1.35; }" if large else ""
    return "<style>\n" + _STYLESHEET.render(
        label_size=label_size, legend_size=legend_size, plate=css_rgba(LABEL_PLATE), wide=wide, large=large,
        MAP_BACKGROUND=MAP_BACKGROUND, LABEL_TEXT_COLOUR=LABEL_TEXT_COLOUR, legend_plate=css_rgba(LEGEND_PLATE),
    ) + "</style>"


def css_rgba(rgba: tuple[int, int, int, float]) -> str:
    return "rgba({},{},{},{})".format(*rgba)
