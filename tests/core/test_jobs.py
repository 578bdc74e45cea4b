"""JobRunner: every job ends in one clear state, on its Job row, under its correlation id."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bookdesk import correlation
from bookdesk.core import logging_setup
from bookdesk.core.library_service import LibraryService
from bookdesk.data.job_repository import INTERRUPTED_MESSAGE, JobRepository
from bookdesk.errors import ImportFailedError

log = logging.getLogger("bookdesk.tests.jobs")


def job_row(catalog, cid):
    with catalog.read() as session:
        return JobRepository(session).get(cid)


def test_a_successful_job_ends_succeeded_with_its_summary_and_value(catalog, run_job):
    async def count_books(ctx):
        ctx.report(0.5, "halfway")
        ctx.summary = "3 added"
        return 3

    result, events = run_job(catalog, count_books, kind="import", title="Import 3 books")

    assert (result.state, result.value, result.error) == ("succeeded", 3, None)
    row = job_row(catalog, result.correlation_id)
    assert (row.kind, row.title, row.state, row.summary, row.error, row.progress) == (
        "import", "Import 3 books", "succeeded", "3 added", None, 1.0)
    assert row.started_at <= row.finished_at
    states = [e.state for e in events]
    assert states[0] == "queued" and states[1] == "running" and states[-1] == "succeeded"
    assert any(e.message == "halfway" and e.progress == 0.5 for e in events)
    assert events[-1].summary == "3 added" and events[-1].finished
    assert {e.correlation_id for e in events} == {result.correlation_id}


def test_progress_is_written_to_the_job_row_while_it_runs(catalog, run_job):
    seen = {}

    async def work(ctx):
        ctx.report(0.25, "reading files")
        row = job_row(catalog, ctx.correlation_id)
        seen["row"] = (row.state, row.progress, row.message)

    run_job(catalog, work)
    assert seen["row"] == ("running", 0.25, "reading files")


def test_a_job_raising_a_bookdesk_error_fails_with_its_message_and_reference(catalog, run_job):
    async def broken(ctx):
        raise ImportFailedError("dune.epub is damaged")

    result, events = run_job(catalog, broken)

    assert result.state == "failed"
    assert result.error.message == "dune.epub is damaged"
    assert result.error.correlation_id == result.correlation_id
    row = job_row(catalog, result.correlation_id)
    assert (row.state, row.error, row.correlation_id) == ("failed", "dune.epub is damaged", result.correlation_id)
    assert events[-1].state == "failed" and events[-1].error == "dune.epub is damaged"


def test_an_unexpected_exception_fails_the_job_with_its_traceback(catalog, run_job):
    async def crashing(ctx):
        return {}["missing"]

    result, events = run_job(catalog, crashing, title="Look up")

    assert result.state == "failed"
    assert result.error.message.startswith("Look up stopped on an unexpected error")
    assert "KeyError" in result.error.detail and "Traceback" in result.error.detail
    assert events[-1].error_detail == result.error.detail
    assert job_row(catalog, result.correlation_id).error == result.error.message


def test_a_job_asked_to_stop_ends_cancelled(catalog, run_job):
    async def polite(ctx):
        ctx.cancel()  # as if the user pressed Cancel while it ran
        ctx.check_cancelled()
        raise AssertionError("kept going after being cancelled")

    result, events = run_job(catalog, polite)
    assert result.state == "cancelled"
    assert job_row(catalog, result.correlation_id).state == "cancelled"
    assert events[-1].state == "cancelled"


def test_a_job_cancelled_before_it_starts_never_runs(catalog, run_job):
    ran = []

    async def work(ctx):
        ran.append(True)

    result, _ = run_job(catalog, work, before=lambda ctx: ctx.cancel())
    assert result.state == "cancelled" and ran == []


def test_an_interrupted_await_ends_the_job_cancelled(catalog, run_job):
    async def waiting(ctx):
        raise asyncio.CancelledError

    result, _ = run_job(catalog, waiting)
    assert result.state == "cancelled"


def test_a_broken_listener_does_not_break_the_job(catalog, run_job):
    from bookdesk.core.jobs import JobRunner

    heard = []
    runner = JobRunner(catalog, listeners=[lambda e: 1 / 0, heard.append])
    ctx = runner.create("test", "Listener test")

    async def work(c):
        return "done"

    result = asyncio.run(runner.run(ctx, work))
    assert result.state == "succeeded"
    assert [e.state for e in heard][-1] == "succeeded"


def test_everything_a_job_logs_carries_its_correlation_id(catalog, run_job, tmp_path):
    logging_setup.setup_logging(folder=tmp_path / "logs")

    async def chatty(ctx):
        log.info("looking at %d files", 2)
        assert correlation.current() == ctx.correlation_id
        raise ImportFailedError("second file is damaged")

    result, _ = run_job(catalog, chatty)
    messages = [e["message"] for e in logging_setup.lines_for(result.correlation_id)]
    assert messages[0] == "job started"
    assert "looking at 2 files" in messages
    assert messages[-1] == "job failed: second file is damaged"
    assert correlation.current() is None  # the id does not leak out of the job


def test_jobs_left_running_by_a_dead_bookdesk_are_marked_failed_on_the_next_start(library_dir):
    first = LibraryService.open(library_dir)
    with first.catalog.write() as session:
        jobs = JobRepository(session)
        jobs.create("import", "Was queued", "BD-QQQQQ")
        jobs.create("import", "Was running", "BD-RRRRR")
        jobs.started("BD-RRRRR")
        jobs.create("import", "Had finished", "BD-SSSSS")
        jobs.finished("BD-SSSSS", "succeeded", summary="1 added")
    first.close()  # as if the process died here

    # Listing only reads: it must not touch the jobs of a BookDesk that may still be running.
    reader = LibraryService.open(library_dir, exclusive=False)
    assert reader.job("BD-RRRRR").state == "running"
    reader.close()

    again = LibraryService.open(library_dir)
    try:
        states = {j.correlation_id: (j.state, j.error) for j in again.jobs()}
    finally:
        again.close()
    stopped = INTERRUPTED_MESSAGE
    assert states == {"BD-QQQQQ": ("interrupted", stopped), "BD-RRRRR": ("interrupted", stopped),
                      "BD-SSSSS": ("succeeded", None)}


def test_a_correlation_id_drawn_twice_is_drawn_again(catalog, monkeypatch):
    from bookdesk import correlation
    from bookdesk.core.jobs import JobRunner

    draws = iter(["BD-AAAAA", "BD-AAAAA", "BD-BBBBB"])
    monkeypatch.setattr(correlation, "new_id", lambda: next(draws))
    runner = JobRunner(catalog)
    first, second = runner.create("test", "First"), runner.create("test", "Second")
    assert (first.correlation_id, second.correlation_id) == ("BD-AAAAA", "BD-BBBBB")


def fill_up(catalog):
    """From now on every write to ``catalog`` fails as on a full disk (SQLITE_FULL, as the catalog
    reports it); reads still work."""
    import sqlite3
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError

    from bookdesk.data.catalog_faults import translate

    @contextmanager
    def write():
        raise translate(catalog.path, OperationalError("UPDATE jobs ...", {},
                                                       sqlite3.OperationalError("database or disk is full")))
        yield

    catalog.write = write


def test_a_job_whose_disk_fills_ends_failed_saying_so_even_when_that_cannot_be_recorded(catalog, run_job):
    async def import_books(ctx):
        fill_up(catalog)
        ctx.report(0.5, "copying")  # the progress write meets the full disk
        return "never"

    result, events = run_job(catalog, import_books)

    assert result.state == "failed"
    assert "disk" in result.error.message and "full" in result.error.message
    assert "sqlite" not in result.error.message.lower()
    assert result.error.correlation_id == result.correlation_id
    assert (events[-1].state, events[-1].error) == ("failed", result.error.message)
    assert job_row(catalog, result.correlation_id).state == "running"  # marked interrupted at the next open


def test_a_job_that_cannot_even_record_its_start_still_returns_its_failure(catalog, run_job):
    async def never(ctx):
        raise AssertionError("a job that cannot be recorded must not run")

    result, events = run_job(catalog, never, before=lambda ctx: fill_up(catalog))

    assert result.state == "failed" and "full" in result.error.message
    assert events[-1].state == "failed"


def test_a_job_done_whose_end_cannot_be_recorded_stays_done_saying_it_was_not_recorded(catalog, run_job):
    """The work is done (the book is in the library): the job is not reported failed for its row."""
    async def done(ctx):
        ctx.summary = "3 added"
        fill_up(catalog)
        return 3

    result, events = run_job(catalog, done)

    assert (result.state, result.value, result.error) == ("succeeded", 3, None)
    assert "full" in result.unrecorded.message
    assert events[-1].state == "succeeded" and events[-1].error is None
    assert events[-1].summary.startswith("3 added") and "not be recorded" in events[-1].summary
    assert job_row(catalog, result.correlation_id).state == "running"  # marked interrupted at the next open


@pytest.mark.parametrize("refusal", ["damaged", "read-only", "disk hiccup"])
def test_a_job_ends_in_its_own_state_whatever_stops_the_catalog_recording_it(catalog, run_job, refusal):
    """Not only a full disk: a catalog found damaged, a disk remounted read-only, a disk that dropped out."""
    from contextlib import contextmanager

    from bookdesk.errors import CatalogCorruptError, CatalogIOError, LibraryReadOnlyError

    kinds = {"damaged": CatalogCorruptError, "read-only": LibraryReadOnlyError, "disk hiccup": CatalogIOError}

    async def fails(ctx):
        @contextmanager
        def write():
            raise kinds[refusal]("The catalog takes no change now.")
            yield

        catalog.write = write
        raise ImportFailedError("book.epub: not an EPUB")

    result, events = run_job(catalog, fails)

    assert result.state == "failed" and result.error.message == "book.epub: not an EPUB"
    assert isinstance(result.unrecorded, kinds[refusal])
    assert (events[-1].state, events[-1].error) == ("failed", "book.epub: not an EPUB")
