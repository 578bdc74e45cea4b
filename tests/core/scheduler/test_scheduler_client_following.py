"""Following the download clients carries on what the person already asked for (a grab): neither Pause
Automation nor a failing internet check holds it back, it looks at once at the start and after a grab
(the start delay is for the app's own checks), and only switching it off in Settings → Scheduler stops it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bookdesk.core.scheduler import kinds
from tests.core.scheduler.helpers import HOURLY, client_download, entry_of, settle, spin

NAS = [{"name": "NAS", "kind": "qbittorrent", "url": "http://192.168.1.20:8080"}]  # on the LAN, not the internet


@pytest.fixture
def polls(context) -> list[str]:
    """The correlation id of every poll of the clients, which a NAS on the LAN is set up to answer."""
    polled: list[str] = []

    async def poll(job):  # noqa: ANN001 - a JobContext
        polled.append(job.correlation_id)
        return "polled"

    context.poll_clients = poll
    context.settings = replace(context.settings, download_clients=NAS)
    return polled


def _torrent_to_import(service) -> None:  # noqa: ANN001 - a LibraryService
    with service.catalog.write() as session:
        client_download(session, "torrent", "completed", True)  # complete in its client, its import to come


def _idle(scheduler) -> bool:  # noqa: ANN001 - a Scheduler
    return not any(e.running for e in scheduler.entries())


@pytest.mark.parametrize("gate", ["paused", "internet down"])
def test_a_torrent_its_client_finished_is_followed_while_paused_or_offline(
        make_scheduler, recorder, polls, service, network, gate):
    network.up = gate != "internet down"  # the probe asks the first metadata provider's host
    scheduler = make_scheduler([kinds.POLL_CLIENTS, recorder.kind("online", HOURLY, network=True)],
                               paused=gate == "paused")
    _torrent_to_import(service)

    async def story():
        started = await scheduler.tick()
        await settle(lambda: _idle(scheduler))
        return started

    assert [s.kind for s in asyncio.run(story())] == ["poll-clients"]
    assert len(polls) == 1 and recorder.runs == []  # the app's own checks still wait
    assert not entry_of(scheduler, "poll-clients").waiting_for_network


def test_paused_the_loop_still_looks_when_the_clients_are_next_due(make_scheduler, polls, service, clock):
    scheduler = make_scheduler([kinds.POLL_CLIENTS], paused=True)
    _torrent_to_import(service)

    async def story():
        loop = asyncio.create_task(scheduler.run_forever())
        await settle(lambda: len(polls) == 1 and _idle(scheduler) and clock.sleeping == 1)
        clock.advance(kinds.MINUTE)
        await settle(lambda: len(polls) == 2)
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert len(polls) == 2


def test_at_the_start_waiting_client_work_is_followed_at_once_and_the_rest_waits_for_the_delay(
        make_scheduler, recorder, polls, service, clock):
    _torrent_to_import(service)
    earlier = make_scheduler([kinds.POLL_CLIENTS])

    async def last_run():  # the app ran a moment ago: the clients' next poll is planned a minute on
        await earlier.tick()
        await settle(lambda: _idle(earlier))

    asyncio.run(last_run())
    scheduler = make_scheduler([kinds.POLL_CLIENTS, recorder.kind("hourly", HOURLY)])

    async def story():
        loop = asyncio.create_task(scheduler.run_forever(startup_delay=60))
        await settle(lambda: len(polls) == 2 and _idle(scheduler) and clock.sleeping == 1)
        assert recorder.runs == []  # the app's own checks wait for the start delay
        clock.advance(60)
        await settle(lambda: recorder.runs == ["hourly"])
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert len(polls) >= 2


def test_a_grab_has_the_clients_asked_at_once_even_within_the_start_delay(make_scheduler, polls, service, clock):
    scheduler = make_scheduler([kinds.POLL_CLIENTS])

    async def story():
        loop = asyncio.create_task(scheduler.run_forever(startup_delay=60))
        await settle(lambda: clock.sleeping == 1)
        await spin()
        assert polls == []  # nothing of ours in a client yet
        _torrent_to_import(service)
        scheduler.requests_changed()  # a grab
        await settle(lambda: len(polls) == 1 and _idle(scheduler) and clock.sleeping == 1)
        _torrent_to_import(service)
        scheduler.requests_changed()  # another, before the minute is up
        await settle(lambda: len(polls) == 2)
        scheduler.stop()
        await asyncio.wait_for(loop, 5)

    asyncio.run(story())
    assert len(polls) == 2


def test_switched_off_the_clients_are_not_followed_and_the_schedule_says_so(make_scheduler, polls, service):
    scheduler = make_scheduler([kinds.POLL_CLIENTS])
    scheduler.set_enabled("poll-clients", False)
    _torrent_to_import(service)

    async def story():
        scheduler.requests_changed()
        return await scheduler.tick()

    assert asyncio.run(story()) == [] and polls == []
    entry = entry_of(scheduler, "poll-clients")
    assert entry.follows_requests and not entry.enabled
    assert "not followed" in (entry.when_off or "")
