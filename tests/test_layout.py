"""The layout rule: every page file in pages/ (and the entry) makes ui.page_setup() its first Streamlit call,
and geo/ never imports Streamlit, the pages or the exports from its rules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "dashboard.py"]


def _page_branch(node: ast.stmt) -> list[ast.stmt] | None:
    """The statements of ``if __name__ == / != "__main__":`` that run as the page (Streamlit executes a page
    as __main__; dashboard.py's other branch defines the server app), else None."""
    test = node.test if isinstance(node, ast.If) else None
    if (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.ops) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__" and isinstance(test.ops[0], (ast.Eq, ast.NotEq))):
        return node.body if isinstance(test.ops[0], ast.Eq) else node.orelse
    return None


def _first_ui_call(path: Path) -> str | None:
    """The first module-level call on ``st`` or ``ui`` (as 'st.x' / 'ui.x') of a page run, in file order."""
    return _first_call_in(ast.parse(path.read_text(encoding="utf-8")).body)


def _first_call_in(statements: list[ast.stmt]) -> str | None:
    for node in statements:
        branch = _page_branch(node)
        if branch is not None:
            found = _first_call_in(branch)
            if found:
                return found
            continue
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
                if call.func.value.id in ("st", "ui") and not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    return f"{call.func.value.id}.{call.func.attr}"
    return None


def test_pages_folder_holds_the_pages():
    names = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert {"versorgung", "planung", "praesentation", "ueber"} <= names
    assert not (ROOT / "views").exists()


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_every_page_starts_with_the_shared_setup(path):
    assert _first_ui_call(path) == "ui.page_setup"


def test_first_ui_call_detects_a_forgotten_setup(tmp_path):
    page = tmp_path / "neu.py"
    page.write_text("import streamlit as st\nimport ui\nst.title('x')\nui.page_setup()\n", encoding="utf-8")
    assert _first_ui_call(page) == "st.title"
    page.write_text("import streamlit as st\nimport ui\nif __name__ != '__main__':\n    app = st.App(__file__)\n"
                    "else:\n    st.title('x')\n    ui.page_setup()\n", encoding="utf-8")
    assert _first_ui_call(page) == "st.title"  # the page's branch, not the server app's


def test_menu_names_every_page_file():
    import ui

    menu = {page for page, _, _ in ui.MENU}
    assert menu == {"dashboard.py"} | {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "geo").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_geo_imports_one_way(path):
    imported = _imports(path)
    assert not any(n == "streamlit" or n.startswith("streamlit.") for n in imported)
    assert not any(n in ("ui", "dashboard") or n.startswith("pages") for n in imported)
    if "export" not in path.parts and "build" not in path.parts:
        assert not any(n.startswith(("reports.export", "geo.build")) for n in imported), "rules must not import exports or build scripts"
