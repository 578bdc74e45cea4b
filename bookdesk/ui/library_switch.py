"""File → Open Library… and File → Recent Libraries: choosing the library to switch to. A folder that is
no BookDesk library yet is made one only when the person says so; a recent library whose folder is gone
(a disk not plugged in) is shown greyed. What is chosen is asked for with ``open_requested``; whoever runs
the app (``LibrarySession``) does the switch, and a window with nobody listening (tests, ``smoke``) stays."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from bookdesk import APP_NAME
from bookdesk.core.settings import load_settings
from bookdesk.data.catalog import CATALOG_NAME

if TYPE_CHECKING:
    from bookdesk.ui.first_run import FolderChooser
    from bookdesk.ui.main_window import MainWindow


def _choose_folder(parent: QWidget, title: str, start: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title, start)


def library_label(folder: Path) -> str:
    """How a library is named to a person: its folder's name, with where it is."""
    return f"{folder.name or folder}  ({folder.parent})" if folder.name else str(folder)


class LibraryActions(QObject):
    open_requested = Signal(object)  # the Path of the library to switch to

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.choose_folder: FolderChooser = _choose_folder  # tests put their own
        self.open_action = QAction("Open &Library…", self)
        self.open_action.setToolTip("Switch to another library, or make a new one in a folder")
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+L"))  # Ctrl+O is Import Files…
        self.open_action.triggered.connect(self.open_library)
        self.recent_menu = QMenu("&Recent Libraries", window)
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        # A submenu's key: the list pops up below the File menu's title, as if it were opened there.
        self.recent_menu.menuAction().setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.recent_menu.menuAction().setToolTip("The libraries opened before (Ctrl+Shift+H)")
        self.recent_menu.menuAction().triggered.connect(self.show_recent)

    def open_library(self) -> None:
        current = self.window.service.folder
        chosen = self.choose_folder(self.window, "Open Library", str(current.parent))
        if chosen:
            self.request(Path(chosen))

    def request(self, folder: Path) -> None:
        """Ask for ``folder``, once the person agreed to make a library there if it holds none."""
        if folder == self.window.service.folder:
            self.window.jobs.say(f"{library_label(folder)} is the library open now.")
            return
        if not (folder / CATALOG_NAME).exists():
            holds = folder.is_dir() and any(folder.iterdir())
            answer = QMessageBox.question(
                self.window, "Open Library",
                f"{folder} is not a BookDesk library. Make a new, empty library there?"
                + (" The files already in the folder stay as they are." if holds else ""),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.open_requested.emit(folder)

    def show_recent(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.actions()[0] if bar.actions() else None
        place = bar.actionGeometry(file_menu).bottomLeft() if file_menu is not None else bar.rect().bottomLeft()
        self.recent_menu.popup(bar.mapToGlobal(place))

    def fill_recent(self) -> None:
        """The recent libraries, newest first: the open one ticked, those whose folder is gone greyed."""
        self.recent_menu.clear()
        current = self.window.service.folder
        for path in load_settings().recent_libraries:
            folder = Path(path)
            present = (folder / CATALOG_NAME).exists()
            action = self.recent_menu.addAction(library_label(folder) + ("" if present else "  — not found"))
            action.setToolTip(str(folder) if present else f"{folder} is not there (a disk not plugged in?)")
            if folder == current:
                action.setCheckable(True)
                action.setChecked(True)
            action.setEnabled(present and folder != current)
            action.triggered.connect(lambda _=False, f=folder: self.request(f))
        if self.recent_menu.isEmpty():
            none = self.recent_menu.addAction(f"No other library opened in {APP_NAME} yet")
            none.setEnabled(False)


def add_library_actions(window: MainWindow, file_menu: QMenu) -> LibraryActions:
    """Open Library… and Recent Libraries at this place of the File menu (``window.library_actions``)."""
    actions = LibraryActions(window)
    window.library_actions = actions
    file_menu.addAction(actions.open_action)
    file_menu.addMenu(actions.recent_menu)
    file_menu.addSeparator()
    return actions
