"""The scheduling rules, told with a fake clock: when a job is due, what happens after a long gap,
no two runs of one job at once, the pause, waiting for the network, and what the person changes."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from bookdesk.core.scheduler import timing
from bookdesk.core.scheduler.scheduler import JobNotReadyError
from bookdesk.data.job_repository import JobRepository
from bookdesk.data.schedule_repository import ScheduleRepository
from bookdesk.errors import UsageError
from tests.core.scheduler.helpers import DAILY, HOURLY, settle


def _entry(scheduler, name):
    return next(e for e in scheduler.entries() if e.kind == name)


def test_a_new_library_lists_every_job_with_its_defaults_and_runs_each_once_at_first(make_scheduler, recorder):
    kinds = [recorder.kind("hourly", HOURLY), recorder.kind("daily", DAILY)]
    scheduler = make_scheduler(kinds)

    entries = scheduler.entries()
    assert [(e.kind, e.enabled, e.interval_seconds, e.last_run, e.next_run, e.running) for e in entries] == [
        ("hourly", True, HOURLY, None, None, False), ("daily", True, DAILY, None, None, False)]
    assert [k.name for k in scheduler.due()] == ["hourly", "daily"]

    async def story():
        started = await scheduler.tick()
        await settle(lambda: len(recorder.runs) == 2 and not any(e.running for e in scheduler.entries()))
        return started

    started = asyncio.run(story())
    assert [s.kind for s in started] == ["hourly", "daily"]
    assert sorted(recorder.runs) == ["daily", "hourly"]


def test_after_a_run_the_next_is_one_interval_later_and_not_before(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])
    start = clock.now()

    async def story():
        await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "hourly").running)
        entry = _entry(scheduler, "hourly")
        assert (entry.last_run, entry.next_run) == (start, start + timedelta(hours=1))
        clock.advance(HOURLY - 1)
        assert scheduler.due() == []
        assert await scheduler.tick() == []
        clock.advance(1)
        assert [k.name for k in scheduler.due()] == ["hourly"]
        await scheduler.tick()
        await settle(lambda: len(recorder.runs) == 2)

    asyncio.run(story())
    assert recorder.runs == ["hourly", "hourly"]


def test_a_long_gap_brings_one_run_not_one_per_missed_slot(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])

    async def story():
        await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "hourly").running)
        clock.advance(3 * DAILY)  # the laptop was shut for three days: 72 slots missed
        back = clock.now()
        for _ in range(5):
            await scheduler.tick()
            await settle(lambda: not _entry(scheduler, "hourly").running)
        return back

    back = asyncio.run(story())
    assert recorder.runs == ["hourly", "hourly"]
    entry = _entry(scheduler, "hourly")
    assert entry.last_run == back
    assert entry.next_run == back + timedelta(hours=1)  # planned from the catch-up run, not the old slots


def test_a_job_still_running_when_it_is_due_again_is_not_started_twice(make_scheduler, recorder, clock, service):
    recorder.hold.add("slow")
    scheduler = make_scheduler([recorder.kind("slow", HOURLY)])

    async def story():
        first = await scheduler.tick()
        await settle(lambda: recorder.runs == ["slow"])
        clock.advance(2 * HOURLY)
        assert scheduler.due() == []  # running: not due, however late
        assert await scheduler.tick() == []
        assert scheduler.run_now("slow") == first[0].correlation_id  # "Run now" points at the run going on
        assert await scheduler.sync() == []
        entry = _entry(scheduler, "slow")
        assert entry.running and entry.correlation_id == first[0].correlation_id
        recorder.release("slow")
        await settle(lambda: not _entry(scheduler, "slow").running)
        assert [k.name for k in scheduler.due()] == ["slow"]  # its time passed while it ran: due now

    asyncio.run(story())
    assert recorder.runs == ["slow"]
    with service.catalog.read() as session:
        assert [j.state for j in JobRepository(session).recent()] == ["succeeded"]


def test_paused_nothing_starts_and_on_resume_what_fell_due_runs_once(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)], paused=True)

    async def story():
        assert scheduler.paused
        assert await scheduler.tick() == []
        clock.advance(5 * HOURLY)
        assert await scheduler.tick() == []
        assert [k.name for k in scheduler.due()] == ["hourly"]  # due all the same
        scheduler.resume()
        started = await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "hourly").running)
        scheduler.pause()
        clock.advance(HOURLY)
        assert await scheduler.tick() == []
        return started

    assert len(asyncio.run(story())) == 1
    assert recorder.runs == ["hourly"]


def test_a_job_that_needs_the_network_waits_while_it_is_down_and_runs_when_it_is_back(
        make_scheduler, recorder, network):
    network.up = False
    scheduler = make_scheduler([recorder.kind("online", HOURLY, network=True), recorder.kind("local", HOURLY)])

    async def story():
        started = await scheduler.tick()
        assert [s.kind for s in started] == ["local"]
        await settle(lambda: not _entry(scheduler, "local").running)
        waiting = _entry(scheduler, "online")
        assert waiting.waiting_for_network and waiting.last_run is None
        assert scheduler.seconds_to_next() > 0  # asks again later, not in a busy loop
        assert await scheduler.tick() == []  # still down: still waiting
        network.up = True
        started = await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "online").running)
        return started

    assert [s.kind for s in asyncio.run(story())] == ["online"]
    assert recorder.runs == ["local", "online"]
    assert not _entry(scheduler, "online").waiting_for_network


def test_the_network_is_asked_only_when_a_job_that_needs_it_is_due(make_scheduler, recorder, network):
    scheduler = make_scheduler([recorder.kind("local", HOURLY)])

    async def story():
        await scheduler.tick()
        await settle(lambda: recorder.runs == ["local"])

    asyncio.run(story())
    assert network.asked == 0


def test_jitter_only_ever_delays_and_by_at_most_five_percent_of_the_interval(clock):
    start = clock.now()
    draws = random.Random(7)
    for interval in (60, HOURLY, DAILY, 7 * DAILY):
        for _ in range(200):
            planned = timing.next_run(start, interval, draws.random)
            assert start + timedelta(seconds=interval) <= planned
            assert planned <= start + timedelta(seconds=interval * 1.05)
    assert timing.next_run(start, DAILY, lambda: 0.0) == start + timedelta(days=1)
    assert timing.next_run(start, DAILY, lambda: 1.0) == start + timedelta(days=1, seconds=DAILY * 0.05)
    assert timing.next_run(start, DAILY, lambda: 7.0) == start + timedelta(days=1, seconds=DAILY * 0.05)


def test_the_jitter_comes_from_the_random_source_given(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("daily", DAILY)], draw=lambda: 0.5)
    start = clock.now()

    async def story():
        await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "daily").running)

    asyncio.run(story())
    assert _entry(scheduler, "daily").next_run == start + timedelta(days=1, seconds=DAILY * 0.025)


def test_schedules_outlive_the_scheduler(make_scheduler, recorder, clock):
    kinds = [recorder.kind("hourly", HOURLY), recorder.kind("daily", DAILY)]
    first = make_scheduler(kinds)

    async def story():
        await first.tick()
        await settle(lambda: not any(e.running for e in first.entries()))

    asyncio.run(story())
    first.set_enabled("daily", False)
    first.set_interval("hourly", 2 * HOURLY)
    before = first.entries()

    again = make_scheduler(kinds)  # the app started anew
    assert again.entries() == before
    assert [(e.kind, e.enabled, e.interval_seconds) for e in again.entries()] == [
        ("hourly", True, 2 * HOURLY), ("daily", False, DAILY)]
    clock.advance(2 * HOURLY)
    assert [k.name for k in again.due()] == ["hourly"]


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
        await settle(lambda: not _entry(scheduler, "hourly").running)
        assert await scheduler.tick() == []
        return started

    assert len(asyncio.run(story())) == 1
    assert recorder.runs == ["hourly"]


def test_a_shorter_interval_counts_from_the_last_run(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("daily", DAILY)])
    start = clock.now()

    async def story():
        await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "daily").running)

    asyncio.run(story())
    clock.advance(2 * HOURLY)
    scheduler.set_interval("daily", HOURLY)
    entry = _entry(scheduler, "daily")
    assert (entry.interval_seconds, entry.next_run) == (HOURLY, start + timedelta(hours=1))
    assert [k.name for k in scheduler.due()] == ["daily"]  # an hour after the last run has passed: due now
    scheduler.set_interval("daily", 3 * DAILY)
    assert _entry(scheduler, "daily").next_run == start + timedelta(days=3)
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
        await settle(lambda: not _entry(scheduler, "daily").running)
        return cid

    cid = asyncio.run(story())
    assert recorder.runs == ["daily"]
    entry = _entry(scheduler, "daily")
    assert entry.last_run == clock.now() and entry.next_run == clock.now() + timedelta(days=1)
    with service.catalog.read() as session:
        job = JobRepository(session).get(cid)
    assert (job.kind, job.title, job.state, job.summary) == ("daily", "The daily job", "succeeded", "daily done")


def test_run_now_says_why_a_job_that_is_not_set_up_cannot_run(make_scheduler, recorder, service):
    scheduler = make_scheduler([recorder.kind("hooked", HOURLY, skip=lambda _c: "Searching is not set up")])
    with pytest.raises(JobNotReadyError, match="Searching is not set up"):
        scheduler.run_now("hooked")
    assert recorder.runs == []


def test_a_failed_run_keeps_its_error_and_the_job_stays_on_schedule(make_scheduler, recorder, clock, service):
    recorder.fail.add("broken")
    scheduler = make_scheduler([recorder.kind("broken", HOURLY)])

    async def story():
        started = await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "broken").running)
        return started[0].correlation_id

    cid = asyncio.run(story())
    with service.catalog.read() as session:
        job = JobRepository(session).get(cid)
    assert job.state == "failed" and "broken broke" in job.error
    assert _entry(scheduler, "broken").next_run == clock.now() + timedelta(hours=1)


def test_a_job_that_is_not_set_up_is_skipped_without_a_job_and_asked_again_an_interval_later(
        make_scheduler, recorder, clock, service):
    ready = {"reason": "Not set up"}
    scheduler = make_scheduler([recorder.kind("hooked", HOURLY, skip=lambda _c: ready["reason"])])

    async def story():
        assert await scheduler.tick() == []
        entry = _entry(scheduler, "hooked")
        assert entry.last_run is None and entry.next_run == clock.now() + timedelta(hours=1)
        ready["reason"] = None
        assert await scheduler.tick() == []  # not due before its time, though ready now
        clock.advance(HOURLY)
        started = await scheduler.tick()
        await settle(lambda: not _entry(scheduler, "hooked").running)
        return started

    assert len(asyncio.run(story())) == 1
    with service.catalog.read() as session:
        assert len(JobRepository(session).recent()) == 1


def test_a_job_that_follows_something_is_due_only_while_there_is_something(make_scheduler, recorder, clock):
    active = {"now": False}
    scheduler = make_scheduler([recorder.kind("poll", 60, active=lambda _c: active["now"])])

    async def story():
        assert await scheduler.tick() == []
        clock.advance(DAILY)
        assert scheduler.due() == []
        active["now"] = True
        await scheduler.tick()
        await settle(lambda: recorder.runs == ["poll"] and not _entry(scheduler, "poll").running)
        clock.advance(60)
        await scheduler.tick()
        await settle(lambda: len(recorder.runs) == 2 and not _entry(scheduler, "poll").running)
        active["now"] = False
        clock.advance(60)
        assert await scheduler.tick() == []

    asyncio.run(story())
    assert recorder.runs == ["poll", "poll"]


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


def test_a_run_is_recorded_when_it_ends_and_one_cut_short_is_due_again_at_the_next_start(
        make_scheduler, recorder, clock):
    """A kill mid-run must not leave the job waiting a whole interval (a watch folder full of books
    waiting an hour): until a run ends, the schedule says nothing of it."""
    recorder.hold.add("scan")
    kinds = [recorder.kind("scan", HOURLY)]
    first = make_scheduler(kinds)
    start = clock.now()

    async def story():
        await first.tick()
        await settle(lambda: recorder.runs == ["scan"])
        entry = _entry(first, "scan")
        assert entry.running and (entry.last_run, entry.next_run) == (None, start)  # nothing recorded yet

        clock.advance(60)  # the process is killed here: the run never ends; BookDesk starts again
        again = make_scheduler(kinds)
        assert [k.name for k in again.due()] == ["scan"]
        assert (_entry(again, "scan").last_run, _entry(again, "scan").next_run) == (None, start)

        recorder.hold.clear()
        recorder.release("scan")
        await settle(lambda: not _entry(first, "scan").running)

    asyncio.run(story())
    entry = _entry(first, "scan")
    assert (entry.last_run, entry.next_run) == (start, start + timedelta(hours=1))  # planned from its start


def test_a_run_stopped_by_the_app_closing_is_due_again_at_the_next_start(make_scheduler, recorder, clock):
    recorder.hold.add("scan")
    kinds = [recorder.kind("scan", HOURLY)]
    scheduler = make_scheduler(kinds)
    start = clock.now()

    async def story():
        [run] = await scheduler.tick()
        await settle(lambda: recorder.runs == ["scan"])
        scheduler.stop()  # the app closes; the worker then cancels what still runs
        task = next(t for t in asyncio.all_tasks() if t is not asyncio.current_task())
        task.cancel()
        await settle(lambda: not _entry(scheduler, "scan").running)

    asyncio.run(story())
    clock.advance(60)
    again = make_scheduler(kinds)
    assert _entry(again, "scan").next_run == start
    assert [k.name for k in again.due()] == ["scan"]


def test_a_run_cancelled_by_the_person_waits_its_interval(make_scheduler, recorder, clock):
    recorder.hold.add("scan")
    scheduler = make_scheduler([recorder.kind("scan", HOURLY)])
    start = clock.now()

    async def story():
        await scheduler.tick()
        await settle(lambda: recorder.runs == ["scan"])
        task = next(t for t in asyncio.all_tasks() if t is not asyncio.current_task())
        task.cancel()
        await settle(lambda: not _entry(scheduler, "scan").running)

    asyncio.run(story())
    assert _entry(scheduler, "scan").next_run == start + timedelta(hours=1)
    assert scheduler.due() == []
