"""Every setting in one place: a list of pages on the left, the chosen page on the right, Save and
Cancel. Save checks every page, stores secrets in the SecretStore (never the settings file), hands
schedule changes to the scheduler, then saves the settings once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.errors import BookDeskError, UsageError
from bookdesk.ui.settings.appearance_page import AppearancePage
from bookdesk.ui.settings.library_page import LibraryPage
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.settings.providers_page import ProvidersPage
from bookdesk.ui.settings.scheduler_page import ScheduleControls, SchedulerPage
from bookdesk.ui.settings.sharing_page import SharingPage
from bookdesk.ui.settings.sources_page import SourcesPage
from bookdesk.ui.theme import tone

if TYPE_CHECKING:
    from bookdesk.ui.sharing_flow import SharingFlow

log = logging.getLogger(__name__)
PAGE_KEYS = ("library", "providers", "sources", "scheduler", "sharing", "appearance")
BODY_SPACING = 12  # between the list of pages and the page
SCREEN_ROOM = 48  # what the default width leaves of the screen: the window's frame, a little desktop


class SettingsDialog(QDialog):
    test_requested = Signal(str, dict, str)  # a source to test: kind, source, secret (see SourcesPage)
    run_started = Signal(str, str)  # a scheduled job started by Run Now: kind, correlation id

    def __init__(self, settings: Settings, secrets: SecretStore, scheduler: ScheduleControls | None = None,
                 parent: QWidget | None = None, page: str | None = None, *, library: Path | None = None,
                 on_save: Callable[[Settings], None] | None = None, tray_available: bool | None = None,
                 sharing: SharingFlow | None = None) -> None:
        """``page``: one of PAGE_KEYS to open on. ``on_save``: called with the new settings on Save (it
        saves and applies them); without it, read ``edited`` when ``accepted`` is emitted. ``sharing``: the
        window's, whose state and API keys the Sharing page shows."""
        super().__init__(parent)
        self.settings, self.secrets, self.on_save = settings, secrets, on_save
        self.edited: Settings | None = None
        self.setWindowTitle("Settings")
        self.setMinimumSize(900, 600)
        self.library_page = LibraryPage(settings, library)
        self.providers_page = ProvidersPage(settings, secrets)
        self.sources_page = SourcesPage(settings, secrets)
        self.scheduler_page = SchedulerPage(settings, scheduler)
        self.appearance_page = AppearancePage(settings, tray_available=tray_available)
        self.sharing_page = SharingPage(settings, secrets, sharing)
        self.sources_page.test_requested.connect(self.test_requested.emit)
        self.scheduler_page.run_started.connect(self.run_started.emit)
        self.pages: dict[str, SettingsPage] = {p.key: p for p in (
            self.library_page, self.providers_page, self.sources_page, self.scheduler_page, self.sharing_page,
            self.appearance_page)}

        self.page_list = QListWidget()
        self.page_list.setFixedWidth(190)
        self.page_list.setFrameShape(QFrame.Shape.NoFrame)
        self.page_list.setStyleSheet(
            "QListWidget { background: palette(window); padding: 6px 4px; outline: none; }"
            "QListWidget::item { padding: 7px 8px; border-radius: 6px; color: palette(window-text); }"
            "QListWidget::item:selected { background: palette(highlight); color: palette(highlighted-text); }")
        self.stack = QStackedWidget()
        for key in PAGE_KEYS:
            widget = self.pages[key]
            self.page_list.addItem(widget.title)
            self.stack.addWidget(widget if key in ("sources", "scheduler") else _scrolled(widget))
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_title = QLabel()
        font = self.page_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.page_title.setFont(font)
        self.page_list.currentRowChanged.connect(
            lambda row: self.page_title.setText(self.pages[PAGE_KEYS[row]].title if row >= 0 else ""))

        self.problem = QLabel()
        tone(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addWidget(self.page_title)
        right.addWidget(self.stack, 1)
        body = QHBoxLayout()
        body.setSpacing(BODY_SPACING)
        body.addWidget(self.page_list)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.show_page(page or PAGE_KEYS[0])
        self.page_list.setFocus()
        self.resize(self._default_width(), 680)

    def _default_width(self) -> int:
        """Wide enough for the Scheduler table's job names, times and usual states (1000 at the least), and
        no wider than the screen leaves room for: on a 1280-pixel laptop the states give first."""
        margins = self.layout().contentsMargins()
        wanted = (self.page_list.width() + BODY_SPACING + margins.left() + margins.right()
                  + self.scheduler_page.wanted_width())
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        return max(1000, min(wanted, screen.width() - SCREEN_ROOM))

    def show_page(self, key: str) -> None:
        if key not in self.pages:
            raise ValueError(f"no settings page {key!r}; pages: {', '.join(PAGE_KEYS)}")
        self.page_list.setCurrentRow(PAGE_KEYS.index(key))

    def current_page(self) -> str:
        return PAGE_KEYS[self.page_list.currentRow()]

    def show_test_result(self, kind: str, ok: bool, text: str, fingerprint: str = "") -> None:
        """``fingerprint``: of a certificate Test met that this computer does not trust (the page asks)."""
        self.sources_page.show_test_result(kind, ok, text, fingerprint)

    def accept(self) -> None:
        self.problem.clear()
        edited = self.settings
        for key in PAGE_KEYS:
            try:
                edited = self.pages[key].values(edited)
            except UsageError as exc:
                self._refuse(key, exc.message)
                return
        try:
            edited.check()
        except UsageError as exc:
            self._refuse(None, exc.message)
            return
        for key in PAGE_KEYS:
            try:
                self.pages[key].commit()
            except BookDeskError as exc:
                self._refuse(key, exc.message)
                return
            except Exception as exc:  # a keyring that refuses: say so, keep the dialog open to try again
                log.exception("settings page %s could not keep its changes", key)
                self._refuse(key, f"Could not keep these changes: {exc}")
                return
        if self.on_save is not None:
            try:
                self.on_save(edited)
            except (BookDeskError, OSError) as exc:
                self._refuse(None, f"The settings could not be saved: {getattr(exc, 'message', exc)}")
                return
        self.edited = edited
        super().accept()

    def _refuse(self, key: str | None, message: str) -> None:
        if key is not None:
            self.show_page(key)
            message = f"{self.pages[key].title}: {message}"
        self.problem.setText(message)


def _scrolled(page: QWidget) -> QScrollArea:
    """A tall page scrolls rather than stretching the dialog past a small screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
