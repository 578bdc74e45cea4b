"""The services of one open library, built in one place for whoever shows it (the window).

The window and its flows are handed this object instead of building core services themselves, and
new settings reach every service through ``apply_settings``: the series gaps follow a changed provider
order or gap policy at once, and the next identification is made with the new providers and tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bookdesk.core import paths
from bookdesk.core.editing.service import EditService
from bookdesk.core.library_service import LibraryService
from bookdesk.core.removal.service import RemovalService
from bookdesk.core.secrets import SecretStore
from bookdesk.core.series import summary_cache
from bookdesk.core.series.service import SeriesService
from bookdesk.core.settings import Settings
from bookdesk.core.worker import Worker

if TYPE_CHECKING:
    from bookdesk.core.acquisition.queue import DownloadQueue
    from bookdesk.core.audiobookshelf.send import SendReport, SendTarget
    from bookdesk.core.identify.service import IdentifyService
    from bookdesk.core.jobs import JobContext
    from bookdesk.core.series.check import AuthorCheck, CheckReport


class LibraryServices:
    """What the window needs of one open library: the library itself, its worker, the settings and
    secrets in force, and the services built over them."""

    def __init__(self, library: LibraryService, worker: Worker, settings: Settings, secrets: SecretStore) -> None:
        self.library, self.worker, self.secrets = library, worker, secrets
        self.settings = settings
        # The Series view's rows are kept between runs, so it opens at once after a restart.
        self.series = SeriesService(library.catalog, settings.gap_policy(), provider_order=settings.providers(),
                                    cache_file=summary_cache.cache_file_for(paths.cache_dir(), library.catalog.path))
        self.editing = EditService(library.catalog)  # every edit by hand: the dialogs, the context menu
        self._queue: DownloadQueue | None = None
        # Remove from Library, Remove Format, Merge Books, Split Format (undone through library.undo_job).
        self.removal = RemovalService(library.catalog)

    def identify_service(self) -> IdentifyService:
        """Built per job, on the worker's loop, so a settings or token change applies to the next job.
        The providers' clients (httpx and all) load with the first identification, not at start."""
        from bookdesk.core.identify import make_service

        return make_service.identify_service(self.library.catalog, self.worker.net, self.settings, self.secrets)

    def download_queue(self) -> DownloadQueue:
        """The library's one download queue, made on first use (it loads httpx, which the start does not
        need). A catalog's login is read from the settings in force when its download starts."""
        if self._queue is None:
            from bookdesk.core.acquisition.catalog_login import catalog_login
            from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings

            self._queue = DownloadQueue(self.library, settings=QueueSettings.from_settings(self.settings),
                                        limiter=self.worker.net.limiter, runner=self.worker.runner,
                                        credentials=lambda record: catalog_login(self.settings, self.secrets, record),
                                        secrets=self.secrets)
        return self._queue

    async def check_series(self, ctx: JobContext, series_ids: Sequence[int]) -> CheckReport:
        """A job the person waits for: ask the providers which books these series have."""
        from bookdesk.core.series.check import check_series  # the provider clients: loaded when first needed

        return await check_series(ctx, self.series, self.worker.net, self.settings, self.secrets, series_ids,
                                  user_waiting=True)

    async def check_author(self, ctx: JobContext, author: str) -> AuthorCheck:
        """A job the person waits for: an author's bibliography by series, so their missing books show."""
        from bookdesk.core.series.check import check_author

        return await check_author(ctx, self.series, self.worker.net, self.settings, self.secrets, author,
                                  user_waiting=True)

    async def abs_send_targets(self) -> tuple[list[SendTarget], list[str]]:
        """The book libraries of the Audiobookshelf servers switched on, to send books to; what kept a
        server from answering."""
        from bookdesk.core.audiobookshelf.config import find
        from bookdesk.core.audiobookshelf.send import send_targets

        return await send_targets(find(self.settings.audiobookshelf_servers, None), self.secrets,
                                  limiter=self.worker.net.limiter)

    async def send_to_abs(self, ctx: JobContext, target: SendTarget, work_ids: Sequence[int]) -> SendReport:
        """A job: the books' files to ``target``, linked once the server lists them."""
        from bookdesk.core.audiobookshelf.config import find
        from bookdesk.core.audiobookshelf.send import AbsSend

        config = find(self.settings.audiobookshelf_servers, target.server)[0]
        return await AbsSend(self.library.catalog, config, self.secrets, list(work_ids), library=target.library,
                             limiter=self.worker.net.limiter).run(ctx)

    async def aclose_downloads(self) -> None:
        """Stop the download queue's transfers, if the queue was made: on the worker's loop, before it stops
        (the window's acquisition flow closes its own; ``bookdesk serve`` closes it here)."""
        if self._queue is not None:
            await self._queue.aclose()

    def apply_settings(self, settings: Settings) -> None:
        """New settings in force for every service (the caller has saved them)."""
        self.settings = settings
        self.series.configure(settings.gap_policy(), settings.providers())

    def close(self) -> None:
        """After the worker has stopped: what the services hold open (the series' change watch)."""
        self.series.close()
