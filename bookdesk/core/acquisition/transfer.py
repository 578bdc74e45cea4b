"""The steps of one download, as the queue runs them: fetch, check, rename out of ``.part``, import.

``TransferSteps`` is the half of ``DownloadQueue`` that works on one download at a time; the other
half (queue.py) decides which downloads run and answers the UI. Row access lives here too, since
both halves change rows through it and every change is told to the listeners.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bookdesk.core.acquisition.address_login import with_login
from bookdesk.core.acquisition.arrival import ArrivalResult, arrived_for, import_arrival_async, import_ref
from bookdesk.core.acquisition.file_check import FileCheckError, check_download, claimed_format
from bookdesk.core.acquisition.http_fetch import (
    Accepted,
    FetchError,
    PartOpener,
    fetch_to_part,
    file_name_from_url,
)
from bookdesk.core.acquisition.progress import DownloadProgress, SpeedMeter, progress_of
from bookdesk.core.acquisition.staging import DOWNLOADS, final_name, part_path, unique_path
from bookdesk.core.disk_full import disk_full_error, is_disk_full
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.errors import BookDeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bookdesk.core.acquisition.queue import QueueSettings

log = logging.getLogger(__name__)


class TransferSteps:
    """Fetch, check, rename and import one download; read and change rows and tell the listeners."""

    library: LibraryService
    settings: QueueSettings
    limiter: RateLimiter
    _http: httpx.AsyncClient | None
    _runner: JobRunner | None
    _opener: PartOpener
    _credentials: Callable[[DownloadRecord], httpx.Auth | None] | None
    _secrets: SecretStore
    _clock: Callable[[], datetime]
    _importing: set[int]
    _unrecorded: dict[int, tuple[str, BookDeskError]]  # how a download ended, where the catalog would not say so
    _listeners: list[Callable[[DownloadProgress], None]]
    _changed: asyncio.Event | None

    async def _attempt(self, record: DownloadRecord, host: str) -> None:
        download_id = record.id
        staged = self.library.absolute(record.path) if record.path else None
        if staged is not None and (staged.is_file() or self._imported_before(record)):
            await self._import(download_id, staged)  # fetched already; its import failed or was cut short
            return
        part = self.library.absolute(record.part_path or part_path(download_id))
        part.parent.mkdir(parents=True, exist_ok=True)
        self._set(download_id, state="running", attempts=record.attempts + 1, next_retry_at=None)
        await self.limiter.acquire(host)
        meter = _Meter(self, record, self._part_size(record))
        accepted: list[Accepted] = []

        def on_accepted(answer: Accepted) -> None:
            accepted.append(answer)
            self.limiter.observe(host, answer.status, answer.headers)
            name = answer.file_name or record.file_name
            self._set(download_id, bytes_total=answer.total, validator=answer.validator, file_name=name,
                      bytes_done=answer.offset)
            meter.restart(answer.offset)
            if answer.offset:
                log.info("download resumed at byte %d", answer.offset, extra={"download_id": download_id})

        assert self._http is not None
        try:
            url, login = with_login(record.url, self._secrets)  # the login its address came with
            auth = (self._credentials(record) if self._credentials is not None else None) or login
            result = await fetch_to_part(self._http, url, part, validator=record.validator,
                                         on_accepted=on_accepted, on_progress=meter.step, opener=self._opener,
                                         auth=auth)
        except FetchError as exc:
            if not accepted:
                self.limiter.observe(host, exc.status, exc.headers)
            self._attempt_failed(record, exc, progressed=meter.progressed)
            return
        await self._finish(self._get(download_id), part, result.bytes_total)

    def _attempt_failed(self, record: DownloadRecord, exc: FetchError, *, progressed: bool) -> None:
        attempts = 0 if progressed else record.attempts + 1
        size = self._part_size(record)
        if exc.retryable and attempts < self.settings.max_attempts:
            backoff = 0.0 if progressed else min(self.settings.max_backoff,
                                                  self.settings.backoff * 2 ** max(0, attempts - 1))
            delay = max(backoff, exc.retry_after or 0.0)
            log.warning("download attempt failed, retrying in %.1f s: %s", delay, exc.message,
                        extra={"download_id": record.id})
            self._set(record.id, state="queued", attempts=attempts, bytes_done=size, last_error=exc.message,
                      next_retry_at=self._clock() + timedelta(seconds=delay))
            return
        if exc.retryable:
            message = f"{exc.message} Gave up after {self.settings.max_attempts} attempts."
        else:
            message = exc.message
        log.error("download failed: %s", message, extra={"download_id": record.id})
        self._set(record.id, state="failed", bytes_done=size, last_error=message, next_retry_at=None)

    async def _finish(self, record: DownloadRecord, part: Path, total: int | None) -> None:
        name = record.file_name or file_name_from_url(record.url)
        claimed = claimed_format(record.expected_format, name)
        try:
            checked = await asyncio.to_thread(check_download, part, expected_size=total, claimed=claimed,
                                              strict=bool(record.expected_format))
        except FileCheckError as exc:
            part.unlink(missing_ok=True)  # not the book: nothing of it is worth keeping
            log.error("download rejected: %s", exc.message, extra={"download_id": record.id})
            self._set(record.id, state="failed", last_error=exc.message, bytes_done=0, validator=None)
            return
        folder = self.library.folder / DOWNLOADS
        final = unique_path(folder, final_name(name, record.title or f"download-{record.id}", checked.format))
        os.replace(part, final)
        relative = final.relative_to(self.library.folder).as_posix()
        self._set(record.id, state="completed", path=relative, bytes_done=checked.size, bytes_total=checked.size,
                  media_kind=record.media_kind or checked.format.media_kind, last_error=None)
        log.info("download complete: %s", relative, extra={"download_id": record.id})
        if record.import_after:
            await self._import(record.id, final)

    async def _import(self, download_id: int, staged: Path) -> None:
        record = self._get(download_id)
        self._importing.add(download_id)
        try:
            self._set(download_id, state="completed", last_error=None)
            arrival = await import_arrival_async(self.library, [staged], work_id=record.work_id,
                                                 correlation_id=import_ref(self.library, download_id),
                                                 runner=self._runner,
                                                 finish=lambda session, done: _imported(session, download_id, done))
        finally:
            self._importing.discard(download_id)
        if arrival.failures:
            reason = "; ".join(reason for _, reason in arrival.failures)
            self._set(download_id, state="failed", last_error=f"Downloaded, but not imported: {reason}",
                      work_id=arrival.work_id or record.work_id)
            return
        if arrival.duplicates and not arrival.placed:
            staged.unlink(missing_ok=True)  # the very same file is in the library already
        if not arrival.ok:  # nothing came of it, and nothing failed: nothing to wait for either
            with self.library.catalog.write() as session:
                _imported(session, download_id, arrival)
        self._emit(download_id)

    def _imported_before(self, record: DownloadRecord) -> bool:
        """Its files were imported, and a crash came before the row could say so."""
        return arrived_for(self.library, record.id) is not None

    def _give_up(self, record: DownloadRecord, exc: Exception) -> None:
        """End a download that crashed, as failed. When even that cannot be recorded (a full disk, damage
        found in use, a disk remounted read-only, any refusal of the catalog), the failure is kept in
        memory (``_unrecorded``) for the listeners and ``wait``: the row stays "running" until the next
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
            self._set(record.id, state="failed", last_error=error.message)
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
            self._unrecorded[record.id] = ("imported" if landed else "failed", unrecorded)
            self._emit(record.id)

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

    # ----- rows ------------------------------------------------------------------------------

    def _get(self, download_id: int) -> DownloadRecord:
        with self.library.catalog.read() as session:
            return DownloadRepository(session).get(download_id)

    def _set(self, download_id: int, *, emit: bool = True, **values: Any) -> None:
        with self.library.catalog.write() as session:
            DownloadRepository(session).update(download_id, **values)
        if "state" in values:  # the catalog says how it stands again (a retry once space was freed)
            self._unrecorded.pop(download_id, None)
        if emit:
            self._emit(download_id)

    def _emit(self, download_id: int, bytes_done: int | None = None, speed: float = 0.0) -> None:
        with self.library.catalog.read() as session:
            record = DownloadRepository(session).find(download_id)
        if record is not None:
            unrecorded = self._unrecorded.get(download_id)
            if unrecorded is not None:  # what the catalog could not be told
                state, error = unrecorded
                record = replace(record, state=state, last_error=error.message)
            self._emit_progress(progress_of(record, bytes_done, speed))

    def _emit_progress(self, progress: DownloadProgress) -> None:
        for listener in list(self._listeners):
            try:
                listener(progress)
            except Exception:  # a broken listener must not break a download
                log.exception("download listener failed")
        if self._changed is not None:
            self._changed.set()

    def _part_size(self, record: DownloadRecord) -> int:
        try:
            return self.library.absolute(record.part_path or part_path(record.id)).stat().st_size
        except OSError:
            return 0

    def _delete_part(self, record: DownloadRecord) -> None:
        with contextlib.suppress(OSError):
            self.library.absolute(record.part_path or part_path(record.id)).unlink(missing_ok=True)


def _imported(session: Session, download_id: int, arrival: ArrivalResult) -> None:
    """Mark the download imported: in the transaction that makes its book owned (see arrival.py)."""
    DownloadRepository(session).update(download_id, state="imported", work_id=arrival.work_id, last_error=None,
                                       path=arrival.placed[0] if arrival.placed else None)


class _Meter:
    """Progress of one transfer: listeners a few times a second, the catalog about once a second."""

    def __init__(self, queue: TransferSteps, record: DownloadRecord, start: int) -> None:
        self.queue, self.record = queue, record
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
        settings = self.queue.settings
        if now - self.last_emit >= settings.progress_interval:
            self.last_emit = now
            speed = self.speed.sample(now, done)
            self.queue._emit_progress(progress_of(_with(self.record, done, total), done, speed))
        if now - self.last_save >= settings.save_interval:
            self.last_save = now
            self.queue._set(self.record.id, bytes_done=done, emit=False)


def _with(record: DownloadRecord, done: int, total: int | None) -> DownloadRecord:
    return replace(record, state="running", bytes_done=done, bytes_total=total)


def _with_message(error: BookDeskError, message: str) -> BookDeskError:
    """``error`` (its kind kept: a full disk stays one) saying ``message``."""
    told = copy.copy(error)
    told.message = message
    told.args = (message,)
    return told
