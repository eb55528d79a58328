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

    menu = {page for page, _, _ in ui.MENU + ui.COORDINATION_MENU}
    assert menu == {"dashboard.py"} | {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    # The public menu holds no page that needs a login (they are reached through "Anmelden (Koordination)").
    assert not {page for page, _, _ in ui.MENU} & {"pages/planung.py", "pages/daten.py"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# The packages below the UI, lowest first: each imports only from packages before it (and itself). Data flow
# one way: kita (rules and their foundations) → geo (geography and the map) → datastore (persistence) →
# reports (what pages and exports show) → ui (Streamlit) → pages.
LAYERS = ["kita", "geo", "datastore", "reports"]
UI_AND_ABOVE = ("ui", "pages", "dashboard", "streamlit", "streamlit_folium")
DOMAIN_FILES = [p for layer in LAYERS for p in sorted((ROOT / layer).rglob("*.py"))]


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_imports_one_way(path):
    layer = path.relative_to(ROOT).parts[0]
    imported = _imports(path)
    assert not any(n.split(".")[0] in UI_AND_ABOVE for n in imported), "no Streamlit, UI or pages below ui/"
    assert not any(n.split(".")[0] in ("bench", "deploy") for n in imported)
    later = LAYERS[LAYERS.index(layer) + 1:]
    assert not any(n.split(".")[0] in later for n in imported), f"{layer} must not import from {later}"
    if "build" not in path.parts:
        assert not any(n.startswith("geo.build") for n in imported), "the app must not import the data builders"
    if "export" not in path.parts:
        assert not any(n.startswith("reports.export") for n in imported), "rules must not import exports"


def test_layer_check_sees_a_wrong_import(tmp_path):
    wrong = tmp_path / "x.py"
    wrong.write_text("from reports.tables import titled\nimport streamlit as st\n", encoding="utf-8")
    assert {"reports.tables", "streamlit"} <= _imports(wrong)


@pytest.mark.parametrize("path", sorted((ROOT / "deploy").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_deploy_does_not_import_bench(path):
    assert not any(n.split(".")[0] == "bench" for n in _imports(path))


def test_every_imported_package_is_a_requirement():
    """Every third-party package the app imports is named in requirements.txt (dev tools in requirements-dev)."""
    import sys

    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").lower()
    # import name → distribution name where they differ
    distribution = {"yaml": "pyyaml", "jinja2": "jinja2", "streamlit_folium": "streamlit-folium",
                    "argon2": "argon2-cffi", "babel": "babel", "psycopg": "psycopg", "sqlalchemy": "sqlalchemy",
                    "xstatic": "xstatic-leaflet", "PIL": "pillow", "dateutil": "python-dateutil"}
    own = {"kita", "geo", "datastore", "reports", "ui", "pages", "dashboard", "tests", "bench", "deploy", "migrations"}
    # Packages that come with a named requirement (folium brings jinja2 and branca; streamlit brings altair,
    # numpy, tornado, requests, PIL; matplotlib brings numpy; geopandas brings shapely, pyproj).
    indirect = {"jinja2", "numpy", "pyproj", "PIL", "requests", "tornado", "starlette", "uvicorn", "alembic",
                "dateutil", "packaging"}
    app_files = [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py"), *DOMAIN_FILES]
    missing = set()
    for path in app_files:
        for name in _imports(path):
            top = name.split(".")[0]
            if top in own or top in sys.stdlib_module_names or top in indirect or name.startswith("."):
                continue
            dist = distribution.get(top, top.replace("_", "-")).lower()
            if dist not in requirements and dist not in dev:
                missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported but not in requirements.txt: {sorted(missing)}"
