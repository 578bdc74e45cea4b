"""The app looking after itself: the scheduler started on the worker once the window is up, its
jobs' news turned into signals, Pause/Resume (kept in the settings) and Sync Now.

The scheduler's modules load after the first paint, so the start is not slowed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from bookdesk.core.library_services import LibraryServices
from bookdesk.core.settings import Settings
from bookdesk.errors import BookDeskError
from bookdesk.ui import bridge
from bookdesk.ui.acquisition_flow import AcquisitionFlow
from bookdesk.ui.import_flow import ImportFlow
from bookdesk.ui.settings_hub import SettingsHub

if TYPE_CHECKING:
    from bookdesk.core.scheduler import Scheduler
    from bookdesk.core.scheduler.context import SchedulerContext
    from bookdesk.core.worker import Worker

log = logging.getLogger(__name__)

START_AFTER_MS = 1_000  # after the first paint
STARTUP_DELAY_S = 60.0  # the app's own scheduled checks wait this long after start (the person comes first);
# following the download clients does not wait: it carries on what the person asked for


class AutomationFlow(QObject):
    books_changed = Signal(list)  # work ids a scheduled job changed (from the worker thread)
    books_added = Signal(list)  # work ids a scheduled job imported
    paused_changed = Signal(bool)
    sync_started = Signal()  # a Sync Now begins
    go_ahead_asked = Signal(str, str)  # kind, question: a job that would touch many books waits (worker thread)
    synced = Signal(list)  # the SyncResults of a Sync Now, once it is over
    sync_failed = Signal(str)  # why a Sync Now could not go through

    def __init__(self, parent: QWidget, services: LibraryServices, settings_hub: SettingsHub,
                 acquisition: AcquisitionFlow, imports: ImportFlow) -> None:
        super().__init__(parent)
        self.service, self.worker, self.secrets = services.library, services.worker, services.secrets
        self.series, self.acquisition, self.imports = services.series, acquisition, imports
        self.settings = settings_hub.settings
        self._save_settings = settings_hub.save
        self._fresh_settings = settings_hub.fresh
        # After ``imports`` (built first, so told first): the scheduler takes up the watch folder it has made.
        settings_hub.changed.connect(self.apply_settings)
        self.scheduler: Scheduler | None = None
        self.context: SchedulerContext | None = None
        self.startup_delay = STARTUP_DELAY_S
        self.go_ahead_box: QMessageBox | None = None  # the question, while it is shown
        self.go_ahead_asked.connect(self._ask_go_ahead)

    def start_later(self) -> None:
        QTimer.singleShot(START_AFTER_MS, self._start_soon)  # a method: no call once this flow is gone

    def _start_soon(self) -> None:
        bridge.start(self._start_when_loaded(), what="Start the scheduler", owner=self, quiet=True)

    async def _start_when_loaded(self) -> None:
        """``start``, once the worker has loaded what the scheduler needs: its modules and the worker's HTTP
        client (httpx, an SSL context). Made here, the window waited for the import lock a worker thread
        held (py-spy over bench/ui_stalls.py: AutomationFlow.start → Worker.net → make_http, 0.3–0.7 s)."""
        if self.worker.running:
            await self.worker.call(_load_scheduler, self.worker)
        self.start()

    def start(self) -> Scheduler | None:
        """Build the scheduler and start its loop on the worker (once)."""
        if self.scheduler is not None or not self.worker.running:
            return self.scheduler
        from bookdesk.core.scheduler import Scheduler
        from bookdesk.core.scheduler.acquisition_hooks import wire_acquisition
        from bookdesk.core.scheduler.context import SchedulerContext
        from bookdesk.core.scheduler.network import provider_probe

        self.context = SchedulerContext(self.service, self.settings, self.secrets, net=self.worker.net,
                                        series=self.series, watch=self.imports.watch,
                                        books_changed=lambda ids: self.books_changed.emit(list(ids)),
                                        books_added=lambda ids: self.books_added.emit(list(ids)),
                                        ask=self.go_ahead_asked.emit)
        wire_acquisition(self.context, self.acquisition.current_sources, self.acquisition.poller)
        self.scheduler = Scheduler.for_worker(self.worker, self.context, network_up=provider_probe(self.settings),
                                              paused=self.settings.automation_paused)
        self.scheduler.start_on(self.worker, startup_delay=self.startup_delay)
        # A grab gives the clients something of ours to follow: they are asked at once, start delay or not.
        self.acquisition.downloads_changed.connect(self.scheduler.requests_changed)
        return self.scheduler

    def stop(self) -> None:
        """Before the worker stops: the loop ends; running jobs are the worker's to cancel."""
        if self.scheduler is not None:
            try:
                self.scheduler.stop()
            except Exception:  # quitting must go on
                log.exception("the scheduler did not stop cleanly")

    def apply_settings(self, settings: Settings) -> None:
        added = _servers_switched_on(settings) - _servers_switched_on(self.settings)
        self.settings = settings
        if self.context is not None:
            self.context.settings = settings
            self.context.watch = self.imports.watch
        if self.scheduler is not None:
            if settings.automation_paused != self.scheduler.paused:
                (self.scheduler.pause if settings.automation_paused else self.scheduler.resume)()
            self.scheduler.wake()
            if added:
                self._pull_new_servers(added)

    def _pull_new_servers(self, names: set[str]) -> None:
        """A server just set up is pulled now, not when the sync's turn comes (hours away, or never
        while no server was set up)."""
        from bookdesk.core.scheduler.kinds import ABS_SYNC

        try:
            self.run_now(ABS_SYNC.name)
        except BookDeskError as exc:  # switched off by the person, say: the sync's own turn will do
            log.info("Audiobookshelf server %s not pulled at once: %s", ", ".join(sorted(names)), exc.message)

    # ----- what the tray and the menus ask ------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.settings.automation_paused

    def set_paused(self, paused: bool) -> None:
        """Pause or resume every scheduled job; remembered for the next start."""
        if paused == self.settings.automation_paused:
            return
        self._save_settings(replace(self.settings, automation_paused=paused))
        self.paused_changed.emit(paused)

    def sync_now(self) -> None:
        """Every due job now (even while paused), as ``bookdesk sync`` does; with the settings as the file
        has them now (a server ``bookdesk abs add`` added meanwhile is pulled)."""
        self._fresh_settings()
        scheduler = self.start()
        if scheduler is not None:
            self.sync_started.emit()
            bridge.start(self._sync(scheduler), what="Sync Now")

    async def _sync(self, scheduler: Scheduler) -> None:
        try:
            results = await self.worker.run(scheduler.sync)
        except BookDeskError as exc:  # the catalog busy, say: told where Sync Now was asked for
            log.warning("Sync Now failed: %s", exc.message)
            self.sync_failed.emit(exc.message + (f" (Ref {exc.correlation_id})" if exc.correlation_id else ""))
            return
        except Exception:
            self.sync_failed.emit("something unexpected went wrong")
            raise  # a bug: to the ErrorPresenter, with its Ref
        self.synced.emit(results)

    def _ask_go_ahead(self, kind: str, question: str) -> None:
        """Asked in the window, not in the way: Yes runs the job now (Run Now is the go-ahead); No, or no
        answer, leaves it to its next turn, when it asks again."""
        from bookdesk.core.scheduler.kinds import by_name

        if self.go_ahead_box is not None and self.go_ahead_box.isVisible():
            self.go_ahead_box.close()  # the newest count is the one to answer
        title = by_name()[kind].title if kind in by_name() else kind
        box = QMessageBox(QMessageBox.Icon.Question, title, question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.parent())
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("&Go Ahead")
        box.button(QMessageBox.StandardButton.No).setText("&Not Now")
        box.accepted.connect(lambda: self.run_now(kind))
        self.go_ahead_box = box
        box.open()

    def run_now(self, kind: str) -> str:
        """Start ``kind`` now, whatever its schedule says; its correlation id."""
        scheduler = self.start()
        return scheduler.run_now(kind) if scheduler is not None else ""

    @staticmethod
    def is_scheduled(kind: str) -> bool:
        """Is ``kind`` a scheduled job's? Their failures are told quietly (tray, Activity), not in a dialog."""
        from bookdesk.core.scheduler.kinds import by_name  # loaded after the first paint, as the scheduler is

        return kind in by_name()


def _load_scheduler(worker: Worker) -> None:
    import bookdesk.core.scheduler
    import bookdesk.core.scheduler.acquisition_hooks
    import bookdesk.core.scheduler.network  # noqa: F401 - loaded here, off the window's thread

    worker.net  # noqa: B018 - made here, off the window's thread


def _servers_switched_on(settings: Settings) -> set[str]:
    return {str(server.get("name")) for server in settings.audiobookshelf_servers if server.get("enabled", True)}
