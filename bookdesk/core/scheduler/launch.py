"""Starting a scheduled job: on the worker thread in the GUI, on the running loop in ``bookdesk sync``.

Either way the job goes through the JobRunner, so it has a Job row, a correlation id, a summary,
and its error kept when it fails, and it shows in the Activity view.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bookdesk.core.jobs import JobContext, JobFunction, JobResult, JobRunner
from bookdesk.core.scheduler.entries import SyncResult

if TYPE_CHECKING:
    from bookdesk.core.worker import Worker

AnyFuture = concurrent.futures.Future | asyncio.Future


@dataclass
class Launched:
    correlation_id: str
    context: JobContext
    future: AnyFuture  # resolves to the JobResult

    def when_done(self, callback: Callable[[JobResult | None], None]) -> None:
        """Call ``callback`` with the result once the job ends (at once if it has), on whichever thread
        finishes it; None when the job was cancelled before it could say."""
        def done(future: AnyFuture) -> None:
            callback(None if future.cancelled() or future.exception() is not None else future.result())

        self.future.add_done_callback(done)

    async def result(self) -> JobResult | None:
        future = self.future
        try:
            if isinstance(future, concurrent.futures.Future):
                return await asyncio.wrap_future(future)
            return await future
        except asyncio.CancelledError:
            if future.cancelled():
                return None
            raise


class Launcher(Protocol):
    def __call__(self, kind: str, title: str, fn: JobFunction) -> Launched: ...


def worker_launcher(worker: Worker) -> Launcher:
    """Jobs on the GUI's worker thread: callable from any thread."""
    def launch(kind: str, title: str, fn: JobFunction) -> Launched:
        handle = worker.submit(kind, title, fn)
        return Launched(handle.correlation_id, handle.context, handle.future)

    return launch


def runner_launcher(runner: JobRunner) -> Launcher:
    """Jobs as tasks of the running asyncio loop (``bookdesk sync``, tests): call it from that loop."""
    def launch(kind: str, title: str, fn: JobFunction) -> Launched:
        loop = asyncio.get_running_loop()
        context = runner.create(kind, title)
        return Launched(context.correlation_id, context, loop.create_task(runner.run(context, fn)))

    return launch


def sync_result(kind: str, launched: Launched, result: JobResult | None) -> SyncResult:
    """What a run started by ``sync`` came to, as ``bookdesk sync`` and Sync Now tell it."""
    if result is None:
        return SyncResult(kind, "cancelled", launched.correlation_id, "Cancelled")
    if result.state == "failed":
        summary = result.error.message if result.error else "Failed"
    else:
        summary = launched.context.summary
    return SyncResult(kind, result.state, launched.correlation_id, summary)
