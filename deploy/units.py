"""The systemd units in deploy/systemd/: reading them, and their commands for another installation folder.

The units name the production paths (/srv/kita/app, /srv/kita/venv). ``deploy.local`` and the tests run the
very same ExecStart line with this checkout and this Python in their place (:func:`app_command`), so what the
units start is what CI starts.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from deploy.processes import ROOT

UNIT_DIR = ROOT / "deploy" / "systemd"
APP_UNIT = UNIT_DIR / "kita-karte@.service"
APP_DIR = "/srv/kita/app"
VENV_PYTHON = "/srv/kita/venv/bin/python"


def read_unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sections → (key, value) pairs in order, as systemd reads a unit file: comments start with # or ;,
    a key may repeat, a line ending in a backslash continues on the next. Raises ValueError (German) for a
    line that is neither a section, a comment nor key=value."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    pending = ""
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = pending + raw.strip()
        pending = ""
        if not line or line.startswith(("#", ";")):
            continue
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif "=" in line and current is not None:
            key, value = line.split("=", 1)
            current.append((key.strip(), value.strip()))
        else:
            raise ValueError(f"{path.name}, Zeile {number}: weder [Abschnitt] noch Schlüssel=Wert: {raw!r}")
    return sections


def values(unit: dict[str, list[tuple[str, str]]], section: str, key: str) -> list[str]:
    return [value for k, value in unit.get(section, []) if k == key]


def command(line: str, instance: str, python: str = sys.executable, app_dir: Path = ROOT) -> list[str]:
    """An Exec… line as an argument list, with ``%i`` the instance and the production paths replaced by
    ``python`` and ``app_dir``. A leading systemd prefix (-, @, +, !) is dropped."""
    line = line.lstrip("-@+!:")
    words = shlex.split(line.replace("%i", instance).replace("%I", instance))
    return [python if w == VENV_PYTHON else w.replace(APP_DIR, str(app_dir)) for w in words]


def app_command(port: int, python: str = sys.executable, app_dir: Path = ROOT) -> list[str]:
    """The ExecStart line of kita-karte@.service for the process on ``port``."""
    (line,) = values(read_unit(APP_UNIT), "Service", "ExecStart")
    return command(line, str(port), python, app_dir)
