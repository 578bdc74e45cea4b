"""Jobs: a unit of background work with a correlation id, progress, cancellation and a Job row.

``JobRunner.run`` is the one place that does the bookkeeping, so a job behaves the
same whether the worker thread runs it for the GUI or the CLI runs it in the foreground.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bookdesk import correlation
from bookdesk.core.disk_full import disk_full_error, is_disk_full
from bookdesk.data.catalog import Catalog
from bookdesk.data.job_repository import JobRepository
from bookdesk.errors import BookDeskError, JobCancelledError, LibraryError
from bookdesk.fault_points import reach
from bookdesk.redaction import redact_text

log = logging.getLogger(__name__)

# How often progress may be written to the catalog and told to listeners.
_DB_PROGRESS_INTERVAL = 0.5
_EVENT_PROGRESS_INTERVAL = 0.05


@dataclass(frozen=True, slots=True)
class JobEvent:
    """What listeners (the Activity view, the status bar) hear about a job."""

    correlation_id: str
    kind: str
    title: str
    state: str  # queued, running, succeeded, failed, cancelled
    progress: float = 0.0
    message: str = ""
    summary: str | None = None
    error: str | None = None
    error_detail: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("succeeded", "failed", "cancelled")


class JobListener(Protocol):
    def __call__(self, event: JobEvent) -> None: ...


@dataclass
class JobResult:
    correlation_id: str
    state: str
    value: Any = None
    error: BookDeskError | None = None
    # Why the end is not in the catalog (a full disk, a catalog that takes no change): the job still
    # ended in ``state``; its row says running until the next open marks it interrupted.
    unrecorded: BookDeskError | None = None


class JobContext:
    """Handed to a running job: report progress, check for cancellation."""

    def __init__(self, runner: JobRunner, correlation_id: str, kind: str, title: str) -> None:
        self._runner = runner
        self.correlation_id = correlation_id
        self.kind = kind
        self.title = title
        self.summary: str | None = None
        # What a job has done so far, handed back even when it fails or is cancelled midway.
        self.partial_result: Any = None
        self._cancel = threading.Event()
        self._last_db = 0.0
        self._last_event = 0.0
        self.progress = 0.0
        self.message = ""

    def report(self, fraction: float, message: str = "") -> None:
        self.progress = max(0.0, min(1.0, fraction))
        self.message = message
        now = time.monotonic()
        if now - self._last_event >= _EVENT_PROGRESS_INTERVAL or fraction >= 1.0:
            self._last_event = now
            self._runner.emit(self._event("running"))
        if now - self._last_db >= _DB_PROGRESS_INTERVAL:
            self._last_db = now
            with self._runner.catalog.write() as session:
                JobRepository(session).progressed(self.correlation_id, self.progress, message)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise JobCancelledError(f"{self.title}: cancelled")

    def _event(self, state: str, **extra: Any) -> JobEvent:
        return JobEvent(self.correlation_id, self.kind, self.title, state, self.progress, self.message, **extra)


JobFunction = Callable[[JobContext], Awaitable[Any]]


@dataclass
class JobRunner:
    """Creates Job rows, binds the correlation id and turns any outcome into a finished job."""

    catalog: Catalog
    listeners: list[JobListener] = field(default_factory=list)

    def emit(self, event: JobEvent) -> None:
        for listener in list(self.listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not break the job
                log.exception("job listener failed")

    def create(self, kind: str, title: str, correlation_id: str | None = None) -> JobContext:
        cid = correlation_id or correlation.new_id()
        with self.catalog.write() as session:
            repo = JobRepository(session)
            while repo.create(kind, title, cid) is None:
                if correlation_id is not None:
                    raise ValueError(f"a job with correlation id {cid} exists already")
                cid = correlation.new_id()  # one in 33 million, but a library runs many jobs in its life
        ctx = JobContext(self, cid, kind, title)
        self.emit(ctx._event("queued"))
        return ctx

    def context(self, kind: str, title: str) -> JobContext:
        """A job whose correlation id is known now and whose row ``record`` writes later, on the thread
        that runs it: the submitting thread (the GUI's) then writes nothing."""
        return JobContext(self, correlation.new_id(), kind, title)

    def record(self, ctx: JobContext) -> None:
        """Write the row of a job made by ``context``; the listeners hear it is queued."""
        with self.catalog.write() as session:
            if JobRepository(session).create(ctx.kind, ctx.title, ctx.correlation_id) is None:
                # One in 33 million, and the id is in the caller's hands already: said, not swapped.
                raise ValueError(f"a job with correlation id {ctx.correlation_id} exists already")
        self.emit(ctx._event("queued"))

    async def run(self, ctx: JobContext, fn: JobFunction) -> JobResult:
        """Run ``fn`` as the job ``ctx``; every outcome comes back as a JobResult, a full disk too:
        when even the job's row cannot be written, the listeners and the caller still hear how it
        ended (the row stays "running" and is marked interrupted at the next open)."""
        with correlation.bound(ctx.correlation_id):
            try:
                with self.catalog.write() as session:
                    JobRepository(session).started(ctx.correlation_id)
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                error = self._disk_full(exc, ctx)
                return self._end(ctx, "failed", error=error, detail=error.detail)
            reach("jobs.started")
            self.emit(ctx._event("running"))
            log.info("job started", extra={"kind": ctx.kind, "title": ctx.title})
            try:
                ctx.check_cancelled()
                value = await fn(ctx)
            except (JobCancelledError, asyncio.CancelledError):
                log.info("job cancelled")
                return self._end(ctx, "cancelled", summary=ctx.summary or "Cancelled", value=ctx.partial_result)
            except BookDeskError as exc:
                exc.correlation_id = exc.correlation_id or ctx.correlation_id
                log.error("job failed: %s", exc.message, exc_info=True)
                return self._end(ctx, "failed", error=exc, detail=_detail(exc), value=ctx.partial_result,
                                 summary=ctx.summary)  # what it did before it failed, if it says
            except Exception as exc:  # anything unexpected still ends the job cleanly, with its traceback
                if is_disk_full(exc):
                    log.error("job stopped: the disk is full", exc_info=True)
                    error = self._disk_full(exc, ctx)
                    return self._end(ctx, "failed", error=error, detail=error.detail, value=ctx.partial_result,
                                 summary=ctx.summary)
                log.exception("job crashed")
                error = BookDeskError(f"{ctx.title} stopped on an unexpected error: {exc}",
                                      correlation_id=ctx.correlation_id, detail=_detail(exc))
                return self._end(ctx, "failed", error=error, detail=error.detail, value=ctx.partial_result,
                                 summary=ctx.summary)
            log.info("job succeeded", extra={"summary": ctx.summary or ""})
            ctx.progress = 1.0
            return self._end(ctx, "succeeded", summary=ctx.summary, value=value)

    def _end(self, ctx: JobContext, state: str, *, summary: str | None = None, error: BookDeskError | None = None,
             detail: str | None = None, value: Any = None) -> JobResult:
        """Record how the job ended and tell the listeners. A catalog that cannot record it (a full disk,
        damage, a disk gone read-only or dropped out) changes nothing of how it ended: a book imported
        is in the library even if its job's row cannot say so. The end is told with a note instead."""
        unrecorded: BookDeskError | None = None
        try:
            with self.catalog.write() as session:
                JobRepository(session).finished(ctx.correlation_id, state, summary=summary,
                                                error=error.message if error else None)
        except Exception as exc:
            if is_disk_full(exc):
                unrecorded = self._disk_full(exc, ctx)
            elif isinstance(exc, LibraryError):
                unrecorded = exc
            else:
                raise
            log.error("the end of the job could not be recorded: %s", unrecorded.message, exc_info=True)
            if state == "succeeded":
                summary = f"{summary or 'Done'} (this could not be recorded in the catalog: {unrecorded.message})"
        self.emit(ctx._event(state, summary=summary, error=error.message if error else None, error_detail=detail))
        return JobResult(ctx.correlation_id, state, value=value, error=error, unrecorded=unrecorded)

    def _disk_full(self, exc: BaseException, ctx: JobContext) -> BookDeskError:
        error = disk_full_error(exc, self.catalog.folder, ctx.correlation_id)
        error.detail = error.detail or _detail(exc)
        return error


def _detail(exc: BaseException) -> str:
    return redact_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
