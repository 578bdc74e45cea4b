"""Small files named for one idea, and functions a reader holds in mind at once: no module of the
package over 400 lines and no function over 80. The one exception is the initial migration's
``upgrade``, a list of CREATE TABLE statements that a revision must keep whole (its comment says so)."""

from __future__ import annotations

import ast
from pathlib import Path

import bookdesk

PACKAGE = Path(bookdesk.__file__).parent
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
ALLOWED_LONG = {("data/migrations/versions/0001_initial_catalog.py", "upgrade")}


def _modules() -> list[tuple[str, str]]:
    return [(path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))]


def test_no_module_is_over_400_lines() -> None:
    long = {name: text.count("\n") for name, text in _modules() if text.count("\n") > MAX_FILE_LINES}
    assert not long, f"split these modules by the ideas they hold: {long}"


def test_no_function_is_over_80_lines() -> None:
    long = {}
    for name, text in _modules():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES and (name, node.name) not in ALLOWED_LONG:
                    long[f"{name}:{node.name}"] = lines
    assert not long, f"break these functions up: {long}"
