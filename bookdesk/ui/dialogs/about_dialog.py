"""About BookDesk: the version, where its logs, settings and catalog are (each with Show in Folder and
Copy), the Python and Qt it runs on, and the project's address."""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookdesk import APP_NAME, PROJECT_URL, __version__
from bookdesk.core import paths
from bookdesk.ui.resources import icon

Opener = Callable[[QUrl], bool]  # QDesktopServices.openUrl; tests pass one that only records


def runtime_lines() -> list[str]:
    """What BookDesk runs on, one fact a line (also put in problem reports)."""
    return [f"Qt: {qVersion()} (PySide6 {PySide6.__version__})",
            f"Platform plugin: {QGuiApplication.platformName() or 'none'}"]


def open_folder(path: Path, opener: Opener) -> bool:
    """Show ``path`` in the file manager: the folder itself, or the folder a file is in."""
    folder = path if path.is_dir() else path.parent
    return opener(QUrl.fromLocalFile(str(folder)))


class PathRow:
    """A place on disk: its path, Show in Folder and Copy."""

    def __init__(self, label: str, path: Path | None, opener: Opener, missing: str) -> None:
        self.path = path
        self.label = QLabel(label)
        self.value = QLabel(str(path) if path is not None else missing)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setWordWrap(True)
        self.show_button = QPushButton("Show in Folder")
        self.show_button.setToolTip(f"Open the folder in your file manager: {path}" if path else "")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the path")
        self.show_button.setEnabled(path is not None)
        self.copy_button.setEnabled(path is not None)
        self.show_button.clicked.connect(lambda: open_folder(path, opener) if path is not None else None)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(str(path)))

    def add_to(self, grid: QGridLayout, row: int) -> None:
        grid.addWidget(self.label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.value, row, 1)
        grid.addWidget(self.show_button, row, 2)
        grid.addWidget(self.copy_button, row, 3)


class AboutDialog(QDialog):
    report_requested = Signal()  # "Report a Problem…" pressed

    def __init__(self, catalog: Path | None = None, parent: QWidget | None = None, *,
                 log_folder: Path | None = None, config_folder: Path | None = None,
                 opener: Opener | None = None) -> None:
        super().__init__(parent)
        self.opener: Opener = opener or QDesktopServices.openUrl
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(620)

        picture = QLabel()
        picture.setPixmap(icon("bookdesk").pixmap(64, 64))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(f"{APP_NAME} {__version__}")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tagline = QLabel("Your ebooks and audiobooks, complete and correct.")
        self.link = QLabel(f'<a href="{PROJECT_URL}">{PROJECT_URL}</a>')
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link.linkActivated.connect(lambda url: self.opener(QUrl(url)))  # through the injectable opener
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(tagline)
        heading.addWidget(self.link)
        top = QHBoxLayout()
        top.addWidget(picture)
        top.addSpacing(12)
        top.addLayout(heading, 1)

        self.log_row = PathRow("Log folder:", log_folder or paths.log_dir(), self.opener, "")
        self.config_row = PathRow("Settings folder:", config_folder or paths.config_dir(), self.opener, "")
        self.catalog_row = PathRow("Catalog:", catalog, self.opener, "no library is open")
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, place in enumerate((self.log_row, self.config_row, self.catalog_row)):
            place.add_to(grid, row)

        self.versions = QLabel("\n".join(self.details_lines()[1:]))
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions.setStyleSheet("color: palette(placeholder-text);")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.report_button = QPushButton("&Report a Problem…")
        self.report_button.clicked.connect(self.report_requested.emit)
        self.copy_button = QPushButton("Copy &Details")
        self.copy_button.setToolTip("Copy the version and platform, to paste into a message")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.details_text()))
        self.buttons.addButton(self.report_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(12)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.versions)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def details_lines(self) -> list[str]:
        return [f"{APP_NAME} {__version__}",
                f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
                *runtime_lines(),
                f"Platform: {platform.platform()}"]

    def details_text(self) -> str:
        places = [f"Logs: {self.log_row.path}", f"Settings: {self.config_row.path}",
                  f"Catalog: {self.catalog_row.path or 'none'}"]
        return "\n".join([*self.details_lines(), *places]) + "\n"
