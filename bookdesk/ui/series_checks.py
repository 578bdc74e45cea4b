"""Asking the providers about series from the window: the Series view's Check Providers, an author's
Check in the Authors view, and Book → Check Monitored Series. And, once the window is up and idle, every
series' gaps worked out on the worker, so the Series view opens at once later without slowing the start."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from bookdesk.core.collector_pause import settle_long_lived
from bookdesk.core.library_services import LibraryServices
from bookdesk.core.worker import JobHandle
from bookdesk.ui.bridge import JobBridge

WARM_AFTER_MS = 500  # after the first paint; the start itself is not slowed


class SeriesChecks(QObject):
    checked = Signal()  # a check has ended: the series figures may have changed
    said = Signal(str)  # for the status bar

    def __init__(self, parent: QObject, services: LibraryServices, bridge: JobBridge) -> None:
        super().__init__(parent)
        self.services, self.bridge = services, bridge
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self._warm)

    def warm_later(self) -> None:
        self._warm_timer.start(WARM_AFTER_MS)

    def stop(self) -> None:
        self._warm_timer.stop()

    def check_series(self, series_ids: list[int]) -> str:
        """Ask the providers which books these series have; the series views show the gaps after."""
        if not series_ids:
            return ""
        services = self.services
        handle = services.worker.submit("series-check", f"Check {len(series_ids)} series with the providers",
                                        lambda ctx: services.check_series(ctx, series_ids))
        return self._follow(handle)

    def check_author(self, author: str) -> str:
        """Fetch an author's bibliography by series; their missing books then show in Authors and Series."""
        services = self.services
        handle = services.worker.submit("author-check", f"Check {author} with the providers",
                                        lambda ctx: services.check_author(ctx, author))
        return self._follow(handle)

    def check_monitored(self) -> str:
        ids = [s.id for s in self.services.series.summaries() if s.monitored]
        if not ids:
            self.said.emit("No series is monitored yet: tick Monitor in the Series view.")
            return ""
        return self.check_series(ids)

    def _follow(self, handle: JobHandle) -> str:
        # How the job ended is said by the window like any job's; here only that the figures may have changed.
        self.bridge.start(self._after(handle), what=f"After {handle.what}", owner=self)
        return handle.correlation_id

    async def _after(self, handle: JobHandle) -> None:
        await handle
        self.checked.emit()

    def _warm(self) -> None:
        if self.services.worker.running:  # only logged when it fails: the views compute what they need anyway
            self.bridge.start(self._warm_cache(), what="Warm the series cache", quiet=True, owner=self)

    async def _warm_cache(self) -> None:
        await self.services.worker.call(self.services.series.warm)
        # The library's big structures are built now: later collections need not go over them again.
        await self.services.worker.call(settle_long_lived)
