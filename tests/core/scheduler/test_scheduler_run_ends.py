"""How a run's end is recorded, told with a fake clock: when it ends, and what is due at the next
start after a run cut short, stopped by the app closing, or cancelled by the person."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.core.scheduler.helpers import HOURLY, entry_of, settle


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
        entry = entry_of(first, "scan")
        assert entry.running and (entry.last_run, entry.next_run) == (None, start)  # nothing recorded yet

        clock.advance(60)  # the process is killed here: the run never ends; BookDesk starts again
        again = make_scheduler(kinds)
        assert [k.name for k in again.due()] == ["scan"]
        assert (entry_of(again, "scan").last_run, entry_of(again, "scan").next_run) == (None, start)

        recorder.hold.clear()
        recorder.release("scan")
        await settle(lambda: not entry_of(first, "scan").running)

    asyncio.run(story())
    entry = entry_of(first, "scan")
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
        await settle(lambda: not entry_of(scheduler, "scan").running)

    asyncio.run(story())
    clock.advance(60)
    again = make_scheduler(kinds)
    assert entry_of(again, "scan").next_run == start
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
        await settle(lambda: not entry_of(scheduler, "scan").running)

    asyncio.run(story())
    assert entry_of(scheduler, "scan").next_run == start + timedelta(hours=1)
    assert scheduler.due() == []
