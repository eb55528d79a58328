"""The interactive map as one standalone HTML file that opens offline.

The map is the web map (geo.maps.build_map, same Fill and language); Leaflet, its plugin and their CSS are
inlined from the XStatic packages, and Leaflet's images become data: URIs. folium's asset lists
are overridden on the exported map's own elements only, never on the classes the app uses.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xs_leaflet
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo import maps
from reports import presentation
from geo.assets import FILES, LEAFLET_IMAGES, asset_text
from reports.export.data import ExportData, demo_note
from kita.i18n import text
from kita.text import esc

INLINE = "kita-inline-asset:"  # placeholder URL scheme, replaced by the asset's content after rendering
_SCRIPT_TAG = re.compile(r'<script src="kita-inline-asset:([a-z_]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="kita-inline-asset:([a-z_]+)"/>')
_EXTERNAL_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["\']?(?:https?:)?//', re.IGNORECASE)


class ExportError(RuntimeError):
    """The export would not be self-contained (a programming error, not bad data)."""


def _image_uri(name: str) -> str:
    content = (Path(xs_leaflet.BASE_DIR) / "images" / name).read_bytes()
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


def leaflet_css_inline() -> str:
    """leaflet.css with its ``url(images/…)`` references as data: URIs."""
    css = asset_text("leaflet_css")
    for name in LEAFLET_IMAGES:
        css = css.replace(f"url(images/{name})", f"url({_image_uri(name)})")
    return css


def _inline_assets(root) -> None:
    """Point every asset list of the map's elements at placeholders (instance attributes only).

    Assets other than Leaflet (jQuery, Bootstrap, icon fonts) are dropped: the
    map uses neither folium.Popup nor icon markers.
    """
    for element in [root, *_descendants(root)]:
        if isinstance(element, JSCSSMixin):
            element.default_js = [(n, INLINE + n) for n, _ in type(element).default_js if n in FILES]
            element.default_css = [(n, INLINE + n) for n, _ in type(element).default_css if n in FILES]


def _descendants(element):
    for child in element._children.values():
        yield child
        yield from _descendants(child)


def _script(content: str) -> str:
    return "<script>" + content.replace("</script", "<\\/script") + "</script>"


def _style(content: str) -> str:
    return "<style>" + content.replace("</style", "<\\/style") + "</style>"


def title_box_html(data: ExportData) -> str:
    """Title, subtitle, stand and (with demo data) the note, as escaped HTML for the page's header."""
    parts = [
        f"<div class='kl-title' style='font-size:1.25em'>{esc(data.title)}</div>",
        f"<div>{esc(data.subtitle)}</div>",
        f"<div style='font-size:.75em;margin-top:2px;line-height:1.3'>{esc(data.footer_line())}</div>",
    ]
    if data.demo:
        parts.append(f"<div style='color:#b2182b;font-weight:700;font-size:.8em;line-height:1.3;margin-top:2px'>"
                     f"{esc(demo_note(data.lang))}</div>")
    return "".join(parts)


# The title sits above the map, not on it, so it covers no area; the map fills the rest of the window.
PAGE_CSS = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
.kita-export-head { flex: none; padding: 8px 14px; background: #fff; border-bottom: 1px solid #999; color: #111;
  font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; font-size: 18px; line-height: 1.35; }
.kita-export-head .kl-title { font-weight: 700; }
.folium-map { flex: 1 1 auto; position: relative !important; height: auto !important; min-height: 300px; }
"""


class _FitOnLoad(MacroElement):
    """After the page's layout settles: the map takes its final size and shows ``bounds`` (the whole district
    or the slide's area) beside the legend's strip."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var fit = function() {
                map.invalidateSize();
                var legend = document.querySelector('.kita-legend');
                var right = legend ? legend.offsetWidth + 20 : 10;
                map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: [10, 10], paddingBottomRight: [right, 10]});
            };
            if (document.readyState === 'complete') { fit(); } else { window.addEventListener('load', fit); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitOnLoad"
        self.bounds = bounds


def interactive_html(data: ExportData, large: bool = False, basemap: str = "none", basemap_attribution: str = "",
                     focus: str = "") -> str:
    """The web map as one HTML document with every asset inlined (no CDN, opens offline).

    ``basemap`` defaults to none: tiles would be the only request leaving the file. ``focus`` (an area key):
    the map opens on that area with its neighbours veiled, as on the area's slide.
    """
    fmap = maps.build_map(
        data.areas, data.coverage, data.kitas, data.district, data.fill, gemeinden=data.gemeinden,
        basemap=basemap, basemap_attribution=basemap_attribution, boundary_attribution=data.attribution, large=large,
        lang=data.lang,
    )
    shown = data.areas[data.areas["gebiet_rs"] == focus] if focus else data.district
    if focus and not shown.empty:
        presentation.spotlight_layer(data.areas, focus).add_to(fmap)
    minx, miny, maxx, maxy = (shown if not shown.empty else data.district).total_bounds
    _FitOnLoad([[miny, minx], [maxy, maxx]]).add_to(fmap)
    root = fmap.get_root()
    root.header.add_child(folium.Element(_style(PAGE_CSS)))
    head = folium.Element(f"<header class='kita-export-head'>{title_box_html(data)}</header>")
    root.html.add_child(head, name="kita_export_head")
    root.title = esc(data.title)  # branca writes the title unescaped
    _inline_assets(fmap)
    html = root.render()
    scripts = {name: _script(asset_text(name)) for name in FILES if not name.endswith("css")}
    styles = {name: _style(asset_text(name)) for name in FILES if name.endswith("css")}
    styles["leaflet_css"] = _style(leaflet_css_inline())
    html = _SCRIPT_TAG.sub(lambda m: scripts[m.group(1)], html)
    html = _CSS_TAG.sub(lambda m: styles[m.group(1)], html)
    if INLINE in html or _EXTERNAL_ASSET.search(html):
        raise ExportError(text("export_html_external", data.lang))
    return html
