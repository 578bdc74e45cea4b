"""Fetching books as a person does it from the window: the download queue started after the first
paint, its news turned into queued signals, and the actions of the Downloads view.

The queue (core/acquisition/queue.py) runs on the worker's loop; every method here may be called
on the main thread. The queue module imports httpx, so it is loaded only once the window shows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from bookdesk import correlation
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.settings import Settings
from bookdesk.core.submission import Submission, log_failure
from bookdesk.errors import BookDeskError, UsageError
from bookdesk.ui import bridge
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter
from bookdesk.ui.settings_hub import SettingsHub

if TYPE_CHECKING:
    from bookdesk.core.acquisition.client_poller import ClientPoller
    from bookdesk.core.acquisition.progress import DownloadProgress
    from bookdesk.core.acquisition.queue import DownloadQueue
    from bookdesk.core.acquisition.ranking import RankedRelease, WantedWork
    from bookdesk.core.acquisition.sources import AcquisitionSources

log = logging.getLogger(__name__)

START_AFTER_MS = 700  # after the first paint and the series warm-up have begun
# What the status bar says a download action did.
DONE_WORDS = {"pause": "paused", "resume": "resumed", "cancel": "cancelled", "retry": "queued again",
              "remove": "removed"}


class AcquisitionFlow(QObject):
    progressed = Signal(object)  # DownloadProgress, from the worker thread (queued to the main thread)
    library_changed = Signal()  # a download was imported
    status = Signal(str)
    downloads_changed = Signal()  # rows changed outside the queue's and the poller's own news (a grab)
    imported = Signal(str)  # the title of a download that is now in the library

    def __init__(self, parent: QWidget, services: LibraryServices, settings_hub: SettingsHub,
                 presenter: ErrorPresenter) -> None:
        super().__init__(parent)
        self._parent, self.services, self.presenter = parent, services, presenter
        self.service, self.worker = services.library, services.worker
        self.settings, self.secrets = settings_hub.settings, services.secrets
        settings_hub.changed.connect(self.apply_settings)
        self._queue: DownloadQueue | None = None
        self._building: Submission | None = None  # the queue's build on the worker, once begun
        self._building_lock = threading.Lock()
        self._started = False
        self.progressed.connect(self._on_progress)
        self.client_ids: set[int] = set()
        self._retrying: set[int] = set()  # failed torrents whose next release is being looked for
        self._sources: AcquisitionSources | None = None  # made and used on the worker's loop
        self._sources_for: Settings | None = None
        self._poller: ClientPoller | None = None
        self._sent_on: set[int] = set()  # downloads whose audiobook went on to Audiobookshelf (abs_arrival_flow)

    # ----- life ------------------------------------------------------------------------------

    def start_later(self) -> None:
        QTimer.singleShot(START_AFTER_MS, self.start)

    @property
    def queue(self) -> DownloadQueue:
        """The download queue, built on the worker by ``start``. Asked for before it is built (an action
        in the first second after the window shows), this waits for the build."""
        if self._queue is None:
            if not self.worker.running:  # no worker to build it on (it stopped at quit): here, then
                return self._made_queue()
            return self._building_queue().result(30)
        return self._queue

    def _building_queue(self) -> Submission:
        """The one build of the queue, on the worker: its module loads httpx and rich, and making it
        reads the catalog, which on a big library stalled the window for up to a second and a half."""
        with self._building_lock:  # asked for on the GUI thread and on the worker's loop
            if self._building is None:
                self._building = self.worker.call(self._made_queue)
            return self._building

    def _made_queue(self) -> DownloadQueue:
        queue = self.services.download_queue()
        if self._queue is None:
            queue.add_listener(self.progressed.emit)  # a signal emitted off-thread is queued
            self._queue = queue
        return queue

    def start(self) -> None:
        """Start the queue on the worker (downloads left unfinished by the last run go on)."""
        if self._started or not self.worker.running:
            return
        self._started = True
        # Only logged when it fails (a read-only library, say, which its banner tells already).
        bridge.start(self._start_queue(), what="Start the download queue", quiet=True)

    async def _start_queue(self) -> None:
        queue = await self._building_queue()
        await self.worker.run(queue.astart)

    def stop(self) -> None:
        """At quit: transfers stop, their partial files kept for the next start."""
        if self._queue is not None and self._started:
            try:
                self._queue.stop()
            except Exception:  # quitting must go on
                log.exception("download queue did not stop cleanly")
        self._started = False

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings

    # ----- what the Downloads view asks --------------------------------------------------------

    def records(self) -> list[DownloadProgress]:
        """Every download, most recently changed first. It reads the catalog: the view calls it on the worker."""
        from bookdesk.core.acquisition.progress import progress_of

        records = self.service.downloads()
        self.client_ids = {r.id for r in records if r.kind != "http"}  # followed in a download client
        return [progress_of(record) for record in records]

    def kind_of(self, download_id: int) -> str:
        return next((r.kind for r in self.service.downloads() if r.id == download_id), "http")

    def fetch(self, urls: Sequence[str], *, work_id: int | None = None, import_after: bool = True,
              title: str | None = None, expected_format: str | None = None, source: str = "direct") -> list[int]:
        """Queue downloads of ``urls``; a bad address is said at once and the others are queued."""
        ids: list[int] = []
        problems: list[str] = []
        for url in urls:
            try:
                ids.append(self.queue.enqueue(url, work_id=work_id, import_after=import_after, title=title,
                                              expected_format=expected_format, source=source))
            except BookDeskError as exc:
                problems.append(exc.message)
        self.start()
        if problems:
            self.presenter.report("Some addresses were not queued:\n" + "\n".join(problems))
        if ids:
            self.status.emit(f"{len(ids)} download{'s' if len(ids) != 1 else ''} queued")
        return ids

    def act(self, action: str, download_ids: Sequence[int]) -> None:
        """pause, resume, cancel, retry or remove each of ``download_ids``; one failing does not stop the rest."""
        problems = []
        done = 0
        for download_id in download_ids:
            try:
                if download_id in self.client_ids and action == "retry":
                    self._retry_release(download_id)
                else:
                    getattr(self.queue, action)(download_id)
                done += 1
            except BookDeskError as exc:
                problems.append(exc.message)
        if action in ("resume", "retry"):
            self.start()
        if done:  # in place of what the status bar said before ("1 download queued")
            self.status.emit(f"{done} download{'s' if done != 1 else ''} {DONE_WORDS.get(action, action)}")
        if problems:
            self.presenter.report(f"Could not {action} every download:\n" + "\n".join(problems))

    def _on_progress(self, progress: DownloadProgress) -> None:
        if progress.state == "imported":
            self.library_changed.emit()
            self.imported.emit(progress.title or progress.url)
            from bookdesk.ui.abs_arrival_flow import send_downloaded

            send_downloaded(self, progress, self._sent_on)  # when a server takes downloaded audiobooks
        if progress.state == "failed" and progress.last_error:
            self.status.emit(f"Download failed: {progress.last_error} (Ref {progress.correlation_id})")

    # ----- indexers and download clients ---------------------------------------------------------

    async def current_sources(self) -> AcquisitionSources:
        """The indexers and clients of the current settings (on the worker's loop), made again when the
        settings changed."""
        from bookdesk.core.acquisition.sources import AcquisitionSources

        if self._sources is None or self._sources_for is not self.settings:
            old = self._sources
            queue = await self._building_queue()  # awaited: waiting for it here would block the build
            self._sources = AcquisitionSources(self.service, self.settings, self.secrets, self.worker.http,
                                               queue=queue, runner=self.worker.runner,
                                               limiter=self.worker.net.limiter)
            self._sources_for = self.settings
            if old is not None:
                await old.aclose()
        return self._sources

    def search(self, wanted: WantedWork) -> Submission:
        """Every indexer asked for ``wanted``, the releases ranked: await it for the WorkSearch."""
        async def run():  # noqa: ANN202
            sources = await self.current_sources()
            if not sources.indexers:
                raise UsageError("No indexer is set up: add Prowlarr or Jackett in Tools → Sources and "
                                 "Download Clients…")
            return await sources.search.search(wanted)
        return self.worker.run(run)

    async def grab(self, wanted: WantedWork, ranked: RankedRelease) -> int:
        """Hand a release to the download client (or the queue); the download's id."""
        async def run() -> int:
            sources = await self.current_sources()
            with correlation.bound(correlation.new_id()):
                return await sources.search.grab(wanted, ranked)
        self.start()
        try:
            return await self.worker.run(run)
        finally:
            self.downloads_changed.emit()  # the Downloads view has a new row (or shows the failed one)

    def _retry_release(self, download_id: int) -> None:
        """A torrent that failed: its release is on the blocklist; grab the next best one for the book."""
        if download_id in self._retrying:  # Retry asked again while the first is on its way: one grab
            return
        record = next(r for r in self.service.downloads() if r.id == download_id)

        async def run() -> str | None:
            return await (await self.current_sources()).search.retry_download(record)

        async def retry() -> None:
            try:
                said = await self.worker.run(run)
            except BookDeskError as exc:
                said = exc.message
            finally:
                self._retrying.discard(download_id)
            self.status.emit(f"{record.title}: {said or 'nothing else to try'}")
            self.downloads_changed.emit()
        self._retrying.add(download_id)
        bridge.start(retry(), what=f"Retry {record.title}", presenter=self.presenter)

    @property
    def poller(self) -> ClientPoller:
        """The one follower of the download clients: the scheduled job ("poll-clients") runs it on its
        schedule; what it finds reaches the window as the queue's news does (``progressed``), and what
        it finds wrong the status bar (``status``)."""
        if self._poller is None:
            from bookdesk.core.acquisition.client_poller import ClientPoller

            self._poller = ClientPoller(self.service, self.current_sources)
            self._poller.add_listener(self.progressed.emit)  # a signal emitted off-thread is queued
            self._poller.add_problem_listener(self.status.emit)  # an unmapped path, a client that is down
        return self._poller

    # ----- checking a source -------------------------------------------------------------------

    def test_source(self, kind: str, source: dict, secret: str, answer) -> None:  # noqa: ANN001 - a callable
        """Ask a catalog, indexer or client whether it answers with these settings; ``answer(kind, ok,
        text)`` is called on the main thread."""
        from bookdesk.core.acquisition.source_check import check_source

        async def check() -> None:
            try:
                said = await self.worker.run(lambda: check_source(kind, source, secret, self.secrets))
            except BookDeskError as exc:
                fingerprint = getattr(exc, "fingerprint", "")  # a certificate the person may accept (Settings asks)
                answer(kind, False, exc.message, *((fingerprint,) if fingerprint else ()))
                return
            except Exception as exc:  # a bug: still an answer, not silence
                ref = log_failure("Checking a source", exc)
                answer(kind, False, f"Unexpected error: {exc} (Ref {ref})")
                return
            answer(kind, True, said)
        bridge.start(check(), what=f"Test the {kind}", presenter=self.presenter)
