"""A context menu in every list of the window, each with what applies there: the Library's book actions
(BookActions), and in the other views the actions their buttons already carry, so a menu item and its
button are one action (enabled, checked and named alike) and nothing is done two ways."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QMenu

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow

# A button, or (button, the menu's words for it), or None for a separator.
Entry = QAbstractButton | tuple[QAbstractButton, str] | None


def add_context_menus(window: MainWindow) -> None:
    popup_on(window.library_view.table, window.book_actions.fill_menu)
    series = window.series_view.detail
    buttons_menu(window.series_view.table, lambda: [
        series.check_button, series.history_button, (series.monitor, "Monitor This Series"), None,
        series.want_button, series.ignore_button])
    authors = window.authors_view
    buttons_menu(authors.table, lambda: [
        authors.check_button, (authors.monitor_button, "Monitor This Author"), None, authors.merge_button,
        authors.split_button])
    wanted = window.wanted_view
    buttons_menu(wanted.table, lambda: [wanted.search_button, None, wanted.unwant_button])
    downloads = window.downloads_view
    buttons_menu(downloads.table, lambda: list(downloads.buttons.values()))
    activity = window.activity_view
    popup_on(activity.table, lambda menu: _activity_menu(menu, activity))


def popup_on(view: QAbstractItemView, fill: Callable[[QMenu], None]) -> None:
    """Right-click (or the menu key) on ``view`` shows a menu ``fill`` makes for what is selected then.
    Qt has selected the row under the pointer before it asks for the menu."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda pos: _popup(view, fill, pos))


def _popup(view: QAbstractItemView, fill: Callable[[QMenu], None], pos: QPoint) -> None:
    menu = QMenu(view)
    menu.aboutToHide.connect(menu.deleteLater)  # one menu per click, gone once closed
    fill(menu)
    if menu.isEmpty():
        menu.deleteLater()
        return
    menu.popup(view.viewport().mapToGlobal(pos))


def buttons_menu(view: QAbstractItemView, entries: Callable[[], Sequence[Entry]]) -> None:
    popup_on(view, lambda menu: _add_buttons(menu, entries()))


def _add_buttons(menu: QMenu, entries: Sequence[Entry]) -> None:
    for entry in entries:
        if entry is None:
            menu.addSeparator()
            continue
        button, text = entry if isinstance(entry, tuple) else (entry, entry.text())
        action = menu.addAction(text.replace("&", ""))
        action.setToolTip(button.toolTip())
        action.setEnabled(button.isEnabled())
        if button.isCheckable():
            action.setCheckable(True)
            action.setChecked(button.isChecked())
        action.triggered.connect(lambda _checked=False, b=button: b.click())


def _activity_menu(menu: QMenu, activity) -> None:  # noqa: ANN001 - ActivityView
    ref = activity.selected_job()
    copy = menu.addAction("&Copy Ref")
    copy.setEnabled(bool(ref))
    copy.triggered.connect(lambda: QApplication.clipboard().setText(ref or ""))
    menu.addSeparator()
    _add_buttons(menu, [activity.undo_button])
