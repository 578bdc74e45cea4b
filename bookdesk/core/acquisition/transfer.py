"""The steps of one download, as the queue runs them: fetch, check, rename out of ``.part``, import.

``TransferSteps`` works on one download at a time; the queue (queue.py) decides which downloads
run, answers the UI, and hands the steps what they work with. Both change rows through one
``DownloadRows`` (download_rows.py), so every change is told to the listeners.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from bookdesk.core.acquisition.address_login import with_login
from bookdesk.core.acquisition.download_rows import DownloadRows
from bookdesk.core.acquisition.file_check import FileCheckError, check_download, claimed_format
from bookdesk.core.acquisition.http_fetch import (
    Accepted,
    FetchError,
    PartOpener,
    fetch_to_part,
    file_name_from_url,
)
from bookdesk.core.acquisition.progress import SpeedMeter, progress_of
from bookdesk.core.acquisition.queue_settings import QueueSettings
from bookdesk.core.acquisition.staging import DOWNLOADS, final_name, part_path, unique_path
from bookdesk.core.disk_full import disk_full_error, is_disk_full
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.errors import BookDeskError

# The import of what arrived (arrival.py, the importer, SQLAlchemy's repositories) is loaded when a download
# is imported, not before: ``bookdesk fetch --no-import`` never needs it and starts without it.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bookdesk.core.acquisition.arrival import ArrivalResult
    from bookdesk.core.jobs import JobRunner
    from bookdesk.core.library_service import LibraryService

log = logging.getLogger(__name__)

Credentials = Callable[[DownloadRecord], "httpx.Auth | None"]


class TransferSteps:
    """Fetch, check, rename and import one download, changing its row through ``rows``.

    ``settings``: retries and how often progress is told. ``limiter``: each request waits for its
    host's turn. ``secrets``: where a login written into an address is kept. ``runner``: the JobRunner
    whose listeners hear of the imports. ``opener``: how ``.part`` files are opened (a test seam for a
    full disk). ``clock``: UTC now, for retry times. ``credentials``: the login of a download's source,
    when it has one.
    """

    def __init__(self, library: LibraryService, rows: DownloadRows, *, settings: QueueSettings,
                 limiter: RateLimiter, secrets: SecretStore, clock: Callable[[], datetime],
                 opener: PartOpener, runner: JobRunner | None = None,
                 credentials: Credentials | None = None) -> None:
        self.library, self.rows = library, rows
        self.settings, self.limiter, self.secrets = settings, limiter, secrets
        self.clock, self.opener, self.runner, self.credentials = clock, opener, runner, credentials
        self.importing: set[int] = set()  # downloads being imported now: not to be paused, cancelled or removed

    async def attempt(self, record: DownloadRecord, host: str, http: httpx.Client) -> None:
        """One attempt at ``record``, fetched with ``http`` once ``host`` has its turn."""
        download_id = record.id
        staged = self.library.absolute(record.path) if record.path else None
        if staged is not None and (staged.is_file() or self._imported_before(record)):
            await self._import_staged(download_id, staged)  # fetched already; its import failed or was cut short
            return
        part = self.library.absolute(record.part_path or part_path(download_id))
        part.parent.mkdir(parents=True, exist_ok=True)
        self.rows.set(download_id, state="running", attempts=record.attempts + 1, next_retry_at=None)
        await self.limiter.acquire(host)
        meter = _Meter(self, record, self.rows.part_size(record))
        accepted: list[Accepted] = []

        def on_accepted(answer: Accepted) -> None:
            accepted.append(answer)
            self.limiter.observe(host, answer.status, answer.headers)
            name = answer.file_name or record.file_name
            self.rows.set(download_id, bytes_total=answer.total, validator=answer.validator, file_name=name,
                          bytes_done=answer.offset)
            meter.restart(answer.offset)
            if answer.offset:
                log.info("download resumed at byte %d", answer.offset, extra={"download_id": download_id})

        try:
            url, login = with_login(record.url, self.secrets)  # the login its address came with
            auth = (self.credentials(record) if self.credentials is not None else None) or login
            result = await fetch_to_part(http, url, part, validator=record.validator,
                                         on_accepted=on_accepted, on_progress=meter.step, opener=self.opener,
                                         auth=auth)
        except FetchError as exc:
            if not accepted:
                self.limiter.observe(host, exc.status, exc.headers)
            self._attempt_failed(record, exc, progressed=meter.progressed)
            return
        await self._finish(self.rows.get(download_id), part, result.bytes_total)

    def _attempt_failed(self, record: DownloadRecord, exc: FetchError, *, progressed: bool) -> None:
        attempts = 0 if progressed else record.attempts + 1
        size = self.rows.part_size(record)
        if exc.retryable and attempts < self.settings.max_attempts:
            backoff = 0.0 if progressed else min(self.settings.max_backoff,
                                                  self.settings.backoff * 2 ** max(0, attempts - 1))
            delay = max(backoff, exc.retry_after or 0.0)
            log.warning("download attempt failed, retrying in %.1f s: %s", delay, exc.message,
                        extra={"download_id": record.id})
            self.rows.set(record.id, state="queued", attempts=attempts, bytes_done=size, last_error=exc.message,
                          next_retry_at=self.clock() + timedelta(seconds=delay))
            return
        if exc.retryable:
            message = f"{exc.message} Gave up after {self.settings.max_attempts} attempts."
        else:
            message = exc.message
        log.error("download failed: %s", message, extra={"download_id": record.id})
        self.rows.set(record.id, state="failed", bytes_done=size, last_error=message, next_retry_at=None)

    async def _finish(self, record: DownloadRecord, part: Path, total: int | None) -> None:
        name = record.file_name or file_name_from_url(record.url)
        claimed = claimed_format(record.expected_format, name)
        try:
            checked = await asyncio.to_thread(check_download, part, expected_size=total, claimed=claimed,
                                              strict=bool(record.expected_format))
        except FileCheckError as exc:
            part.unlink(missing_ok=True)  # not the book: nothing of it is worth keeping
            log.error("download rejected: %s", exc.message, extra={"download_id": record.id})
            self.rows.set(record.id, state="failed", last_error=exc.message, bytes_done=0, validator=None)
            return
        folder = self.library.folder / DOWNLOADS
        final = unique_path(folder, final_name(name, record.title or f"download-{record.id}", checked.format))
        os.replace(part, final)
        relative = final.relative_to(self.library.folder).as_posix()
        self.rows.set(record.id, state="completed", path=relative, bytes_done=checked.size, bytes_total=checked.size,
                      media_kind=record.media_kind or checked.format.media_kind, last_error=None)
        log.info("download complete: %s", relative, extra={"download_id": record.id})
        if record.import_after:
            await self._import_staged(record.id, final)

    async def _import_staged(self, download_id: int, staged: Path) -> None:
        from bookdesk.core.acquisition.arrival import import_arrival_async, import_ref

        record = self.rows.get(download_id)
        self.importing.add(download_id)
        try:
            self.rows.set(download_id, state="completed", last_error=None)
            arrival = await import_arrival_async(self.library, [staged], work_id=record.work_id,
                                                 correlation_id=import_ref(self.library, download_id),
                                                 runner=self.runner,
                                                 finish=lambda session, done: _imported(session, download_id, done))
        finally:
            self.importing.discard(download_id)
        if arrival.failures:
            reason = "; ".join(reason for _, reason in arrival.failures)
            self.rows.set(download_id, state="failed", last_error=f"Downloaded, but not imported: {reason}",
                          work_id=arrival.work_id or record.work_id)
            return
        if arrival.duplicates and not arrival.placed:
            staged.unlink(missing_ok=True)  # the very same file is in the library already
        if not arrival.ok:  # nothing came of it, and nothing failed: nothing to wait for either
            with self.library.catalog.write() as session:
                _imported(session, download_id, arrival)
        self.rows.emit(download_id)

    def _imported_before(self, record: DownloadRecord) -> bool:
        """Its files were imported, and a crash came before the row could say so."""
        from bookdesk.core.acquisition.arrival import arrived_for

        return arrived_for(self.library, record.id) is not None

    def give_up(self, record: DownloadRecord, exc: Exception) -> None:
        """End a download that crashed, as failed. When even that cannot be recorded (a full disk, damage
        found in use, a disk remounted read-only, any refusal of the catalog), the failure is kept in
        memory (``rows.unrecorded``) for the listeners and ``wait``: the row stays "running" until the next
        start of the queue, and the download is never left hanging."""
        if is_disk_full(exc):
            error: BookDeskError = disk_full_error(exc, self.library.folder, record.correlation_id)
            log.error("download stopped: the disk is full", extra={"download_id": record.id}, exc_info=exc)
        elif isinstance(exc, BookDeskError):  # the catalog's own refusal, already in plain words
            exc.correlation_id = exc.correlation_id or record.correlation_id
            error = exc
            log.error("download stopped: %s", exc.message, extra={"download_id": record.id}, exc_info=exc)
        else:
            log.exception("download crashed")
            error = BookDeskError(f"The download stopped on an unexpected error: {exc}",
                                  correlation_id=record.correlation_id)
        try:
            self.rows.set(record.id, state="failed", last_error=error.message)
        except Exception as again:  # whatever it is, the download has ended: its waiters must hear so
            unrecorded = self._unrecordable(again, record)
            log.error("the end of the download could not be recorded: %s", unrecorded.message,
                      extra={"download_id": record.id})
            # Its book may be in already (the catalog filled between the import and the row's last word):
            # then it is told as imported, with the reason the row does not say so yet.
            landed = self._landed(record)
            if landed:
                unrecorded = _with_message(unrecorded, "The book was imported into the library, but the catalog "
                                                       f"could not record that its download finished: "
                                                       f"{unrecorded.message}")
            self.rows.unrecorded[record.id] = ("imported" if landed else "failed", unrecorded)
            self.rows.emit(record.id)

    def _landed(self, record: DownloadRecord) -> bool:
        try:
            return self._imported_before(record)
        except Exception:  # a catalog that cannot be read either: nothing better can be said
            log.warning("could not tell whether the download's book was imported", exc_info=True)
            return False

    def _unrecordable(self, exc: Exception, record: DownloadRecord) -> BookDeskError:
        """The error a person hears for a catalog that would not record how a download ended."""
        if is_disk_full(exc):
            return disk_full_error(exc, self.library.folder, record.correlation_id)
        if isinstance(exc, BookDeskError):
            exc.correlation_id = exc.correlation_id or record.correlation_id
            return exc
        return BookDeskError(f"The download stopped, and the library's catalog could not record it: {exc}",
                             correlation_id=record.correlation_id)


def _imported(session: Session, download_id: int, arrival: ArrivalResult) -> None:
    """Mark the download imported: in the transaction that makes its book owned (see arrival.py). A file
    the library had already placed nothing: the download's path is then the library's own file."""
    from bookdesk.data.download_repository import DownloadRepository

    DownloadRepository(session).update(download_id, state="imported", work_id=arrival.work_id, last_error=None,
                                       path=arrival.placed[0] if arrival.placed else _already_here(session, arrival))


def _already_here(session: Session, arrival: ArrivalResult) -> str | None:
    """The library file the same as the one a download brought (the import found it a duplicate)."""
    from bookdesk.data.import_repository import ImportRepository
    from bookdesk.data.work_repository import WorkRepository

    if not arrival.duplicates or arrival.correlation_id is None:
        return None
    for source in ImportRepository(session).sources_of(arrival.correlation_id):
        found = None if source.target_path else WorkRepository(session).find_by_file_hash(source.content_hash)
        if found is not None:
            return found[1]
    return None


class _Meter:
    """Progress of one transfer: listeners a few times a second, the catalog about once a second."""

    def __init__(self, steps: TransferSteps, record: DownloadRecord, start: int) -> None:
        self.steps, self.record = steps, record
        now = time.monotonic()
        self.speed = SpeedMeter(now, start)
        self.high = start  # the most the part held before this attempt
        self.done = start
        self.last_emit = self.last_save = now

    @property
    def progressed(self) -> bool:
        """More on disk than before the attempt: a server that drops the line again and again while
        ignoring Range never counts as progressing, so it runs out of attempts."""
        return self.done > self.high

    def restart(self, offset: int) -> None:
        self.done = offset
        self.speed = SpeedMeter(time.monotonic(), offset)

    def step(self, done: int, total: int | None) -> None:
        self.done = done
        now = time.monotonic()
        settings = self.steps.settings
        if now - self.last_emit >= settings.progress_interval:
            self.last_emit = now
            speed = self.speed.sample(now, done)
            self.steps.rows.tell(progress_of(_with(self.record, done, total), done, speed))
        if now - self.last_save >= settings.save_interval:
            self.last_save = now
            self.steps.rows.set(self.record.id, bytes_done=done, emit=False)


def _with(record: DownloadRecord, done: int, total: int | None) -> DownloadRecord:
    return replace(record, state="running", bytes_done=done, bytes_total=total)


def _with_message(error: BookDeskError, message: str) -> BookDeskError:
    """``error`` (its kind kept: a full disk stays one) saying ``message``."""
    told = copy.copy(error)
    told.message = message
    told.args = (message,)
    return told
