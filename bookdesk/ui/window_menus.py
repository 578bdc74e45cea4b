"""The main window's menus with the standard shortcuts, its toolbar and its lists' context menus. Built
onto the window as a Designer form's ``setupUi`` does, so the actions are the window's own
(``window.undo_action``) and call its slots."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from bookdesk import APP_NAME
from bookdesk.ui.book_actions import BookActions
from bookdesk.ui.books_to_import import choose_files, choose_folder
from bookdesk.ui.context_menus import add_context_menus
from bookdesk.ui.library_switch import add_library_actions
from bookdesk.ui.resources import icon
from bookdesk.ui.view_switcher import VIEW_TITLES
from bookdesk.ui.views import VIEW_NAMES
from bookdesk.ui.window_frame import TOOLBAR_ENTRIES, clear_frame_menus, make_toolbar

if TYPE_CHECKING:
    from bookdesk.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    clear_frame_menus(window)  # the "Opening library…" menus of the frame go; these take their places
    bar = window.menuBar()
    _file_menu(window, bar.addMenu("&File"))
    _edit_menu(window, bar.addMenu("&Edit"))
    _book_menu(window, bar.addMenu("&Book"))
    _tools_menu(window, bar.addMenu("&Tools"))
    _view_menu(window, bar.addMenu("&View"))
    _help_menu(window, bar.addMenu("&Help"))
    build_toolbar(window)
    add_context_menus(window)


def add_action(menu: QMenu, text: str, slot: Callable, shortcut: QKeySequence | QKeySequence.StandardKey | None = None
               ) -> QAction:
    action = QAction(text, menu)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def _file_menu(window: MainWindow, menu: QMenu) -> None:
    add_library_actions(window, menu)  # Open Library…, Recent Libraries
    window.import_files_action = add_action(menu, "&Import Files…", lambda: window.start_import(choose_files(window)),
                                            QKeySequence.StandardKey.Open)
    window.import_folder_action = add_action(menu, "Import &Folder…", lambda: window.start_import(choose_folder(window)),
                                             QKeySequence("Ctrl+Shift+O"))
    window.add_calibre_action = add_action(menu, "Add a &calibre Library…", lambda: window.calibre.choose())
    menu.addSeparator()
    add_action(menu, "&Download from Addresses…", window.download_from_addresses, QKeySequence("Ctrl+D"))
    add_action(menu, "&Browse Catalogs…", window.browse_catalogs, QKeySequence("Ctrl+B"))
    menu.addSeparator()
    menu.addAction(window.quit_action)  # the frame's Quit (window_frame), there since the first paint


def _edit_menu(window: MainWindow, menu: QMenu) -> None:
    window.undo_action = window.edits.action
    menu.addAction(window.undo_action)
    window.undo_import_action = add_action(menu, "Undo Last &Import…", lambda: window.imports.undo_last())
    menu.addSeparator()
    window.find_action = add_action(menu, "&Find", window.find, QKeySequence.StandardKey.Find)
    menu.addSeparator()
    # Ctrl+, everywhere: the standard Preferences key is Cmd+, on macOS and none on Linux or Windows.
    window.settings_action = add_action(menu, "&Settings…", lambda: window.edit_settings(), QKeySequence("Ctrl+,"))
    window.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)


def _book_menu(window: MainWindow, menu: QMenu) -> None:
    window.book_actions = BookActions(window)  # the same actions in the toolbar and the context menu
    window.identify_action = window.book_actions.identify
    window.book_actions.fill_menu(menu)
    menu.addSeparator()
    window.review_action = add_action(menu, "&Review Identifications…", window.review_identifications,
                                      QKeySequence("Ctrl+Shift+I"))
    menu.addSeparator()
    window.check_monitored_action = add_action(menu, "&Check Monitored Series",
                                               window.series_checks.check_monitored)


def _tools_menu(window: MainWindow, menu: QMenu) -> None:
    automation = window.automation
    window.sync_action = add_action(menu, "&Sync Now", automation.sync_now, QKeySequence("Ctrl+Shift+S"))
    window.sync_action.setToolTip("Run every scheduled job that is due, now")
    window.pause_action = add_action(menu, "&Pause Automation", lambda on: automation.set_paused(on))
    window.pause_action.setCheckable(True)
    window.pause_action.setChecked(window.settings.automation_paused)
    menu.addSeparator()
    add_action(menu, "Sc&heduled Jobs…", lambda: window.edit_settings("scheduler"))
    add_action(menu, "S&ources and Download Clients…", lambda: window.edit_settings("sources"))
    add_action(menu, "Metadata &Providers…", lambda: window.edit_settings("providers"))


def _view_menu(window: MainWindow, menu: QMenu) -> None:
    for number, name in enumerate(VIEW_NAMES, start=1):
        add_action(menu, VIEW_TITLES[name], lambda _=False, n=name: window.show_view(n), QKeySequence(f"Ctrl+{number}"))
    menu.addSeparator()
    add_action(menu, "&Refresh", window.refresh_views, QKeySequence.StandardKey.Refresh)


def build_toolbar(window: MainWindow) -> QToolBar:
    """The common actions, each the menu's own action (its shortcut and enabled state) with its icon, in the
    frame's toolbar (window_frame.py) in place of the disabled ones it showed while the library opened."""
    bar = getattr(window, "toolbar", None) or make_toolbar(window)
    bar.clear()
    for entry in TOOLBAR_ENTRIES:
        if entry is None:
            bar.addSeparator()
            continue
        name, text, icon_name = entry
        action = attrgetter(name)(window)
        action.setIcon(icon(icon_name))
        action.setIconText(text)
        bar.addAction(action)
    return bar


def _help_menu(window: MainWindow, menu: QMenu) -> None:
    add_action(menu, "&Report a Problem…", lambda: window.help.report_problem())
    about_action = add_action(menu, f"&About {APP_NAME}", window.help.about)
    about_action.setMenuRole(QAction.MenuRole.AboutRole)
