"""The download queue: direct HTTP downloads, run on the worker's event loop, kept in the catalog.

Every download is a row in ``downloads`` (kind "http"); the row is the truth, so a queue made
anew (the next start of the app, or ``bookdesk fetch`` run again) carries on where the last one
stopped: rows left running or queued are fetched again from the bytes their ``.part`` file holds.

At most ``concurrency`` downloads run at once, and ``per_host`` from any one host; each request
waits for the host's turn in the ``RateLimiter``. An attempt that fails in a way that may pass (a
dropped connection, 429, 5xx) is tried again after a backoff, or after what Retry-After asked;
an attempt that made progress is tried again at once and does not count against
``max_attempts``. A finished file is checked (size, magic bytes), renamed out of its ``.part``
and imported (``arrival``), or kept in the downloads folder when ``import_after`` is False.

Thread model: the queue's work runs on one event loop (the worker's, or the CLI's). Its public
methods may be called from any thread (the UI's): they run on the loop and wait for it, or run
at once when called on the loop itself. Listeners are called on the loop with a
``DownloadProgress``; the UI turns them into queued signals.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from bookdesk import correlation
from bookdesk.core.acquisition.address_login import forget_login, keep_login
from bookdesk.core.acquisition.download_access import CatalogDownloads, DownloadAccess
from bookdesk.core.acquisition.download_client import make_client
from bookdesk.core.acquisition.download_rows import DownloadRows
from bookdesk.core.acquisition.http_fetch import (
    PartOpener,
    file_name_from_url,
    host_key,
    open_part,
)
from bookdesk.core.acquisition.progress import DownloadProgress, ProgressListener, progress_of
from bookdesk.core.acquisition.queue_settings import QueueSettings
from bookdesk.core.acquisition.staging import part_path
from bookdesk.core.acquisition.transfer import Credentials, TransferSteps
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import InMemorySecretStore, SecretStore
from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.data.download_table import ACTIVE_STATES, DownloadDraft
from bookdesk.errors import UsageError

if TYPE_CHECKING:  # neither imported at run time: a small fetch starts without SQLAlchemy (download_access.py)
    from bookdesk.core.jobs import JobRunner
    from bookdesk.core.library_service import LibraryService
    from bookdesk.core.worker import Worker

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class DownloadQueue:
    """Direct HTTP downloads of one library.

    ``DownloadQueue(library, settings=QueueSettings.from_settings(app_settings), limiter=worker.net.limiter)``,
    then ``start_in(worker)`` (the GUI) or ``await astart()`` on the loop that is to run it (the CLI).
    ``http``: a blocking ``httpx.Client`` to use (a transfer reads on a thread of its own; one without a
    response cache; by default the queue makes its own, TLS verified, with BookDesk's User-Agent). ``runner``: the JobRunner whose
    listeners hear of the imports (the worker's). ``opener``: how ``.part`` files are opened (a test
    seam for a full disk). ``clock``: UTC now, for retry times. ``credentials``: the login for a
    download's source, when it has one (an OPDS catalog that asks for a password). ``secrets``: where
    a login written into an address (``user:password@``, ``?apikey=``) is kept, never in the catalog
    (the keyring; by default memory, for this run only). ``downloads``: where the rows are read and
    written (by default through ``library``'s Catalog; ``bookdesk fetch --no-import`` passes a plain one).
    """

    def __init__(self, library: LibraryService, *, settings: QueueSettings | None = None,
                 limiter: RateLimiter | None = None, http: httpx.Client | None = None,
                 runner: JobRunner | None = None, opener: PartOpener = open_part,
                 clock: Callable[[], datetime] = _utcnow,
                 credentials: Credentials | None = None, secrets: SecretStore | None = None,
                 downloads: DownloadAccess | None = None) -> None:
        self.library = library
        self.downloads = downloads if downloads is not None else CatalogDownloads(library.catalog)
        self._secrets = secrets if secrets is not None else InMemorySecretStore()
        self.settings = settings or QueueSettings()
        self.limiter = limiter or RateLimiter()
        self._http = http
        self._own_http = http is None
        self._clock = clock
        self._rows = DownloadRows(library, self.downloads)
        self._steps = TransferSteps(library, self._rows, settings=self.settings, limiter=self.limiter,
                                    secrets=self._secrets, clock=clock, opener=opener, runner=runner,
                                    credentials=credentials)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._tasks: dict[int, asyncio.Task] = {}
        self._hosts: Counter[str] = Counter()
        self._only: set[int] | None = None  # with resume=False: the rows this run was asked for
        self._timer: asyncio.TimerHandle | None = None
        self._running = False

    # ----- life -------------------------------------------------------------------------------

    async def astart(self, *, resume: bool = True) -> None:
        """Start on the running loop. Rows left running by a closed or killed app go back to queued (so do
        rows whose import a kill cut short: they finish it, never importing the book twice);
        with ``resume`` every unfinished row is fetched again, else only those enqueued from now on."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._rows.changed = asyncio.Event()
        if self._http is None:
            self._http = make_client(self.settings.concurrency)
        with self.downloads.write() as repo:
            for record in repo.active("http"):
                if record.state == "running":
                    repo.update(record.id, state="queued", bytes_done=self._rows.part_size(record))
            for record in repo.recent():  # fetched, and its import cut short: it is finished now
                if record.kind == "http" and record.state == "completed" and record.import_after:
                    repo.update(record.id, state="queued")
        self._only = None if resume else set()
        self._running = True
        self._schedule()

    def start_in(self, worker: Worker, *, resume: bool = True, timeout: float = 30.0) -> None:
        """Start on the worker's loop, from any other thread (the GUI's)."""
        worker.run(lambda: self.astart(resume=resume)).result(timeout)

    async def aclose(self) -> None:
        """Stop every transfer (on the loop). Running rows go back to queued, their ``.part`` kept, so
        the next start resumes them."""
        self._running = False
        if self._timer is not None:
            self._timer.cancel()
        tasks = dict(self._tasks)
        try:
            with self.downloads.write() as repo:
                for download_id in tasks:
                    if download_id not in self._steps.importing:
                        repo.update(download_id, state="queued")
        except Exception as exc:  # a full disk, a damaged or read-only catalog: the transfers stop all the same
            log.warning("stopping downloads: the catalog could not record it (%s); the next start picks them up "
                        "again", exc)
        for download_id, task in tasks.items():
            if download_id not in self._steps.importing:
                task.cancel()
        if tasks:
            await asyncio.wait(tasks.values(), timeout=30)
        if self._own_http and self._http is not None:
            self._http.close()  # its transfers have ended: nothing is left to read on its connections
            self._http = None

    def stop(self, timeout: float = 35.0) -> None:
        """``aclose`` from another thread (the GUI's, at quit)."""
        loop = self._loop
        if loop is None or not loop.is_running():
            return
        if self._on_loop():
            raise RuntimeError("stop() blocks; on the queue's loop, await aclose() instead")
        asyncio.run_coroutine_threadsafe(self.aclose(), loop).result(timeout)

    # ----- what the UI calls (any thread) ------------------------------------------------------

    def add_listener(self, listener: ProgressListener) -> None:
        """``listener(progress)`` is called on the queue's loop for every change of a download."""
        self._rows.listeners.append(listener)

    def remove_listener(self, listener: ProgressListener) -> None:
        with contextlib.suppress(ValueError):
            self._rows.listeners.remove(listener)

    def enqueue(self, url: str, *, title: str | None = None, work_id: int | None = None,
                expected_format: str | None = None, media_kind: str | None = None, import_after: bool = True,
                source: str = "direct", indexer: str | None = None, guid: str | None = None) -> int:
        """Queue a download of ``url``; returns its id. A URL already queued, running or paused is
        not fetched twice: its row's id is returned (and a paused one resumes)."""
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{url!r} is not an http:// or https:// address.")
        url = keep_login(url, self._secrets)  # the row, the log and the screen get the address without it
        return self._call(self._enqueue, DownloadDraft(
            url=url, source=source, title=title or file_name_from_url(url), work_id=work_id,
            expected_format=expected_format, media_kind=media_kind, import_after=import_after, indexer=indexer,
            guid=guid, file_name=file_name_from_url(url), correlation_id=correlation.current() or correlation.new_id()))

    def pause(self, download_id: int) -> None:
        """Stop a queued or running download, keeping its bytes for ``resume``."""
        self._call(self._pause, download_id)

    def resume(self, download_id: int) -> None:
        """Go on with a paused download, from the bytes it has."""
        self._call(self._resume, download_id)

    def cancel(self, download_id: int) -> None:
        """Stop a download for good: its partial file is deleted; the row stays, cancelled."""
        self._call(self._cancel, download_id)

    def retry(self, download_id: int) -> None:
        """Try a failed or cancelled download again (from the bytes kept, if any); a download whose
        import failed is imported again."""
        self._call(self._retry, download_id)

    def remove(self, download_id: int) -> None:
        """Forget a download: stopped if running, its partial file deleted, its row gone. A finished
        file (in the library or the downloads folder) is kept."""
        self._call(self._remove, download_id)

    def records(self, kind: str | None = "http") -> list[DownloadRecord]:
        """The downloads (of ``kind``; None: of every kind), most recently changed first."""
        with self.downloads.read() as repo:
            rows = repo.recent()
        return [r for r in rows if kind is None or r.kind == kind]

    def progress(self, download_id: int) -> DownloadProgress:
        with self.downloads.read() as repo:
            return progress_of(repo.get(download_id))

    def unfinished(self) -> list[int]:
        """The ids of the downloads still queued, running or paused."""
        with self.downloads.read() as repo:
            return [r.id for r in repo.active("http")]

    async def wait(self, ids: Iterable[int]) -> list[DownloadRecord]:
        """Wait (on the loop) until each of ``ids`` is finished: imported, completed and not to be
        imported, failed, or cancelled. Paused or removed rows count as finished too. Raises what kept
        the queue from recording how a download ended (a full disk, a damaged or read-only catalog)."""
        return await self._rows.wait(ids)

    # ----- on the loop ------------------------------------------------------------------------

    def _enqueue(self, draft: DownloadDraft) -> int:
        with self.downloads.write() as repo:
            for record in repo.active("http"):
                if record.url == draft.url:
                    if record.state == "paused":
                        repo.update(record.id, state="queued", next_retry_at=None)
                    download_id = record.id
                    break
            else:
                download_id = repo.add(draft)
                repo.update(download_id, part_path=part_path(download_id))
        if self._only is not None:
            self._only.add(download_id)
        with correlation.bound(draft.correlation_id or ""):
            log.info("download queued: %s", draft.url, extra={"download_id": download_id})
        self._rows.emit(download_id)
        self._schedule()
        return download_id

    def _pause(self, download_id: int) -> None:
        record = self._http_record(download_id)
        if record.state not in ("queued", "running") or download_id in self._steps.importing:
            raise UsageError(f"Download {download_id} is {record.state}; only a queued or running download "
                             "can be paused.")
        self._stop_task(download_id, "paused")

    def _resume(self, download_id: int) -> None:
        record = self._http_record(download_id)
        if record.state != "paused":
            raise UsageError(f"Download {download_id} is {record.state}, not paused.")
        self._rows.set(download_id, state="queued", next_retry_at=None, last_error=None)
        self._add_only(download_id)
        self._schedule()

    def _cancel(self, download_id: int) -> None:
        record = self._http_record(download_id)
        if record.state not in ACTIVE_STATES or download_id in self._steps.importing:
            raise UsageError(f"Download {download_id} is {record.state}; there is nothing to cancel.")
        self._stop_task(download_id, "cancelled")
        self._rows.delete_part(record)
        self._rows.set(download_id, bytes_done=0, validator=None)

    def _retry(self, download_id: int) -> None:
        record = self._http_record(download_id)
        if record.state not in ("failed", "cancelled"):
            raise UsageError(f"Download {download_id} is {record.state}; only a failed or cancelled download "
                             "can be tried again.")
        self._rows.set(download_id, state="queued", attempts=0, next_retry_at=None, last_error=None)
        self._add_only(download_id)
        self._schedule()

    def _remove(self, download_id: int) -> None:
        record = self._rows.get(download_id)
        if download_id in self._steps.importing:
            raise UsageError(f"Download {download_id} is being imported; remove it when that is done.")
        if download_id in self._tasks:
            self._stop_task(download_id, "cancelled")
        self._rows.delete_part(record)
        with self.downloads.write() as repo:
            repo.delete(download_id)
            shared = repo.uses_url(record.url)
        if not shared:  # another row of the same address may still be retried with the login
            forget_login(record.url, self._secrets)
        self._rows.tell(DownloadProgress(download_id, "removed", 0, None, 0.0, None, None, record.title,
                                             record.source, record.url, record.correlation_id))

    def _stop_task(self, download_id: int, state: str) -> None:
        self._rows.set(download_id, state=state, next_retry_at=None)
        task = self._tasks.get(download_id)
        if task is not None:
            task.cancel()

    def _schedule(self) -> None:
        """Start what may start now; set a timer for the earliest retry that must wait."""
        if not self._running:
            return
        with self.downloads.read() as repo:
            waiting = [r for r in repo.active("http") if r.state == "queued"]
        now = self._clock()
        wake: datetime | None = None
        for record in waiting:
            if record.id in self._tasks or (self._only is not None and record.id not in self._only):
                continue
            if record.next_retry_at is not None and record.next_retry_at > now:
                wake = record.next_retry_at if wake is None else min(wake, record.next_retry_at)
                continue
            if len(self._tasks) >= self.settings.concurrency:
                break
            host = host_key(record.url)
            if self._hosts[host] >= self.settings.per_host:
                continue
            self._hosts[host] += 1
            assert self._loop is not None
            self._tasks[record.id] = self._loop.create_task(self._run(record.id, host), name=f"download-{record.id}")
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if wake is not None and self._loop is not None:
            delay = max(0.0, (wake - now).total_seconds())
            self._timer = self._loop.call_later(delay + 0.01, self._schedule)

    async def _run(self, download_id: int, host: str) -> None:
        record = self._rows.get(download_id)
        with correlation.bound(record.correlation_id or correlation.new_id()):
            try:
                assert self._http is not None  # made at the start
                await self._steps.attempt(record, host, self._http)
            except asyncio.CancelledError:
                # paused, cancelled, removed or shut down: the caller set the state; keep the count honest
                with contextlib.suppress(Exception):
                    self._rows.set(download_id, bytes_done=self._rows.part_size(record), emit=False)
                log.info("download stopped", extra={"download_id": download_id})
            except Exception as exc:  # never let one download's surprise stop the queue
                self._steps.give_up(record, exc)
            finally:
                self._tasks.pop(download_id, None)
                self._hosts[host] -= 1
                self._rows.emit(download_id)
                if self._running:
                    self._loop.call_soon(self._schedule)  # type: ignore[union-attr]

    # ----- small helpers -----------------------------------------------------------------------

    def _http_record(self, download_id: int) -> DownloadRecord:
        record = self._rows.get(download_id)
        if record.kind != "http":
            raise UsageError(f"Download {download_id} is handled by its download client ({record.client or record.kind}),"
                             " not by the download queue.")
        return record

    def _add_only(self, download_id: int) -> None:
        if self._only is not None:
            self._only.add(download_id)

    def _on_loop(self) -> bool:
        return self._loop_thread == threading.get_ident()

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn`` on the queue's loop and wait for it; directly when already there or not started."""
        loop = self._loop
        if loop is None or not loop.is_running() or self._on_loop():
            return fn(*args)
        done: concurrent.futures.Future = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller's thread
                done.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return done.result(timeout=30)

