"""The window's life beside the tray: the tray icon wired to the window and to automation, close to
tray, the tooltip and recent activity, and notifications of what happened in the background."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.core.jobs import JobEvent
from bookdesk.ui.notifier import Notice, Notifier
from bookdesk.ui.tray import Tray

if TYPE_CHECKING:
    from bookdesk.core.series.service import SeriesService
    from bookdesk.ui.acquisition_flow import AcquisitionFlow
    from bookdesk.ui.automation_flow import AutomationFlow
    from bookdesk.ui.settings_hub import SettingsHub


class TrayFlow(QObject):
    """The tray's side of the app. What it asks of the window it says by signals; the window never
    reaches into the tray icon."""

    open_requested = Signal()  # show the window
    job_requested = Signal(str)  # show this job (a correlation id) in Activity
    quit_requested = Signal()

    def __init__(self, parent: QObject, settings_hub: SettingsHub, automation: AutomationFlow,
                 acquisition: AcquisitionFlow, series: SeriesService, *, show_tray: bool = True) -> None:
        super().__init__(parent)
        self.settings_hub, self.automation, self.series = settings_hub, automation, series
        self.tray = Tray(self)
        self.notifier = Notifier(self.tray.message, self)
        self.recent: deque[tuple[str, str]] = deque(maxlen=10)
        self._told_still_running = False
        self._syncing = False  # a Sync Now runs: the tooltip says so between its jobs too
        self._monitored_missing: int | None = None
        self.tray.open_requested.connect(self.open_requested)
        self.tray.sync_requested.connect(automation.sync_now)
        self.tray.pause_toggled.connect(automation.set_paused)
        self.tray.activity_requested.connect(self.job_requested)
        self.tray.quit_requested.connect(self.quit_requested)
        automation.paused_changed.connect(self.tray.set_paused)
        settings_hub.changed.connect(lambda saved: self.tray.set_paused(saved.automation_paused))  # from any page
        self.tray.set_paused(settings_hub.settings.automation_paused)
        acquisition.progressed.connect(self.on_download)
        acquisition.imported.connect(lambda title: self.notifier.notify(Notice("imported", title)))
        automation.books_added.connect(
            lambda ids: self.notifier.notify(Notice("imported", f"{len(ids)} books", count=len(ids))))
        if show_tray and self.tray.show():
            # With a tray, closing the window is not quitting: BookDesk quits from the tray or the menu.
            QApplication.instance().setQuitOnLastWindowClosed(False)

    @property
    def in_tray(self) -> bool:
        return self.tray.visible

    def hide(self) -> None:
        """At quit: the icon goes at once, not when the process ends."""
        self.tray.hide()

    def keep_running_on_close(self) -> bool:
        """Closing the window hides it to the tray when the settings say so and a tray shows us."""
        if not (self.settings_hub.settings.close_to_tray and self.in_tray):
            return False
        if not self._told_still_running:
            self._told_still_running = True
            self.tray.message("BookDesk is still running", "It keeps looking after your library from here. "
                              "Quit from this icon's menu.")
        return True

    def show_syncing(self, running: bool, words: str = "") -> None:
        """A Sync Now began or ended (``words``: what it did, told by a message while the window is hidden)."""
        self._syncing = running
        self.tray.set_running(["Sync Now"] if running else [])
        parent = self.parent()
        if words and self.in_tray and isinstance(parent, QWidget) and not parent.isVisible():
            self.tray.message("Sync Now", words)

    def on_job_event(self, event: JobEvent, running_titles: list[str]) -> None:
        self.tray.set_running(["Sync Now", *running_titles] if self._syncing else running_titles)
        if event.kind == "check-monitored" and event.state == "running" and self._monitored_missing is None:
            self._monitored_missing = self._missing_in_monitored()
        if not event.finished:
            return
        outcome = event.summary or event.state
        self.recent.appendleft((event.correlation_id, f"{event.title}: {outcome}"))
        self.tray.set_recent(list(self.recent))
        if event.state == "failed" and self.automation.is_scheduled(event.kind):
            self.notifier.notify(Notice("job-failed", f"{event.title} (Ref {event.correlation_id})"))
        if event.kind == "check-monitored" and event.state == "succeeded":
            before, self._monitored_missing = self._monitored_missing, None
            # Worked out after the job's commit has reached the series figures.
            QTimer.singleShot(0, lambda: self._new_releases(before))

    def on_download(self, progress: DownloadProgress) -> None:
        if progress.state == "failed":
            self.notifier.notify(Notice("download-failed", progress.title or progress.url))

    def _missing_in_monitored(self) -> int:
        return sum(s.missing for s in self.series.summaries() if s.monitored)

    def _new_releases(self, before: int | None) -> None:
        after = self._missing_in_monitored()
        if before is not None and after > before:
            found = after - before
            self.notifier.notify(Notice("new-release", f"{found} book{'s' if found != 1 else ''} in your monitored "
                                        "series", count=found))
