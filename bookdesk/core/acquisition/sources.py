"""The indexers and download clients of the settings, built once for a run and closed after it:
what the CLI's ``search-wanted``, the window's searches and the client polls share."""

from __future__ import annotations

import httpx

from bookdesk.core.acquisition import config
from bookdesk.core.acquisition.blocklist import Blocklist
from bookdesk.core.acquisition.clients.factory import build_client
from bookdesk.core.acquisition.completed import ClientHandle, CompletedDownloads
from bookdesk.core.acquisition.search_wanted import DirectQueue, SearchWanted
from bookdesk.core.acquisition.torznab import TorznabIndexer
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore, source_secret
from bookdesk.core.settings import Settings


class AcquisitionSources:
    """``search`` asks the indexers and grabs; ``completed`` follows the clients and imports what they
    finished. ``http`` is the client the indexers are asked with (not closed here) and ``limiter`` the
    rate limiter every indexer and client takes its turn from (``worker.net.limiter``, or a command's
    ``net.limiter``; one for this run when not given)."""

    def __init__(self, library: LibraryService, settings: Settings, secrets: SecretStore, http: httpx.AsyncClient,
                 *, queue: DirectQueue | None = None, runner: JobRunner | None = None,
                 limiter: RateLimiter | None = None) -> None:
        limiter = limiter if limiter is not None else RateLimiter()
        self.indexer_configs = [i for i in config.indexers(settings.indexers) if i.enabled]
        self.client_configs = [c for c in config.clients(settings.download_clients) if c.enabled]
        self.indexers = [TorznabIndexer(i, secrets.get(source_secret("indexer", i.name)), http, limiter)
                         for i in self.indexer_configs]
        self.handles = [ClientHandle(c, build_client(c, secrets, limiter=limiter)) for c in self.client_configs]
        self.blocklist = Blocklist(library.catalog)
        self.search = SearchWanted(library, self.indexers, self.handles, self.blocklist, http,
                                   threshold=settings.grab_threshold, queue=queue, limiter=limiter)
        self.completed = CompletedDownloads(library, self.handles, self.blocklist,
                                            retry=self.search.retry_download, runner=runner)

    async def aclose(self) -> None:
        for handle in self.handles:
            await handle.client.aclose()
