"""The one background worker: a thread with its own asyncio loop and HTTP client.

Imports, lookups, downloads and scheduled checks are submitted here as jobs; the UI
hears about them only through listeners (which the UI turns into queued signals).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from bookdesk.core.jobs import JobContext, JobFunction, JobListener, JobResult, JobRunner
from bookdesk.core.submission import Submission, caller, log_failure
from bookdesk.data.catalog import Catalog

if TYPE_CHECKING:
    import httpx

    from bookdesk.core.net.client import HttpClient

log = logging.getLogger(__name__)

class WorkerStopped(RuntimeError):
    """Work handed to a worker that is not running (the app is closing): nobody is left to tell."""


class JobHandle(Submission[JobResult]):
    """A submitted job: ``await handle`` from the GUI's loop, or ``handle.result(timeout)``. Awaiting
    never cancels the job (only ``Worker.cancel`` does), and dropping a handle is fine: the job's
    outcome is in its JobResult, its Job row and the listeners' events."""

    tracked = False

    def __init__(self, correlation_id: str, future: concurrent.futures.Future[JobResult], context: JobContext,
                 site: str = "?") -> None:
        super().__init__(future, context.title, correlation_id=correlation_id, site=site)
        self.context = context

    def __await__(self) -> Generator[Any, None, JobResult]:
        self._watch.claimed = True
        # Shielded: a closed dialog's task going away must not stop the import it started.
        return asyncio.shield(asyncio.wrap_future(self.future, loop=asyncio.get_running_loop())).__await__()


class Worker:
    def __init__(self, catalog: Catalog) -> None:
        self.runner = JobRunner(catalog)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="bookdesk-worker", daemon=True)
        self._tasks: dict[str, tuple[JobContext, asyncio.Task]] = {}
        # Every submitted job that has not finished, so a job can be cancelled while still queued.
        self._contexts: dict[str, JobContext] = {}
        self._http: httpx.AsyncClient | None = None
        # The clients are made on first use, from the window's thread or a worker's: one of each, whoever asks.
        self._clients_lock = threading.Lock()
        self._net: HttpClient | None = None

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()

    @property
    def http(self) -> httpx.AsyncClient:
        """The worker's one HTTP client, made on first use (importing httpx costs a tenth of a second
        at start). Use it only from jobs, on the worker's loop."""
        with self._clients_lock:
            if self._http is None:
                from bookdesk.core.net.factory import make_http

                self._http = make_http()
            return self._http

    @property
    def net(self) -> HttpClient:
        """The one polite HTTP client of this app: shared rate limits per host, the response cache."""
        http = self.http
        with self._clients_lock:
            if self._net is None:
                from bookdesk.core.net.factory import make_net

                self._net = make_net(http)
            return self._net

    def add_listener(self, listener: JobListener) -> None:
        self.runner.listeners.append(listener)

    def submit(self, kind: str, title: str, fn: JobFunction) -> JobHandle:
        """Queue a job; its correlation id exists from this moment, its Job row from the worker's next turn
        (written there: a commit on the GUI thread once ran SQLite's WAL checkpoint there, a stall)."""
        if self._loop is None:
            raise WorkerStopped("the worker is not running")
        ctx = self.runner.context(kind, title)
        self._contexts[ctx.correlation_id] = ctx
        future = asyncio.run_coroutine_threadsafe(self._run(ctx, fn), self._loop)
        return JobHandle(ctx.correlation_id, future, ctx, site=caller(1))

    def run(self, coroutine_fn, *args) -> Submission:  # noqa: ANN001 - an async callable
        """Run a short coroutine (fetching a cover to show) on the worker's loop, without a Job row.
        Await the Submission, take its ``result(timeout)``, or ``detach()`` it."""
        if self._loop is None:
            raise WorkerStopped("the worker is not running")
        future = asyncio.run_coroutine_threadsafe(coroutine_fn(*args), self._loop)
        return Submission(future, _name(coroutine_fn), site=caller(1))

    def call(self, fn, *args) -> Submission:  # noqa: ANN001 - any callable
        """Run a small blocking task (a folder scan, say) off the caller's thread, without a Job row.
        Await the Submission, take its ``result(timeout)``, or ``detach()`` it."""
        if self._loop is None:
            raise WorkerStopped("the worker is not running")
        future = asyncio.run_coroutine_threadsafe(asyncio.to_thread(fn, *args), self._loop)
        return Submission(future, _name(fn), site=caller(1))

    def cancel(self, correlation_id: str) -> None:
        """Ask a job to stop: it sees ``ctx.cancelled`` at its next check, and an await is interrupted."""
        context = self._contexts.get(correlation_id)
        if context is not None:
            context.cancel()  # a job still queued sees this before it starts
        loop = self._loop
        entry = self._tasks.get(correlation_id)
        if loop is not None and entry is not None:
            loop.call_soon_threadsafe(entry[1].cancel)

    def stop(self, timeout: float = 5.0) -> None:
        loop = self._loop
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        except TimeoutError:
            log.warning("jobs still running at shutdown were left to stop on their own")
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout)
        self._loop = None

    @property
    def running(self) -> bool:
        return self._loop is not None

    @property
    def busy(self) -> bool:
        return bool(self._contexts)

    async def _run(self, ctx: JobContext, fn: JobFunction) -> JobResult:
        task = asyncio.current_task()
        assert task is not None
        self._tasks[ctx.correlation_id] = (ctx, task)
        try:
            try:
                self.runner.record(ctx)
            except Exception as exc:  # a read-only or full catalog: heard even when nobody awaits the handle
                log_failure(f"Queueing the job {ctx.title!r}", exc)
                raise
            return await self.runner.run(ctx, fn)
        finally:
            self._tasks.pop(ctx.correlation_id, None)
            self._contexts.pop(ctx.correlation_id, None)

    async def _shutdown(self) -> None:
        for context in list(self._contexts.values()):
            context.cancel()  # jobs see it at their next check, even those not awaiting anything now
        tasks = [task for _, task in self._tasks.values()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=3)
        if self._http is not None:
            await self._http.aclose()

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()


def _name(fn: object) -> str:
    """What a log line calls the work: the function's name, not a lambda's "<lambda>" alone."""
    return getattr(fn, "__qualname__", None) or repr(fn)
