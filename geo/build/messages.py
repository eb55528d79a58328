"""Babel extractor for the UI's message ids, reading the code with ``ast`` instead of Python's tokenizer.

Babel's own Python extractor does not look into f-strings on Python 3.11 (``f"{ui.t('status')}: …"`` is one
token there), so ids used inside f-strings would go missing from ``messages.pot`` and ``pybabel update`` would
mark them obsolete. ``babel.cfg`` names this function as the extraction method; Babel finds it when called
as ``python -m babel.messages.frontend`` (``pybabel`` itself, with the project folder on the import path).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from typing import IO


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def extract_python(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: dict
                   ) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method: every call ``name("literal", …)`` whose name (plain or after a dot) is a keyword.

    A conditional first argument (``t("a" if x else "b")``, also nested or with ``or``/``and``) yields every
    literal it can give. Other non-literal first arguments (``t(key)``, ``ax.text(x, y, label)``) are skipped: such
    ids must be marked where they are written, with ``N_("id")``.
    """
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in keywords and node.args:
            for value in _literals(node.args[0]):
                yield node.lineno, name, value, []


def _literals(node: ast.expr) -> list[str]:
    """The string literals an argument can evaluate to: itself, or each branch of a conditional expression."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and node.value else []
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [value for operand in node.values for value in _literals(operand)]
    return []


def used_ids(root) -> dict[str, set[str]]:
    """Message ids the code under ``root`` uses (per ``babel.cfg``), each with the files that use it."""
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(root)
    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, filename=str(root / "babel.cfg"))
    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        found.setdefault(message, set()).add(filename)
    return found
