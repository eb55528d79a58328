"""Rehearse an upgrade: a scratch venv with the next Streamlit / streamlit-folium, and the whole test suite in it.

    python -m deploy.upgrade_check                                   # the newest releases of both
    python -m deploy.upgrade_check --streamlit 1.68.0 --streamlit-folium 0.28.0
    python -m deploy.upgrade_check --streamlit 1.68.0 --dry-run      # only print what it would do
    python -m deploy.upgrade_check --venv /tmp/kita-upgrade -- -m "not browser"   # arguments after -- go to pytest

It copies requirements.txt and requirements-dev.txt into the scratch folder with the two pins replaced (every
other pin stays), creates a venv there, installs them with pip (from the package index pip is configured for),
runs ``python -m pytest`` in this checkout with that venv, and prints the Streamlit versions and every test
that failed. Exit code: pytest's (0 = the suite passes on the new versions). Nothing in the checkout or the
app's own venv changes; the scratch folder is kept for a look (``--venv``, default a new temporary folder).
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from deploy.processes import ROOT

PACKAGES = {"streamlit": "streamlit", "streamlit_folium": "streamlit-folium"}
NEWEST = "neueste"
VERSION = re.compile(r"^\d+(\.\d+){0,3}([abc]|rc)?\d*$")


@dataclass
class Plan:
    folder: Path
    requirements: str
    dev_requirements: str
    commands: list[list[str]]
    junit: Path


def pinned(requirements: str, versions: dict[str, str]) -> str:
    """requirements.txt with the pins of ``versions`` (package → version or 'neueste') replaced."""
    lines, seen = [], set()
    for line in requirements.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(==|>=|~=)[^#;\s]*(.*)$", line)
        name = match and match.group(1).lower().replace("_", "-")
        if name in versions:
            version = versions[name]
            line = (name if version == NEWEST else f"{name}=={version}") + match.group(3)
            seen.add(name)
        lines.append(line)
    missing = set(versions) - seen
    if missing:
        raise SystemExit(f"requirements.txt nennt {', '.join(sorted(missing))} nicht.")
    return "\n".join(lines) + "\n"


def plan(versions: dict[str, str], folder: Path, pytest_args: list[str]) -> Plan:
    requirements = pinned((ROOT / "requirements.txt").read_text(), versions)
    dev = (ROOT / "requirements-dev.txt").read_text()
    if "-r requirements.txt" not in dev:
        raise SystemExit("requirements-dev.txt bindet requirements.txt nicht mit „-r requirements.txt“ ein.")
    python = folder / "venv" / "bin" / "python"
    junit = folder / "ergebnis.xml"
    return Plan(folder, requirements, dev, [
        [sys.executable, "-m", "venv", str(folder / "venv")],
        [str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"],
        [str(python), "-m", "pip", "install", "-q", "-r", str(folder / "requirements-dev.txt")],
        [str(python), "-c", "import streamlit, streamlit_folium, importlib.metadata as m; "
                            "print('streamlit', streamlit.__version__, '· streamlit-folium', m.version('streamlit-folium'))"],
        [str(python), "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={junit}", *pytest_args],
    ], junit)


def failures(junit: Path) -> list[str]:
    """Test ids (file::name) that failed or errored, from pytest's JUnit XML."""
    if not junit.exists():
        return []
    found = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "").replace(".", "/")
            found.append(f"{module}.py::{case.get('name')}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.upgrade_check", description=__doc__.splitlines()[0])
    parser.add_argument("--streamlit", default=NEWEST, metavar="VERSION", help=f"Version oder „{NEWEST}“ (Standard)")
    parser.add_argument("--streamlit-folium", default=NEWEST, metavar="VERSION", help=f"Version oder „{NEWEST}“")
    parser.add_argument("--venv", type=Path, help="Ordner für die Probe (Standard: ein neuer temporärer Ordner)")
    parser.add_argument("--dry-run", action="store_true", help="nur die Anforderungen und Befehle zeigen")
    parser.add_argument("pytest_args", nargs="*", help="nach -- : Argumente für pytest")
    args = parser.parse_args(argv)
    versions = {"streamlit": args.streamlit, "streamlit-folium": args.streamlit_folium}
    for name, version in versions.items():
        if version != NEWEST and not VERSION.match(version):
            parser.error(f"„{version}“ ist keine Versionsnummer für {name} (z. B. 1.68.0 oder {NEWEST}).")
    if args.venv:
        folder = args.venv
    elif args.dry_run:  # nothing is made on a dry run
        folder = Path(tempfile.gettempdir()) / "kita-upgrade-XXXXXXXX"
    else:
        folder = Path(tempfile.mkdtemp(prefix="kita-upgrade-"))
    if args.venv and (folder / "venv").exists():
        parser.error(f"{folder / 'venv'} gibt es schon; einen neuen Ordner wählen (die Probe beginnt leer).")
    steps = plan(versions, folder.absolute(), args.pytest_args)
    if args.dry_run:
        print(f"# {folder}/requirements.txt\n{steps.requirements}# {folder}/requirements-dev.txt\n{steps.dev_requirements}")
        for command in steps.commands:
            print(shlex.join(command))
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requirements.txt").write_text(steps.requirements)
    (folder / "requirements-dev.txt").write_text(steps.dev_requirements)
    *setup, suite = steps.commands
    for command in setup:
        print(f"$ {shlex.join(command)}", flush=True)
        done = subprocess.run(command, cwd=ROOT)
        if done.returncode != 0:
            print(f"Schritt fehlgeschlagen (Code {done.returncode}): {shlex.join(command)}", file=sys.stderr)
            return done.returncode
    print(f"$ {shlex.join(suite)}", flush=True)
    result = subprocess.run(suite, cwd=ROOT).returncode
    failed = failures(steps.junit)
    print(f"\nProbe in {folder}: {'alle Tests bestanden' if result == 0 else f'pytest-Code {result}'}")
    if failed:
        print(f"{len(failed)} Test(s) fehlgeschlagen:")
        for name in failed:
            print(f"  {name}")
    return result


if __name__ == "__main__":
    sys.exit(main())
