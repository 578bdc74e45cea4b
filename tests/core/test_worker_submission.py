"""What the worker hands back: awaitable from another loop, a Ref on every failure, none lost."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import threading

import pytest

from bookdesk import correlation
from bookdesk.core import logging_setup, submission
from bookdesk.core.submission import Submission

TIMEOUT = 30  # generous: only a hang should ever reach it


@pytest.fixture(autouse=True)
def _log_file(user_folders) -> None:
    logging_setup.setup_logging()  # as the app does: a Ref's lines can be read back, as a dialog's details do


def failures(ref: str) -> list[dict]:
    return [e for e in logging_setup.lines_for(ref) if e["level"] == "ERROR"]


def test_run_call_and_submit_are_awaited_from_another_loop(worker) -> None:
    async def double(n: int) -> int:
        await asyncio.sleep(0)
        return 2 * n

    async def job(ctx):
        return threading.current_thread().name

    async def story():
        handle = worker.submit("test", "Where it runs", job)
        return await worker.run(double, 21), await worker.call(sum, [1, 2, 3]), (await handle).value

    assert asyncio.run(story()) == (42, 6, "bookdesk-worker")


def test_every_submission_carries_a_correlation_id(worker) -> None:
    made = worker.call(int, "7")
    assert correlation.is_valid(made.correlation_id)
    assert made.result(TIMEOUT) == 7


def test_awaiting_raises_the_workers_exception_with_the_submissions_ref(worker) -> None:
    def broken() -> None:
        raise ValueError("the folder vanished")

    made = worker.call(broken)

    async def story() -> None:
        await made

    with pytest.raises(ValueError, match="the folder vanished") as raised:
        asyncio.run(story())
    assert raised.value.correlation_id == made.correlation_id


def test_a_detached_failure_is_logged_with_its_ref() -> None:
    future: concurrent.futures.Future = concurrent.futures.Future()
    made = Submission(future, "Start the downloads")
    made.detach()
    future.set_exception(ValueError("nobody waits for me"))
    [entry] = failures(made.correlation_id)
    assert "nobody waits for me" in entry["message"]
    assert "ValueError" in str(entry)  # the traceback is in the log, for the Ref's details
    del made
    assert submission.take_dropped() == []  # detached on purpose is not dropped


def test_the_detector_notes_a_submission_dropped_unconsumed_and_logs_its_failure() -> None:
    future: concurrent.futures.Future = concurrent.futures.Future()
    dropped = Submission(future, "Scan the watch folder")
    ref = dropped.correlation_id
    del dropped
    gc.collect()  # not needed on CPython, where the last reference going frees it; harmless
    taken = submission.take_dropped()
    assert len(taken) == 1 and "Scan the watch folder" in taken[0] and ref in taken[0]
    future.set_exception(RuntimeError("the disk went away"))  # failing after the drop still reaches the log
    assert [e["message"] for e in failures(ref)] == [
        "Scan the watch folder (started at ?) failed: the disk went away"]


def test_a_consumed_or_detached_submission_is_not_noted_when_dropped() -> None:
    for consume in (lambda s: s.result(0), Submission.detach):
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_result(1)
        made = Submission(future, "Warm the series cache")
        consume(made)
        del made
    assert submission.take_dropped() == []


def test_a_held_failure_is_logged_when_it_happens_and_still_raised_to_whoever_asks_later() -> None:
    future: concurrent.futures.Future = concurrent.futures.Future()
    held = Submission(future, "Run the schedule")  # kept, read only when the loop is stopped
    future.set_exception(OSError("disk I/O error"))
    [entry] = failures(held.correlation_id)
    assert "disk I/O error" in entry["message"]
    with pytest.raises(OSError, match="disk I/O error"):
        held.result(0)
    held.detach()
    assert len(failures(held.correlation_id)) == 1  # logged once, however it is consumed afterwards


def test_a_failure_its_awaiting_caller_hears_is_not_logged_by_the_submission(worker) -> None:
    started, go = threading.Event(), threading.Event()

    def broken() -> None:
        started.set()
        go.wait(TIMEOUT)
        raise ValueError("the folder vanished")

    made = worker.call(broken)

    async def story() -> None:
        async def caller() -> None:
            await made

        waiting = asyncio.ensure_future(caller())
        await asyncio.sleep(0)  # the caller is awaiting before the work fails
        go.set()
        await waiting

    with pytest.raises(ValueError, match="the folder vanished"):
        asyncio.run(story())
    assert started.is_set()
    assert failures(made.correlation_id) == []  # the caller heard it: the log is its caller's to write
