"""The rate limiter against a server that counts requests when they arrive, on a fake clock: a job
asking many things at once (as identify does, several books in flight) never has the server see more
than the published rate in any window, whatever the network's delays, and no longer waits beyond
that rate when the server answers promptly."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Coroutine
from typing import Any

from bookdesk.core.net.rate_limiter import OPENLIBRARY_RATE, RateLimiter
from tests.fakes.clock import FakeClock

HOST = "openlibrary.org"
REQUESTS = 60
IN_FLIGHT = 8  # books identified at once


def run_on(clock: FakeClock, job: Coroutine[Any, Any, None]) -> None:
    """Run ``job``, stepping the fake time from one sleeper's wake to the next."""
    async def drive() -> None:
        task = asyncio.ensure_future(job)
        while not task.done():
            for _ in range(20):  # let whatever is ready run before time moves
                await asyncio.sleep(0)
            if not task.done() and not clock.wake_next():
                raise AssertionError("the job waits on something other than time")
        task.result()

    asyncio.run(drive())


def most_in_any_window(times: list[float], window: float) -> int:
    """The most requests the server saw in any ``window`` seconds (a window starting at each arrival)."""
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def ask_server(clock: FakeClock, limiter: RateLimiter, delays: random.Random, *, slow_share: float = 0.0,
               answers: bool = True) -> list[float]:
    """REQUESTS requests, IN_FLIGHT at a time, to a server that counts each when it arrives: the times
    it saw them. A request takes 1-20 ms to get there (``slow_share`` of them up to 0.2 s) and as long
    to come back; without ``answers`` none is told to the limiter as answered (a timeout each)."""
    arrived: list[float] = []
    left = list(range(REQUESTS))

    async def one_at_a_time() -> None:
        while left:
            left.pop()
            await limiter.acquire(HOST)
            slow = delays.random() < slow_share
            await clock.sleep(delays.uniform(0.001, 0.2 if slow else 0.02))  # on its way
            arrived.append(clock.monotonic())
            await clock.sleep(delays.uniform(0.001, 0.02))  # the answer on its way back
            limiter.observe(HOST, 200 if answers else None)

    async def job() -> None:
        await asyncio.gather(*(one_at_a_time() for _ in range(IN_FLIGHT)))

    run_on(clock, job())
    return arrived


def limiter_on(clock: FakeClock) -> RateLimiter:
    return RateLimiter({HOST: OPENLIBRARY_RATE}, clock=clock.monotonic, wall=clock.wall, sleep=clock.sleep)


def test_a_prompt_server_is_asked_at_its_published_rate_and_never_above_it() -> None:
    clock = FakeClock()
    arrived = ask_server(clock, limiter_on(clock), random.Random(7))

    assert len(arrived) == REQUESTS
    assert most_in_any_window(arrived, OPENLIBRARY_RATE.per_seconds) <= OPENLIBRARY_RATE.requests
    floor = REQUESTS / (OPENLIBRARY_RATE.requests / OPENLIBRARY_RATE.per_seconds)  # fake seconds, not wall time
    assert clock.monotonic() - 1000.0 <= 1.1 * floor


def test_requests_slow_to_arrive_never_make_the_server_see_more_than_the_rate() -> None:
    for seed in range(3):
        clock = FakeClock()
        arrived = ask_server(clock, limiter_on(clock), random.Random(seed), slow_share=0.3)

        assert most_in_any_window(arrived, OPENLIBRARY_RATE.per_seconds) <= OPENLIBRARY_RATE.requests


def test_requests_that_get_no_answer_keep_the_careful_margin() -> None:
    clock = FakeClock()
    arrived = ask_server(clock, limiter_on(clock), random.Random(3), slow_share=0.3, answers=False)

    assert most_in_any_window(arrived, OPENLIBRARY_RATE.per_seconds) <= OPENLIBRARY_RATE.requests
    floor = REQUESTS / (OPENLIBRARY_RATE.requests / OPENLIBRARY_RATE.per_seconds)
    assert clock.monotonic() - 1000.0 >= 1.2 * floor  # nothing proves they arrived: a quarter second apart
