"""BookDesk in the system tray: Open, Sync Now, Pause Automation, whether sharing is on and where, recent
activity and Quit; a tooltip with what is running; and the place notifications come from. Where the desktop has no tray,
nothing is shown and the window behaves as any other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from bookdesk import APP_NAME
from bookdesk.ui.resources import icon

RECENT = 5  # jobs listed under Recent Activity


class Tray(QObject):
    open_requested = Signal()
    sync_requested = Signal()
    pause_toggled = Signal(bool)  # True: pause automation
    activity_requested = Signal(str)  # a job's correlation id
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon("bookdesk"), parent)
        self.icon.setToolTip(APP_NAME)
        self.menu = QMenu()
        self.open_action = self._action("Open BookDesk", self.open_requested.emit)
        self.sync_action = self._action("Sync Now", self.sync_requested.emit)
        self.pause_action = QAction("Pause Automation", self.menu)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.pause_toggled.emit)
        self.menu.addAction(self.pause_action)
        self.sharing_action = QAction("Sharing is off", self.menu)  # said, not clicked: Settings → Sharing
        self.sharing_action.setEnabled(False)
        self.menu.addAction(self.sharing_action)
        self._sharing = ""
        self._running: list[str] = []
        self.menu.addSeparator()
        self.recent_menu = self.menu.addMenu("Recent Activity")
        self.recent_menu.setEnabled(False)
        self.menu.addSeparator()
        self.quit_action = self._action("Quit BookDesk", self.quit_requested.emit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        """Shown when the desktop has a tray; False (quietly) when it has none."""
        if not self.available():
            return False
        self.icon.show()
        return self.icon.isVisible()

    @property
    def visible(self) -> bool:
        return self.icon.isVisible()

    def hide(self) -> None:
        self.icon.hide()

    def set_paused(self, paused: bool) -> None:
        self.pause_action.blockSignals(True)
        self.pause_action.setChecked(paused)
        self.pause_action.blockSignals(False)

    def set_running(self, titles: list[str]) -> None:
        """The tooltip says what is going on."""
        self._running = titles
        self._tooltip()

    def set_sharing(self, words: str, tooltip: str) -> None:
        """Whether sharing is on and at which address, in the menu; ``tooltip`` (those words and what a
        device lacks, while on or when it could not start; else empty) in the tooltip, as a greyed menu
        item alone goes unseen."""
        self.sharing_action.setText(words)
        self._sharing = tooltip
        self._tooltip()

    def _tooltip(self) -> None:
        titles = self._running
        text = APP_NAME if not titles else f"{APP_NAME}: " + "; ".join(titles[:3]) \
            + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
        self.icon.setToolTip(f"{text}\n{self._sharing}" if self._sharing else text)

    def set_recent(self, jobs: list[tuple[str, str]]) -> None:
        """(correlation id, "title: outcome") of the latest jobs, newest first."""
        self.recent_menu.clear()
        for correlation_id, text in jobs[:RECENT]:
            action = self.recent_menu.addAction(text)
            action.triggered.connect(lambda _=False, cid=correlation_id: self.activity_requested.emit(cid))
        self.recent_menu.setEnabled(bool(jobs))

    def message(self, title: str, body: str) -> None:
        if self.icon.isVisible() and self.icon.supportsMessages():
            self.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 8_000)

    def _action(self, text: str, slot) -> QAction:  # noqa: ANN001 - any callable
        action = QAction(text, self.menu)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
