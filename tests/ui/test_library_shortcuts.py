"""Open Library… (Ctrl+Shift+L) and Recent Libraries (Ctrl+Shift+H) have shortcuts of their own, and no two
of the window's actions share a key, so each shortcut does the one thing its menu says."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from tests.ui.context_menu_harness import press


def test_ctrl_shift_l_asks_which_library_to_open(qtbot, make_window, service) -> None:
    window = make_window(service)
    asked: list[str] = []
    window.library_actions.choose_folder = lambda _parent, title, _start: asked.append(title) or ""

    press(qtbot, window, window.library_view.table, Qt.Key.Key_L,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    qtbot.waitUntil(lambda: asked == ["Open Library"])


def test_ctrl_shift_h_shows_the_recent_libraries(qtbot, make_window, service) -> None:
    window = make_window(service)
    menu = window.library_actions.recent_menu

    press(qtbot, window, window.library_view.table, Qt.Key.Key_H,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    qtbot.waitUntil(menu.isVisible)
    menu.hide()


def test_no_two_actions_of_the_window_share_a_shortcut(make_window, service) -> None:
    window = make_window(service)
    keys: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            keys.setdefault(key.toString(QKeySequence.SequenceFormat.PortableText), []).append(action.text())
    assert {key: texts for key, texts in keys.items() if len(texts) > 1} == {}
    assert "Ctrl+Shift+L" in keys and "Ctrl+Shift+H" in keys
