"""Self-hosted Leaflet assets: no request to a CDN, in the app or in exported HTML.

The JS/CSS come from the XStatic packages on PyPI (installed by requirements.txt). Streamlit's
static serving does not follow symlinks, so the few files needed are copied into the
git-ignored ``static/vendor/`` next to ``dashboard.py`` and folium's class-level asset lists
are pointed at them (relative to the streamlit-folium iframe, which also works under
``--server.baseUrlPath``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_gesturehandling as xs_gestures

from kita.constants import ROOT

VENDOR_DIR = ROOT / "static" / "vendor"
# URL of VENDOR_DIR as seen from the streamlit-folium iframe (/component/streamlit_folium.st_folium/index.html).
APP_PREFIX = "../../app/static/vendor"

# name → (source folder, file); the names are folium's own keys for these assets.
FILES = {
    "leaflet": (xs_leaflet.BASE_DIR, "leaflet.js"),
    "leaflet_css": (xs_leaflet.BASE_DIR, "leaflet.css"),
    # One-finger scroll on phones and plain wheel scroll pass through the map to the page.
    "gesturehandling": (xs_gestures.BASE_DIR, "leaflet-gesture-handling.min.js"),
    "gesturehandling_css": (xs_gestures.BASE_DIR, "leaflet-gesture-handling.min.css"),
}
LEAFLET_IMAGES = ["layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"]


def copy_vendor_files(target: Path = VENDOR_DIR) -> Path:
    """Copy the asset files into ``target`` (idempotent: only missing or changed files).

    Each file is written under a temporary name and then renamed: several app processes (or parallel test
    workers) starting at once never serve or see a half-written file."""
    (target / "images").mkdir(parents=True, exist_ok=True)
    pairs = [(Path(folder) / name, target / name) for folder, name in FILES.values()]
    pairs += [(Path(xs_leaflet.BASE_DIR) / "images" / n, target / "images" / n) for n in LEAFLET_IMAGES]
    for source, destination in pairs:
        if not destination.exists() or destination.stat().st_size != source.stat().st_size:
            partial = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
            shutil.copyfile(source, partial)
            os.replace(partial, destination)
    return target


def _links(names: list[str], prefix: str) -> list[tuple[str, str]]:
    return [(name, f"{prefix}/{FILES[name][1]}") for name in names]


def use_local_assets(prefix: str = APP_PREFIX) -> None:
    """Point folium's Map at the self-hosted files (class attributes, set once).

    Bootstrap, jQuery and font-awesome are dropped: this app uses neither folium.Popup nor icons. No marker
    clusters either (every Kita is its own point, see geo.maps.add_kita_layer).
    """
    folium.Map.default_js = _links(["leaflet", "gesturehandling"], prefix)
    folium.Map.default_css = _links(["leaflet_css", "gesturehandling_css"], prefix)


def asset_text(name: str) -> str:
    """The content of one asset, for inlining into a standalone HTML export."""
    folder, filename = FILES[name]
    return (Path(folder) / filename).read_text(encoding="utf-8")
