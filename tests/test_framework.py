"""The framework seam (ui/framework/): the installed frameworks are the ones its hooks were checked against,
and no code outside it reaches into a framework's internals."""

import re
from pathlib import Path

import pytest

from ui import framework

ROOT = Path(__file__).resolve().parent.parent
SEAM = ROOT / "ui" / "framework"
# What counts as reaching into a framework: private streamlit-folium helpers, Streamlit's runtime/internal
# modules, private folium/AppTest attributes, Streamlit's DOM (data-testid) and its component message protocol.
INTERNALS = re.compile(
    r"\bsf\._(?!_)|streamlit_folium\._(?!_)|streamlit\.(runtime|web|proto|elements|components\.v2\.component_manager)\b"
    r"|\._template\.environment|_bidi_component_manager|data-testid|streamlit:setComponentValue|isStreamlitMessage"
)
# Browser tests may find Streamlit's elements by data-testid (hook H12); nothing else.
ALLOWED = {ROOT / "tests" / "browser_support.py", Path(__file__).resolve(), *(ROOT / "tests").glob("test_browser_*.py"),
           ROOT / "tests" / "test_parallel_login.py"}  # speaks Streamlit's websocket protocol, as bench/load.py


def test_installed_frameworks_are_the_checked_ones():
    mismatches = framework.version_mismatches()
    assert not mismatches, (
        "Framework-Version geändert – bitte jeden Hook in ui/framework/__init__.py prüfen (dort steht je Hook, "
        "welcher Test ihn abdeckt), dann CHECKED anpassen:\n  " + "\n  ".join(mismatches)
    )


def test_version_guard_names_each_changed_framework():
    installed = dict(framework.CHECKED, streamlit="9.9.9")
    installed.pop("folium")
    assert framework.version_mismatches(installed) == [
        f"streamlit: installiert 9.9.9, geprüft mit {framework.CHECKED['streamlit']}",
        f"folium: installiert nicht installiert, geprüft mit {framework.CHECKED['folium']}",
    ]
    assert framework.version_mismatches(dict(framework.CHECKED)) == []


def _code_files():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in {".py", ".js", ".css"} or not path.is_file():
            continue
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".git", ".cache", "static", "bench", "test-artifacts"} or "venv" in parts[0]:
            continue
        yield path


@pytest.mark.parametrize("path", [p for p in _code_files() if SEAM not in p.parents and p not in ALLOWED],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_framework_internals_only_in_the_seam(path):
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if INTERNALS.search(line)]
    assert not found, "framework internals outside ui/framework/:\n" + "\n".join(found)


def test_the_check_finds_internals():
    assert INTERNALS.search("sf._component_func(") and INTERNALS.search('[data-testid="stMain"]')
    assert INTERNALS.search("from streamlit.runtime.scriptrunner import get_script_run_ctx")
    assert not INTERNALS.search("st.html('<div>')")


def test_every_hook_names_its_files_and_they_exist():
    doc = framework.__doc__
    hooks = re.findall(r"^(H\d+)\s+(.*?) – ", doc, re.M)
    assert [h for h, _ in hooks] == [f"H{i}" for i in range(1, len(hooks) + 1)]
    for _, files in hooks:
        for name in re.findall(r"[\w/*]+\.(?:py|js|css)", files):
            assert list(SEAM.glob(name)), f"{name} named in the hook list is missing in ui/framework/"


@pytest.mark.parametrize("name", sorted(p.name for p in SEAM.glob("*.js")))
def test_page_scripts_survive_streamlits_sanitiser(name):
    """Streamlit's sanitiser (DOMPurify) drops a whole <script> whose text has '<' before a letter, '/' or '!'
    (it looks like markup): the page went without its language and direction when a comment said '<html>'."""
    from ui.framework import page_dom

    script = page_dom._script(name, {"title": "</script><b>Karte</b>", "lang": "de"})
    inner = script[len("<script>"):-len("</script>")]
    assert not re.search(r"<[\w/!]", inner), name
    assert "\\u003c/script>" in inner  # data cannot close the script either


def test_no_script_looks_like_markup_to_the_sanitiser():
    """st.html passes scripts through DOMPurify, which drops a whole script whose text holds something tag-like
    (a '<' followed by a letter or '/'): page_dom.js was dropped that way by a comment, and with it the page's
    language, the writing direction, the accessibility style and the map frame's title (H2)."""
    for path in sorted(SEAM.glob("*.js")):
        found = re.findall(r"<[/\w][^\n]{0,30}", path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"
