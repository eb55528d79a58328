"""Print the folders nginx serves directly (deploy/nginx-kita.conf), for this installation.

Run from the repository root, in the app's environment::

    python -m deploy.paths

Each line is ``MARKER path``; put the path into the ``alias`` line marked with that name.
"""

from __future__ import annotations

from pathlib import Path

import streamlit
import streamlit_folium

from deploy.processes import ROOT


def static_folders() -> dict[str, Path]:
    """Marker in nginx-kita.conf → folder it serves (each ends with a slash in the configuration)."""
    return {
        "STREAMLIT_STATIC": Path(streamlit.__file__).parent / "static" / "static",
        "FOLIUM_FRONTEND": Path(streamlit_folium.__file__).parent / "frontend" / "build",
        "APP_STATIC": ROOT / "static",
    }


def fill_in(site: str, folders: dict[str, Path]) -> str:
    """The configuration with each marked ``alias`` line pointing at its folder."""
    lines = []
    for line in site.splitlines(keepends=True):
        for marker, folder in folders.items():
            if line.rstrip().endswith(f"# {marker}") or f"# {marker} " in line:
                indent = line[: len(line) - len(line.lstrip())]
                comment = line[line.index("#"):]
                line = f"{indent}alias {folder}/;  {comment}"
        lines.append(line)
    return "".join(lines)


if __name__ == "__main__":
    for name, folder in static_folders().items():
        print(name, f"{folder}/")
