"""The bridge (bookdesk/ui/bridge.py) is the only way back from the worker: no module of the UI
declares a private signal for a hop of its own or hangs a callback on a worker future."""

from __future__ import annotations

import ast
from pathlib import Path

import bookdesk.ui

UI = Path(bookdesk.ui.__file__).parent


def hops(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "Signal":
            found += [(node.lineno, f"private signal {t.id}") for t in node.targets
                      if isinstance(t, ast.Name) and t.id.startswith("_")]
        if isinstance(node, ast.Attribute) and node.attr == "add_done_callback":
            found.append((node.lineno, "add_done_callback"))
    return found


def test_no_ui_module_has_a_hop_of_its_own() -> None:
    offending = [f"{path.relative_to(UI.parent.parent)}:{line}: {what}"
                 for path in sorted(UI.rglob("*.py"))
                 for line, what in hops(ast.parse(path.read_text(encoding="utf-8")))]
    assert offending == [], "use bookdesk.ui.bridge (start, after_job, to_gui) instead:\n" + "\n".join(offending)


def test_the_guard_sees_both_kinds_of_hop() -> None:
    source = ("class Flow(QObject):\n"
              "    _done = Signal(object)\n"
              "    status = Signal(str)\n"
              "    def go(self):\n"
              "        self.worker.call(f).add_done_callback(self._done.emit)\n")
    assert hops(ast.parse(source)) == [(2, "private signal _done"), (5, "add_done_callback")]
