"""Torrents in the download clients, watched until they are books in the library.

Each poll asks every client about the torrents BookDesk added (the Download rows of kind
"torrent"), keeps the rows' progress and state in step, and takes every completed one through:
the client's path mapped to this machine's, the book found among the torrent's files and
checked against the wanted work, imported and linked to it, the row marked imported, and the
torrent removed when the client is set to (otherwise it keeps seeding from its own copy).

A release that fails (not the book, unreadable, or errored in the client) is blocklisted, its
torrent and data removed, and the next candidate for the work is grabbed. Trouble that is not
the release's fault (the client offline, a path this machine cannot see) is written on the row
and tried again at the next poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk import correlation
from bookdesk.core.acquisition.arrival import ArrivalResult, arrived_for, import_arrival_async, import_ref
from bookdesk.core.acquisition.blocklist import HASH_GUID_PREFIX, Blocklist
from bookdesk.core.acquisition.clients.base import (
    COMPLETED,
    DOWNLOADING,
    ERROR,
    MISSING,
    PAUSED,
    ClientError,
    ClientTorrent,
    DownloadClient,
)
from bookdesk.core.acquisition.config import ClientConfig
from bookdesk.core.acquisition.ranking import QualityProfile
from bookdesk.core.acquisition.release_files import (
    ReleaseCheckError,
    book_files,
    choose_book,
    describe_content,
    verify_book,
)
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.data.download_repository import DownloadRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

TORRENT = "torrent"
ADD_GRACE = timedelta(minutes=2)  # a client may take a moment to list a torrent it was just given
_ROW_STATES = {DOWNLOADING: "running", PAUSED: "paused", COMPLETED: "running", ERROR: "running",
               MISSING: "running"}


@dataclass(frozen=True, slots=True)
class ClientHandle:
    """A configured client and the object that talks to it."""

    config: ClientConfig
    client: DownloadClient


@dataclass(slots=True)
class CompletedOutcome:
    """What one poll did with one download."""

    download_id: int
    title: str
    state: str  # the row's state after the poll: running, paused, queued, completed, imported, failed
    work_id: int | None = None
    placed: list[str] = field(default_factory=list)
    error: str | None = None
    blocklisted: bool = False
    next_grab: str | None = None  # what was grabbed instead of a failed release, in words


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Given the failed download, grab the next candidate for its work; returns what was grabbed, in words.
Retry = Callable[[DownloadRecord], Awaitable[str | None]]


class CompletedDownloads:
    def __init__(self, library: LibraryService, clients: Sequence[ClientHandle], blocklist: Blocklist, *,
                 retry: Retry | None = None, durations: Callable[[int], float | None] | None = None,
                 profile: QualityProfile | None = None, runner: JobRunner | None = None) -> None:
        """``durations``: the wanted audiobook's length by work id, when known; ``runner``: the worker's
        JobRunner, so imports show in the Activity view."""
        self.library = library
        self.clients = {h.config.name: h for h in clients}
        self.blocklist = blocklist
        self.retry = retry
        self.durations = durations
        self.profile = profile or QualityProfile()
        self.runner = runner

    def _rows(self) -> list[DownloadRecord]:
        with self.library.catalog.read() as session:
            repo = DownloadRepository(session)
            rows = repo.active(TORRENT)
            # Completed but not imported: an import that a crash or an unmapped path interrupted.
            waiting = [r for r in repo.recent() if r.kind == TORRENT and r.state == "completed" and r.import_after]
        return [*rows, *(r for r in waiting if r.id not in {x.id for x in rows})]

    def _update(self, download_id: int, **values: object) -> None:
        with self.library.catalog.write() as session:
            DownloadRepository(session).update(download_id, **values)

    async def poll(self) -> list[CompletedOutcome]:
        """Bring every torrent Download row up to date, and import the completed ones. One poll at a time:
        the app and the scheduled job ask through the one ``ClientPoller`` (client_poller.py)."""
        outcomes: list[CompletedOutcome] = []
        by_client: dict[str, list[DownloadRecord]] = {}
        for row in self._rows():
            by_client.setdefault(row.client or "", []).append(row)
        for name, rows in by_client.items():
            handle = self.clients.get(name)
            if handle is None:
                for row in rows:
                    error = f"The download client {name!r} is no longer set up."
                    self._update(row.id, last_error=error)
                    outcomes.append(CompletedOutcome(row.id, row.title or "", row.state, row.work_id, error=error))
                continue
            try:
                torrents = {t.id: t for t in await handle.client.status([r.client_id or "" for r in rows])}
            except ClientError as exc:  # offline or refusing: the rows wait for the next poll
                for row in rows:
                    self._update(row.id, last_error=exc.message)
                    outcomes.append(CompletedOutcome(row.id, row.title or "", row.state, row.work_id,
                                                     error=exc.message))
                continue
            for row in rows:
                outcomes.append(await self._follow(row, torrents.get((row.client_id or "").lower()), handle))
        return outcomes

    async def _follow(self, row: DownloadRecord, torrent: ClientTorrent | None, handle: ClientHandle
                      ) -> CompletedOutcome:
        if torrent is None:
            if row.created_at is not None and _now() - row.created_at < ADD_GRACE:
                return CompletedOutcome(row.id, row.title or "", row.state, row.work_id)  # still being added
            error = f"The torrent is no longer in {handle.config.name}; it was removed there."
            self._update(row.id, state="failed", last_error=error)
            return CompletedOutcome(row.id, row.title or "", "failed", row.work_id, error=error)
        if torrent.state in (ERROR, MISSING):
            return await self._fail(row, handle, torrent.error or "the client reports an error", remove=True)
        if not torrent.complete:
            state = _ROW_STATES.get(torrent.state, "queued")
            self._update(row.id, state=state, bytes_done=torrent.downloaded, bytes_total=torrent.size or None,
                         last_error=None)
            return CompletedOutcome(row.id, row.title or "", state, row.work_id)
        with correlation.bound(row.correlation_id or correlation.new_id()):
            return await self._import(row, torrent, handle)

    async def _import(self, row: DownloadRecord, torrent: ClientTorrent, handle: ClientHandle) -> CompletedOutcome:
        """Find, check and import the book of one completed torrent."""
        local = Path(handle.config.local_path(torrent.content_path))
        self._update(row.id, state="completed", bytes_done=torrent.size, bytes_total=torrent.size or None,
                     path=str(local))
        if not row.import_after:
            return CompletedOutcome(row.id, row.title or "", "completed", row.work_id)
        files: list[Path] = []
        if arrived_for(self.library, row.id) is None:  # else imported already: a crash kept the row from saying so
            if not local.exists():
                error = (f"{handle.config.name} put the download in {torrent.content_path}, which this computer "
                         f"cannot see as {local}: add a path mapping for the client in Settings → Sources & Clients → Download clients.")
                self._update(row.id, last_error=error)
                log.warning("%s", error)
                return CompletedOutcome(row.id, row.title or "", "completed", row.work_id, error=error)
            try:
                found_files = book_files(local)
                if not found_files:
                    raise ReleaseCheckError(f"The release holds no {row.media_kind or 'book'}: only "
                                            f"{describe_content(local)}.")
                chosen, book_format = choose_book(found_files, media_kind=row.media_kind,
                                                  expected_format=row.expected_format, title=row.title or "",
                                                  profile=self.profile)
                duration = self.durations(row.work_id) if self.durations and row.work_id else None
                found = await asyncio.to_thread(verify_book, chosen, book_format, expected_duration=duration,
                                                sizes=self.profile.sizes)
            except ReleaseCheckError as exc:
                return await self._fail(row, handle, exc.message, remove=True)
            files = list(found.files)
        remove = handle.config.remove_after_import
        mode = "move" if remove else "copy"  # a torrent that keeps seeding keeps its own copy

        def imported(session: Session, arrival: ArrivalResult) -> None:  # with the book made owned, not after
            DownloadRepository(session).update(row.id, state="imported", work_id=arrival.work_id, last_error=None,
                                               path=arrival.placed[0] if arrival.placed else str(local))

        arrival = await import_arrival_async(self.library, files, work_id=row.work_id, mode=mode,
                                             correlation_id=import_ref(self.library, row.id), runner=self.runner,
                                             finish=imported)
        if not arrival.ok:
            reason = "; ".join(f"{Path(f).name}: {why}" for f, why in arrival.failures) or "nothing was imported"
            return await self._fail(row, handle, f"The import failed: {reason}", remove=True)
        log.info("%s imported from %s as work %s", row.title, handle.config.name, arrival.work_id)
        if remove:
            try:
                await handle.client.remove(torrent.id, delete_files=True)
            except ClientError as exc:
                log.warning("imported, but %s", exc.message)
        return CompletedOutcome(row.id, row.title or "", "imported", arrival.work_id, list(arrival.placed))

    async def _fail(self, row: DownloadRecord, handle: ClientHandle, reason: str, *, remove: bool
                    ) -> CompletedOutcome:
        """The release is bad: blocklist it, drop its torrent and data, and grab the next candidate."""
        log.warning("%s failed: %s", row.title, reason)
        self.blocklist.block(work_id=row.work_id, indexer=row.indexer,
                             guid=row.guid or (HASH_GUID_PREFIX + row.client_id if row.client_id else None),
                             title=row.title or row.client_id or "", reason=reason,
                             correlation_id=row.correlation_id)
        self._update(row.id, state="failed", last_error=reason)
        if remove and row.client_id:
            try:
                await handle.client.remove(row.client_id, delete_files=True)
            except ClientError as exc:
                log.warning("could not remove the failed torrent: %s", exc.message)
        outcome = CompletedOutcome(row.id, row.title or "", "failed", row.work_id, error=reason, blocklisted=True)
        if self.retry is not None and row.work_id is not None:
            try:
                outcome.next_grab = await self.retry(row)
            except Exception as exc:  # noqa: BLE001 - the failure is recorded whatever the retry does
                log.warning("no next candidate for %s: %s", row.title, exc)
                outcome.next_grab = f"no next candidate: {exc}"
        return outcome
