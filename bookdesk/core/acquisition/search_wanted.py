"""Search wanted: for every wanted book, ask the indexers, rank what they have, grab the best.

A work wanting both media kinds is searched once per kind. The best release that scores at
least the grab threshold goes to the first enabled download client (a torrent) or to the HTTP
download queue (a release whose link is the book file itself). An indexer that fails is named
in the work's summary and the others still count; a work that fails does not stop the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from bookdesk import correlation
from bookdesk.core.acquisition.blocklist import Blocklist
from bookdesk.core.acquisition.completed import TORRENT, ClientHandle
from bookdesk.core.acquisition.ranking import QualityProfile, RankedRelease, Ranking, WantedWork, rank
from bookdesk.core.acquisition.release_links import DirectFile, ReleaseLinkError, resolve_link
from bookdesk.core.acquisition.torznab import IndexerError, Release, TorznabIndexer
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.net.redact import redact_url
from bookdesk.core.series.summaries import WantedBook
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.data.download_repository import DownloadDraft, DownloadRepository
from bookdesk.errors import BookDeskError
from bookdesk.vocabulary.people import split_people

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
MAX_LINK_TRIES = 3  # releases whose links lead nowhere are blocklisted and the next one tried, this often

# Outcomes of one work's search. FOUND: a release above the threshold, not grabbed (yet).
FOUND, GRABBED, DRY_RUN, BELOW_THRESHOLD, NOTHING_FOUND, ALREADY, FAILED = (
    "found", "grabbed", "dry-run", "below-threshold", "nothing-found", "already-downloading", "failed")


class DirectQueue(Protocol):
    """The HTTP download queue as search-wanted uses it (``queue.DownloadQueue``)."""

    def enqueue(self, url: str, *, title: str | None = None, work_id: int | None = None,
                expected_format: str | None = None, media_kind: str | None = None, import_after: bool = True,
                source: str = "direct", indexer: str | None = None, guid: str | None = None) -> int: ...


class GrabError(BookDeskError):
    """A release could not be handed to a client or the queue."""


@dataclass(slots=True)
class WorkSearch:
    """What searching for one wanted work (in one media kind) came to."""

    work_id: int
    title: str
    media_kind: str | None
    releases: int = 0  # found, blocked ones included
    blocked: int = 0
    ranked: list[RankedRelease] = field(default_factory=list)  # best first
    best: RankedRelease | None = None
    grabbed: bool = False
    outcome: str = NOTHING_FOUND
    download_id: int | None = None
    error: str | None = None
    indexer_errors: list[str] = field(default_factory=list)
    correlation_id: str | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == FAILED


def wanted_works(books: Sequence[WantedBook]) -> list[WantedWork]:
    """One search per wanted book and media kind ("any" kind: one search for either)."""
    found = []
    for book in books:
        authors = tuple(split_people([book.authors])) if book.authors else ()
        for kind in book.media_kinds or (None,):
            found.append(WantedWork(book.id, book.title, authors, kind))
    return found


class SearchWanted:
    def __init__(self, library: LibraryService, indexers: Sequence[TorznabIndexer], clients: Sequence[ClientHandle],
                 blocklist: Blocklist, http: httpx.AsyncClient, *, threshold: float = DEFAULT_THRESHOLD,
                 profile: QualityProfile | None = None, queue: DirectQueue | None = None,
                 limiter: RateLimiter | None = None) -> None:
        self.library = library
        self.indexers = list(indexers)
        self.clients = [c for c in clients if c.config.enabled]
        self.blocklist = blocklist
        self.http = http
        self.limiter = limiter  # the torrent links take their turn from it (the indexers' own)
        self.threshold = threshold
        self.profile = profile or QualityProfile()
        self.queue = queue
        self._wanted: dict[tuple[int, str | None], WantedWork] = {}
        self._too_slow: dict[str, str] = {}  # indexer name -> why it is not asked again in this run

    # ----- searching ----------------------------------------------------------------------------

    async def search(self, wanted: WantedWork, *, isbn: str | None = None) -> WorkSearch:
        """Every indexer asked, every release ranked (blocked ones set aside); nothing grabbed."""
        self._wanted[(wanted.work_id, wanted.media_kind)] = wanted
        result = WorkSearch(wanted.work_id, wanted.title, wanted.media_kind)
        releases: list[Release] = []
        author = wanted.authors[0] if wanted.authors else ""
        for indexer in self.indexers:
            if not indexer.config.enabled:
                continue
            if indexer.name in self._too_slow:  # it held one search to its deadline: not every other one too
                result.indexer_errors.append(self._too_slow[indexer.name])
                continue
            try:
                releases += await indexer.search(wanted.title, author, media_kind=wanted.media_kind, isbn=isbn)
            except IndexerError as exc:
                log.warning("%s", exc.message)
                result.indexer_errors.append(exc.message)
                if exc.too_slow:
                    self._too_slow[indexer.name] = exc.message
        ranking: Ranking = rank(releases, wanted, self.profile, blocked=self.blocklist.blocked_for(wanted.work_id))
        result.releases, result.blocked = len(releases), len(ranking.blocked)
        result.ranked = ranking.releases
        result.best = ranking.releases[0] if ranking.releases else None
        if not releases and result.indexer_errors and len(result.indexer_errors) == len(
                [i for i in self.indexers if i.config.enabled]):
            result.outcome, result.error = FAILED, "; ".join(result.indexer_errors)
        elif result.best is None:
            result.outcome = NOTHING_FOUND
        elif result.best.total < self.threshold:
            result.outcome = BELOW_THRESHOLD
        else:
            result.outcome = FOUND
        return result

    async def search_and_grab(self, wanted: WantedWork, *, dry_run: bool = False) -> WorkSearch:
        """Search for one wanted work and grab its best release above the threshold."""
        cid = correlation.current() or correlation.new_id()
        with correlation.bound(cid):
            try:
                result = await self.search(wanted)
            except BookDeskError as exc:
                return WorkSearch(wanted.work_id, wanted.title, wanted.media_kind, outcome=FAILED, error=exc.message,
                                  correlation_id=cid)
            result.correlation_id = cid
            if result.outcome in (FAILED, NOTHING_FOUND, BELOW_THRESHOLD):
                return result
            if dry_run:
                result.outcome = DRY_RUN
                return result
            if self._downloading(wanted):
                result.outcome = ALREADY
                return result
            await self._grab_best(wanted, result)
            return result

    async def run(self, books: Sequence[WantedBook], *, dry_run: bool = False) -> list[WorkSearch]:
        """Search (and grab) for every wanted book; each gets its own correlation id."""
        results = []
        for wanted in wanted_works(books):
            with correlation.bound(correlation.new_id()):
                results.append(await self.search_and_grab(wanted, dry_run=dry_run))
        return results

    # ----- grabbing -----------------------------------------------------------------------------

    def _downloading(self, wanted: WantedWork) -> bool:
        with self.library.catalog.read() as session:
            rows = DownloadRepository(session).active()
        return any(r.work_id == wanted.work_id and (wanted.media_kind is None or r.media_kind in (None, wanted.media_kind))
                   for r in rows)

    async def _grab_best(self, wanted: WantedWork, result: WorkSearch) -> None:
        # Usenet releases are ranked (the UI shows them) but not grabbed: BookDesk drives no Usenet client yet.
        candidates = [r for r in result.ranked
                      if r.total >= self.threshold and r.release.protocol != "usenet"][:MAX_LINK_TRIES]
        if not candidates:
            result.outcome, result.error = FAILED, "The releases above the threshold are all Usenet releases, " \
                                                   "and BookDesk drives no Usenet client yet."
            return
        for candidate in candidates:
            result.best = candidate
            try:
                result.download_id = await self.grab(wanted, candidate)
            except ReleaseLinkError as exc:  # the release's fault: never again, and the next one
                self.blocklist.block_release(candidate.release, wanted.work_id, exc.message)
                result.error = exc.message
                continue
            except BookDeskError as exc:  # a client or the queue's trouble: the release is not to blame
                result.outcome, result.error = FAILED, exc.message
                return
            result.grabbed, result.outcome, result.error = True, GRABBED, None
            return
        result.outcome = FAILED

    async def grab(self, wanted: WantedWork, ranked: RankedRelease) -> int:
        """Hand one release to a client (a torrent) or the download queue (a direct file); returns the
        Download row's id."""
        release = ranked.release
        media_kind = ranked.media_kind or wanted.media_kind
        resolved = await resolve_link(release, self.http, self.limiter)
        if isinstance(resolved, DirectFile):
            if self.queue is None:
                raise GrabError(f"{release.title!r} is a direct download, and no download queue is running.")
            return self.queue.enqueue(resolved.url, title=release.title, work_id=wanted.work_id,
                                      expected_format=ranked.format, media_kind=media_kind,
                                      source=f"indexer:{release.indexer}", indexer=release.indexer,
                                      guid=release.guid)
        if not self.clients:
            raise GrabError("No download client is set up (or none is enabled): add one in Settings → "
                            "Sources & Clients → Download clients.")
        handle = self.clients[0]
        config = handle.config
        torrent_id = await handle.client.add(resolved, category=config.category, save_path=config.save_path or None)
        log.info("grabbed %r from %s into %s (%s)", release.title, release.indexer, config.name, torrent_id)
        with self.library.catalog.write() as session:
            return DownloadRepository(session).add(DownloadDraft(
                url=redact_url(release.magnet or release.link), source=f"indexer:{release.indexer}", kind=TORRENT,
                title=release.title, work_id=wanted.work_id, expected_format=ranked.format, media_kind=media_kind,
                indexer=release.indexer, guid=release.guid, client=config.name, client_id=torrent_id,
                save_path=config.save_path or None, correlation_id=correlation.current() or correlation.new_id(),
                state="queued"))

    async def retry_download(self, failed: DownloadRecord) -> str | None:
        """After a release failed (and was blocklisted): grab the next candidate for its work."""
        if failed.work_id is None:
            return None
        wanted = self._wanted.get((failed.work_id, failed.media_kind)) or self._wanted.get((failed.work_id, None))
        if wanted is None:
            wanted = self._wanted_from_library(failed)
        if wanted is None:
            return None
        # Under the failed download's Ref, so the log tells the retry with its failure; the download it
        # grabs imports under a Ref of its own all the same (arrival.import_ref), never taken for this one's.
        with correlation.bound(failed.correlation_id or correlation.new_id()):
            result = await self.search_and_grab(wanted)
        if result.grabbed and result.best is not None:
            return f"grabbed {result.best.release.title!r} ({result.best.total:.2f}) instead"
        return f"no other release: {result.error or result.outcome}"

    def _wanted_from_library(self, failed: DownloadRecord) -> WantedWork | None:
        try:
            detail = self.library.detail(failed.work_id or 0)
        except BookDeskError:
            return None
        return WantedWork(failed.work_id or 0, detail.title, tuple(detail.authors), failed.media_kind)
