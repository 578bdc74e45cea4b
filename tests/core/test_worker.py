"""The background worker: runs jobs handed to it from any thread, and stops them when asked."""

from __future__ import annotations

import asyncio
import contextlib
import threading

import pytest

from bookdesk.core.net.factory import USER_AGENT
from bookdesk.core.worker import Worker
from bookdesk.data.job_repository import JobRepository

TIMEOUT = 30  # generous: only a hang should ever reach it


def test_a_job_submitted_from_another_thread_runs_on_the_worker(worker, catalog):
    ran_on = []

    async def job(ctx):
        ran_on.append(threading.current_thread().name)
        await asyncio.sleep(0)
        return "done"

    handles = []
    submitter = threading.Thread(target=lambda: handles.append(worker.submit("test", "From a thread", job)))
    submitter.start()
    submitter.join()

    result = handles[0].result(TIMEOUT)
    assert (result.state, result.value) == ("succeeded", "done")
    assert ran_on == ["bookdesk-worker"]
    with catalog.read() as session:
        assert JobRepository(session).get(result.correlation_id).state == "succeeded"


def test_listeners_hear_a_job_from_queued_to_finished(worker):
    heard = []
    finished = threading.Event()

    def listener(event):
        heard.append(event.state)
        if event.finished:
            finished.set()

    worker.add_listener(listener)

    async def job(ctx):
        ctx.report(1.0, "all done")

    worker.submit("test", "Heard", job).result(TIMEOUT)
    assert finished.wait(TIMEOUT)
    assert heard[0] == "queued" and heard[-1] == "succeeded" and "running" in heard


def test_a_jobs_row_is_written_on_the_worker_and_its_correlation_id_is_known_at_once(worker, catalog, monkeypatch):
    written_on = []
    write = catalog.write

    @contextlib.contextmanager
    def watched_write():  # noqa: ANN202
        written_on.append(threading.current_thread())
        with write() as session:
            yield session

    monkeypatch.setattr(catalog, "write", watched_write)
    heard = []
    worker.add_listener(lambda event: heard.append((event.correlation_id, event.state)))

    async def job(_ctx):  # noqa: ANN001, ANN202
        return "done"

    # A commit on the submitting thread (the GUI's) once ran SQLite's WAL checkpoint there: a stall.
    handle = worker.submit("test", "Written on the worker", job)
    assert handle.correlation_id.startswith("BD-")
    result = handle.result(TIMEOUT)
    assert written_on and threading.current_thread() not in written_on
    assert result.correlation_id == handle.correlation_id and heard[0] == (handle.correlation_id, "queued")
    with catalog.read() as session:
        assert JobRepository(session).get(handle.correlation_id).state == "succeeded"


def test_cancelling_a_running_job_interrupts_its_wait(worker, catalog):
    started = threading.Event()

    async def endless(ctx):
        started.set()
        while True:
            await asyncio.sleep(0.01)

    handle = worker.submit("test", "Endless", endless)
    assert started.wait(TIMEOUT)
    worker.cancel(handle.correlation_id)

    assert handle.result(TIMEOUT).state == "cancelled"
    with catalog.read() as session:
        assert JobRepository(session).get(handle.correlation_id).state == "cancelled"


def test_cancelling_a_job_right_after_queueing_it_stops_it_before_it_starts(worker):
    async def slow(ctx):
        for _ in range(1000):
            await asyncio.sleep(0.01)

    for _ in range(5):  # the cancel may land before or after the loop picks the job up
        handle = worker.submit("test", "Changed my mind", slow)
        worker.cancel(handle.correlation_id)
        assert handle.result(TIMEOUT).state == "cancelled"


def test_stopping_the_worker_cancels_what_runs_and_refuses_new_jobs(catalog):
    worker = Worker(catalog)
    worker.start()
    assert worker.http.headers["User-Agent"] == USER_AGENT
    started = threading.Event()

    async def endless(ctx):
        started.set()
        await asyncio.sleep(3600)

    handle = worker.submit("test", "Endless", endless)
    assert started.wait(TIMEOUT)
    worker.stop()

    assert handle.result(TIMEOUT).state == "cancelled"
    assert worker.http.is_closed
    with pytest.raises(RuntimeError):
        worker.submit("test", "Too late", endless)
