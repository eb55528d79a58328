"""axe-core for the accessibility tests: fetched with ``npm pack`` into the git-ignored ``.cache/`` (never
committed), injected by Playwright into a page or frame."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_VERSION = "4.14.1"
AXE_DIR = ROOT / ".cache" / f"axe-core-{AXE_VERSION}"
AXE_SCRIPT = AXE_DIR / "axe.min.js"
# WCAG 2.1 A and AA rules (axe tags); best practices are reported by axe but not required here.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def fetch_axe() -> Path:
    """axe.min.js of axe-core AXE_VERSION, fetched once with npm pack (.ci/run does the same)."""
    if AXE_SCRIPT.is_file():
        return AXE_SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        reason = f"npm fehlt: axe-core {AXE_VERSION} kann nicht geholt werden (apt-get install npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_DIR)], check=True,
                   capture_output=True, timeout=180)
    with tarfile.open(AXE_DIR / f"axe-core-{AXE_VERSION}.tgz") as archive:
        member = archive.extractfile("package/axe.min.js")
        AXE_SCRIPT.write_bytes(member.read())
    return AXE_SCRIPT


def axe_violations(target, impacts=("serious", "critical")) -> list[dict]:
    """axe's WCAG 2.1 AA violations of ``impacts`` in a Playwright page or frame (its document only)."""
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        target.add_script_tag(path=str(fetch_axe()))
    result = target.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.slice(0, 300)).slice(0, 5)}))",
        WCAG_TAGS,
    )
    return [v for v in result if v["impact"] in impacts]
