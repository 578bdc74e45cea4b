"""When a job is due, told with a fake clock: at first, one interval after a run, once after a long
gap, never twice at once, a little later by jitter, after a failure or a skip, and while there is
something to follow; schedules outlive the scheduler."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from bookdesk.core.scheduler import timing
from bookdesk.data.job_repository import JobRepository
from tests.core.scheduler.helpers import DAILY, HOURLY, entry_of, settle


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
        await settle(lambda: not entry_of(scheduler, "hourly").running)
        entry = entry_of(scheduler, "hourly")
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
        await settle(lambda: not entry_of(scheduler, "hourly").running)
        clock.advance(3 * DAILY)  # the laptop was shut for three days: 72 slots missed
        back = clock.now()
        for _ in range(5):
            await scheduler.tick()
            await settle(lambda: not entry_of(scheduler, "hourly").running)
        return back

    back = asyncio.run(story())
    assert recorder.runs == ["hourly", "hourly"]
    entry = entry_of(scheduler, "hourly")
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
        entry = entry_of(scheduler, "slow")
        assert entry.running and entry.correlation_id == first[0].correlation_id
        recorder.release("slow")
        await settle(lambda: not entry_of(scheduler, "slow").running)
        assert [k.name for k in scheduler.due()] == ["slow"]  # its time passed while it ran: due now

    asyncio.run(story())
    assert recorder.runs == ["slow"]
    with service.catalog.read() as session:
        assert [j.state for j in JobRepository(session).recent()] == ["succeeded"]


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
        await settle(lambda: not entry_of(scheduler, "daily").running)

    asyncio.run(story())
    assert entry_of(scheduler, "daily").next_run == start + timedelta(days=1, seconds=DAILY * 0.025)


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


def test_a_failed_run_keeps_its_error_and_the_job_stays_on_schedule(make_scheduler, recorder, clock, service):
    recorder.fail.add("broken")
    scheduler = make_scheduler([recorder.kind("broken", HOURLY)])

    async def story():
        started = await scheduler.tick()
        await settle(lambda: not entry_of(scheduler, "broken").running)
        return started[0].correlation_id

    cid = asyncio.run(story())
    with service.catalog.read() as session:
        job = JobRepository(session).get(cid)
    assert job.state == "failed" and "broken broke" in job.error
    assert entry_of(scheduler, "broken").next_run == clock.now() + timedelta(hours=1)


def test_a_job_that_is_not_set_up_is_skipped_without_a_job_and_asked_again_an_interval_later(
        make_scheduler, recorder, clock, service):
    ready = {"reason": "Not set up"}
    scheduler = make_scheduler([recorder.kind("hooked", HOURLY, skip=lambda _c: ready["reason"])])

    async def story():
        assert await scheduler.tick() == []
        entry = entry_of(scheduler, "hooked")
        assert entry.last_run is None and entry.next_run == clock.now() + timedelta(hours=1)
        ready["reason"] = None
        assert await scheduler.tick() == []  # not due before its time, though ready now
        clock.advance(HOURLY)
        started = await scheduler.tick()
        await settle(lambda: not entry_of(scheduler, "hooked").running)
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
        await settle(lambda: recorder.runs == ["poll"] and not entry_of(scheduler, "poll").running)
        clock.advance(60)
        await scheduler.tick()
        await settle(lambda: len(recorder.runs) == 2 and not entry_of(scheduler, "poll").running)
        active["now"] = False
        clock.advance(60)
        assert await scheduler.tick() == []

    asyncio.run(story())
    assert recorder.runs == ["poll", "poll"]
