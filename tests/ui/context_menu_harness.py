"""Opening a list's context menu as a person does (a right-click on a row) and choosing one of its
items; finding an item of the window's menu bar by the words a person reads."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QMenu


def words(action: QAction) -> str:
    return action.text().replace("&", "")


def open_context_menu(qtbot, view: QAbstractItemView, row: int, *, keep_selection: bool = False) -> QMenu:  # noqa: ANN001
    """Right-click ``row`` (which selects it, unless it is already among the selected rows, as in every
    file manager) and return the menu that pops up."""
    rect = view.visualRect(view.model().index(row, 0))
    pos = QPoint(rect.left() + 5, rect.center().y())
    if not keep_selection:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=pos)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                              view.viewport().mapToGlobal(pos)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    return QApplication.activePopupWidget()


def items(menu: QMenu) -> list[str]:
    """Every item's words, those of submenus as "Menu ▸ Item"."""
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found += [f"{words(action)} ▸ {item}" for item in items(action.menu())]
        elif not action.isSeparator():
            found.append(words(action))
    return found


def item(menu: QMenu, path: str) -> QAction:
    """The action at "Item" or "Menu ▸ Item"."""
    first, _, rest = path.partition(" ▸ ")
    for action in menu.actions():
        if words(action) == first:
            return item(action.menu(), rest) if rest else action
    raise AssertionError(f"no {path!r} in {items(menu)}")


def choose(menu: QMenu, path: str) -> None:
    action = item(menu, path)
    assert action.isEnabled(), f"{path} is disabled"
    menu.close()
    action.trigger()


def menu_bar_item(window: QMainWindow, path: str) -> QAction:
    """An item of the window's menu bar: "Book ▸ Mark as ▸ Finished"."""
    first, _, rest = path.partition(" ▸ ")
    for action in window.menuBar().actions():
        if words(action) == first:
            return item(action.menu(), rest)
    raise AssertionError(f"no menu {first!r}")


def press(qtbot, window: QMainWindow, widget, key: Qt.Key,  # noqa: ANN001
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed in ``widget`` of the active window, where the window's shortcuts are heard."""
    window.activateWindow()  # offscreen has no window manager: the window is activated when asked
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    widget.setFocus()
    qtbot.keyClick(widget, key, modifiers)
