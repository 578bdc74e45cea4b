"""What the person changes in the schedule, told with a fake clock: switching a job off and on, a
shorter interval, checked intervals and names, run now, and sync."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bookdesk.core.scheduler.scheduler import JobNotReadyError
from bookdesk.data.job_repository import JobRepository
from bookdesk.data.schedule_repository import ScheduleRepository
from bookdesk.errors import UsageError
from tests.core.scheduler.helpers import DAILY, HOURLY, entry_of, settle


def test_a_switched_off_job_is_never_due_and_switched_on_runs_once_for_the_time_missed(
        make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])
    scheduler.set_enabled("hourly", False)

    async def story():
        assert await scheduler.tick() == []
        clock.advance(10 * HOURLY)
        assert await scheduler.tick() == []
        scheduler.set_enabled("hourly", True)
        started = await scheduler.tick()
        await settle(lambda: not entry_of(scheduler, "hourly").running)
        assert await scheduler.tick() == []
        return started

    assert len(asyncio.run(story())) == 1
    assert recorder.runs == ["hourly"]


def test_a_shorter_interval_counts_from_the_last_run(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("daily", DAILY)])
    start = clock.now()

    async def story():
        await scheduler.tick()
        await settle(lambda: not entry_of(scheduler, "daily").running)

    asyncio.run(story())
    clock.advance(2 * HOURLY)
    scheduler.set_interval("daily", HOURLY)
    entry = entry_of(scheduler, "daily")
    assert (entry.interval_seconds, entry.next_run) == (HOURLY, start + timedelta(hours=1))
    assert [k.name for k in scheduler.due()] == ["daily"]  # an hour after the last run has passed: due now
    scheduler.set_interval("daily", 3 * DAILY)
    assert entry_of(scheduler, "daily").next_run == start + timedelta(days=3)
    assert scheduler.due() == []


def test_intervals_and_job_names_are_checked(make_scheduler, recorder):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])
    for bad in (0, 59, -5, 400 * DAILY):
        with pytest.raises(UsageError):
            scheduler.set_interval("hourly", bad)
    with pytest.raises(UsageError):
        scheduler.set_enabled("no-such-job", True)
    with pytest.raises(UsageError):
        scheduler.run_now("no-such-job")


def test_run_now_runs_at_once_whatever_the_schedule_pause_or_switch_say(make_scheduler, recorder, clock, service):
    scheduler = make_scheduler([recorder.kind("daily", DAILY)], paused=True)
    scheduler.set_enabled("daily", False)

    async def story():
        cid = scheduler.run_now("daily")
        await settle(lambda: not entry_of(scheduler, "daily").running)
        return cid

    cid = asyncio.run(story())
    assert recorder.runs == ["daily"]
    entry = entry_of(scheduler, "daily")
    assert entry.last_run == clock.now() and entry.next_run == clock.now() + timedelta(days=1)
    with service.catalog.read() as session:
        job = JobRepository(session).get(cid)
    assert (job.kind, job.title, job.state, job.summary) == ("daily", "The daily job", "succeeded", "daily done")


def test_run_now_says_why_a_job_that_is_not_set_up_cannot_run(make_scheduler, recorder, service):
    scheduler = make_scheduler([recorder.kind("hooked", HOURLY, skip=lambda _c: "Searching is not set up")])
    with pytest.raises(JobNotReadyError, match="Searching is not set up"):
        scheduler.run_now("hooked")
    assert recorder.runs == []


def test_sync_runs_each_due_job_once_and_says_how_each_went(make_scheduler, recorder, network, clock):
    recorder.fail.add("broken")
    network.up = False
    scheduler = make_scheduler([
        recorder.kind("fine", HOURLY), recorder.kind("broken", HOURLY), recorder.kind("online", HOURLY, network=True),
        recorder.kind("hooked", HOURLY, skip=lambda _c: "Not set up"), recorder.kind("later", HOURLY)])
    with scheduler.catalog.write() as session:  # "later" ran a minute ago
        ScheduleRepository(session).seed({"later": HOURLY}, next_run=clock.now() + timedelta(minutes=59))
        ScheduleRepository(session).update("later", last_run=clock.now() - timedelta(minutes=1))

    results = asyncio.run(scheduler.sync())
    assert [(r.kind, r.status, r.summary) for r in results] == [
        ("fine", "succeeded", "fine done"), ("broken", "failed", "The broken job stopped on an unexpected error: "
                                                                  "broken broke"),
        ("online", "offline", "Waiting for the network"), ("hooked", "skipped", "Not set up")]
    assert all(r.correlation_id for r in results[:2]) and results[2].correlation_id is None
    assert recorder.runs == ["fine", "broken"]
    assert asyncio.run(scheduler.sync()) == [
        type(results[2])("online", "offline", None, "Waiting for the network")]  # the rest ran: not due


def test_sync_every_runs_what_is_switched_on_due_or_not(make_scheduler, recorder):
    scheduler = make_scheduler([recorder.kind("a", HOURLY), recorder.kind("b", HOURLY)])
    asyncio.run(scheduler.sync())
    scheduler.set_enabled("b", False)
    results = asyncio.run(scheduler.sync(every=True))
    assert [(r.kind, r.status) for r in results] == [("a", "succeeded")]
    assert recorder.runs == ["a", "b", "a"]
