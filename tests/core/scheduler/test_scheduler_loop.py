"""The loop that drives the scheduler: it sleeps until the next job is due (on the fake clock, so
no real time passes), wakes early when told something changed, and stops when asked; and on the
GUI's worker thread it runs jobs like every other job there."""

from __future__ import annotations

import asyncio
import time

import pytest

from bookdesk.core.scheduler.scheduler import MAX_NAP, Scheduler
from bookdesk.core.worker import Worker
from bookdesk.data.job_repository import JobRepository
from tests.core.scheduler.helpers import HOURLY, settle, spin
from tests.fakes.clock import FakeClock


def _counting_ticks(scheduler: Scheduler) -> list[int]:
    ticks = [0]
    original = scheduler.tick

    async def tick():
        ticks[0] += 1
        return await original()

    scheduler.tick = tick  # type: ignore[method-assign]
    return ticks


def test_the_loop_runs_a_job_when_due_and_sleeps_until_the_next_time(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])
    ticks = _counting_ticks(scheduler)

    async def story():
        loop = asyncio.create_task(scheduler.run_forever())
        # One look at the start, one more when the job ended (it told the loop so), then asleep.
        await settle(lambda: recorder.runs == ["hourly"] and ticks[0] == 2 and clock.sleeping == 1)
        quiet = ticks[0]
        await spin()
        assert ticks[0] == quiet  # asleep, not looking again and again
        clock.advance(HOURLY - 1)
        await settle(lambda: clock.sleeping == 1 and ticks[0] > quiet)
        assert recorder.runs == ["hourly"]
        clock.advance(1)
        await settle(lambda: len(recorder.runs) == 2)
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert recorder.runs == ["hourly", "hourly"]


def test_the_loop_never_sleeps_longer_than_a_minute_so_a_machine_back_from_sleep_is_noticed(
        make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("weekly", 7 * 24 * HOURLY)])

    async def story():
        loop = asyncio.create_task(scheduler.run_forever())
        await settle(lambda: recorder.runs == ["weekly"] and clock.sleeping == 1
                     and not scheduler.entries()[0].running)
        assert scheduler.seconds_to_next() == MAX_NAP
        # The wall clock jumps a week (the machine slept); the loop's nap of a minute ends at once.
        clock.advance(7 * 24 * HOURLY)
        await settle(lambda: len(recorder.runs) == 2)
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert recorder.runs == ["weekly", "weekly"]


def test_resuming_wakes_the_loop_without_waiting_for_its_nap(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)], paused=True)

    async def story():
        loop = asyncio.create_task(scheduler.run_forever())
        await settle(lambda: clock.sleeping == 1)
        await spin()
        assert recorder.runs == []
        scheduler.resume()  # no time passes on the clock
        await settle(lambda: recorder.runs == ["hourly"])
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert recorder.runs == ["hourly"]


def test_the_first_look_waits_for_the_startup_delay(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])

    async def story():
        loop = asyncio.create_task(scheduler.run_forever(startup_delay=60))
        await settle(lambda: clock.sleeping == 1)
        await spin()
        assert recorder.runs == []
        clock.advance(60)
        await settle(lambda: recorder.runs == ["hourly"])
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())


def test_a_failing_tick_does_not_end_the_loop(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])
    original, calls = scheduler.tick, [0]

    async def tick():
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("the catalog was busy")
        return await original()

    scheduler.tick = tick  # type: ignore[method-assign]

    async def story():
        loop = asyncio.create_task(scheduler.run_forever())
        await settle(lambda: clock.sleeping == 1)
        clock.advance(MAX_NAP)
        await settle(lambda: recorder.runs == ["hourly"])
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert recorder.runs == ["hourly"]


def test_an_unreadable_moment_before_the_nap_does_not_end_the_loop(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])
    original, calls = scheduler.seconds_to_next, [0]

    def seconds_to_next(*args, **options):  # noqa: ANN002, ANN003
        calls[0] += 1
        if calls[0] == 1:
            raise OSError("disk I/O error")  # the catalog read that finds when the next job is due
        return original(*args, **options)

    scheduler.seconds_to_next = seconds_to_next  # type: ignore[method-assign]

    async def story():
        loop = asyncio.create_task(scheduler.run_forever())
        await settle(lambda: recorder.runs == ["hourly"] and calls[0] >= 2 and clock.sleeping == 1
                     and not scheduler.entries()[0].running)
        assert not loop.done()
        clock.advance(HOURLY)
        await settle(lambda: len(recorder.runs) == 2)
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert recorder.runs == ["hourly", "hourly"]


# ----- on the worker thread, as in the GUI -------------------------------------------------------


@pytest.fixture
def worker(service):
    running = Worker(service.catalog)
    running.start()
    yield running
    running.stop()


def _wait_for(condition, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout  # only a hang ever reaches this
    while not condition():
        assert time.monotonic() < end, "gave up waiting"
        time.sleep(0.005)


def test_on_the_worker_due_jobs_run_as_jobs_and_run_now_works_from_another_thread(
        worker, context, recorder, service):
    heard = []
    worker.add_listener(heard.append)
    scheduler = Scheduler.for_worker(worker, context, kinds=[recorder.kind("hourly", HOURLY),
                                                             recorder.kind("daily", 24 * HOURLY)],
                                     clock=FakeClock(), draw=lambda: 0.0)
    driver = scheduler.start_on(worker, startup_delay=0)
    _wait_for(lambda: sorted(recorder.runs) == ["daily", "hourly"]
              and not any(e.running for e in scheduler.entries()))
    cid = scheduler.run_now("daily")  # from this thread, as a button in the window would
    _wait_for(lambda: recorder.runs.count("daily") == 2 and not scheduler.entries()[1].running)
    scheduler.stop(timeout=10)
    assert driver.done()
    with service.catalog.read() as session:
        job = JobRepository(session).get(cid)
    assert (job.kind, job.state, job.summary) == ("daily", "succeeded", "daily done")
    assert {(e.kind, e.state) for e in heard if e.finished} == {("hourly", "succeeded"), ("daily", "succeeded")}


def test_a_wake_during_the_startup_delay_does_not_cut_it_short(make_scheduler, recorder, clock):
    scheduler = make_scheduler([recorder.kind("hourly", HOURLY)])

    async def story():
        loop = asyncio.create_task(scheduler.run_forever(startup_delay=60))
        await settle(lambda: clock.sleeping == 1)
        scheduler.wake()  # a job run by hand ended, a setting was saved
        await spin()
        assert recorder.runs == []
        clock.advance(60)
        await settle(lambda: recorder.runs == ["hourly"])
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
