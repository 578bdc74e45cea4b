"""The scheduler paused and the network down, told with a fake clock: nothing starts while paused
and what fell due runs once on resume; a job that needs the network waits for it, and the network
is asked only when such a job is due."""

from __future__ import annotations

import asyncio

from tests.core.scheduler.helpers import HOURLY, entry_of, settle


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
        await settle(lambda: not entry_of(scheduler, "hourly").running)
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
        await settle(lambda: not entry_of(scheduler, "local").running)
        waiting = entry_of(scheduler, "online")
        assert waiting.waiting_for_network and waiting.last_run is None
        assert scheduler.seconds_to_next() > 0  # asks again later, not in a busy loop
        assert await scheduler.tick() == []  # still down: still waiting
        network.up = True
        started = await scheduler.tick()
        await settle(lambda: not entry_of(scheduler, "online").running)
        return started

    assert [s.kind for s in asyncio.run(story())] == ["online"]
    assert recorder.runs == ["local", "online"]
    assert not entry_of(scheduler, "online").waiting_for_network


def test_the_network_is_asked_only_when_a_job_that_needs_it_is_due(make_scheduler, recorder, network):
    scheduler = make_scheduler([recorder.kind("local", HOURLY)])

    async def story():
        await scheduler.tick()
        await settle(lambda: recorder.runs == ["local"])

    asyncio.run(story())
    assert network.asked == 0
