"""The rate limiter, on a fake clock: never faster than allowed, the user first, the server obeyed."""

from __future__ import annotations

import asyncio
from email.utils import formatdate

import pytest

from bookdesk.core.net.rate_limiter import DEFAULT_RATE, DEFAULT_RATES, HostBusy, Rate, RateLimiter
from tests.fakes.clock import FakeClock

HOST = "books.example"
THREE_A_SECOND = Rate(3, 1.0, burst=3)


def make(clock: FakeClock, rate: Rate = THREE_A_SECOND, **options) -> RateLimiter:
    return RateLimiter({HOST: rate}, clock=clock.monotonic, wall=clock.wall, sleep=clock.sleep, **options)


def most_in_any_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_sequential_requests_never_exceed_the_rate(clock: FakeClock) -> None:
    limiter = make(clock)

    async def run() -> list[float]:
        granted = []
        for _ in range(30):
            await limiter.acquire(HOST)
            granted.append(clock.monotonic())
        return granted

    granted = asyncio.run(run())
    assert most_in_any_window(granted, 1.0) <= 3
    assert granted[:3] == [granted[0]] * 3  # the burst goes at once


def test_concurrent_requests_never_exceed_the_rate(clock: FakeClock) -> None:
    limiter = make(clock, Rate(60, 60.0, burst=5))

    async def one(granted: list[float]) -> None:
        await limiter.acquire(HOST)
        granted.append(clock.monotonic())

    async def run() -> list[float]:
        granted: list[float] = []
        await asyncio.gather(*(one(granted) for _ in range(150)))
        return granted

    granted = asyncio.run(run())
    assert len(granted) == 150
    assert most_in_any_window(granted, 60.0) <= 60


def test_a_request_the_user_waits_on_goes_before_queued_background_requests(clock: FakeClock) -> None:
    limiter = make(clock, Rate(1, 1.0, burst=1))
    order: list[str] = []

    async def one(name: str, user_waiting: bool) -> None:
        await limiter.acquire(HOST, user_waiting=user_waiting)
        order.append(name)

    async def run() -> None:
        await limiter.acquire(HOST)  # the bucket is now empty
        background = [asyncio.create_task(one(f"background {i}", False)) for i in range(3)]
        await asyncio.sleep(0)  # the background requests are queued
        user = asyncio.create_task(one("user", True))
        await asyncio.gather(*background, user)

    asyncio.run(run())
    assert order[0] == "user"
    assert order[1:] == ["background 0", "background 1", "background 2"]


def test_retry_after_in_seconds_holds_the_host_back(clock: FakeClock) -> None:
    limiter = make(clock)

    async def run() -> float:
        await limiter.acquire(HOST)
        limiter.observe(HOST, 429, {"Retry-After": "30"})
        start = clock.monotonic()
        await limiter.acquire(HOST)
        return clock.monotonic() - start

    assert asyncio.run(run()) >= 30


def test_retry_after_as_an_http_date_holds_the_host_back(clock: FakeClock) -> None:
    limiter = make(clock)

    async def run() -> float:
        limiter.observe(HOST, 503, {"Retry-After": formatdate(clock.wall() + 120, usegmt=True)})
        start = clock.monotonic()
        await limiter.acquire(HOST)
        return clock.monotonic() - start

    assert asyncio.run(run()) >= 119


@pytest.mark.parametrize("headers", [
    {"RateLimit-Remaining": "0", "RateLimit-Reset": "20"},
    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "20"},
    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(1_750_000_000 + 1000 + 20))},  # a Unix time
    {"RateLimit": '"default";r=0;t=20'},
])
def test_an_exhausted_allowance_waits_for_its_reset(clock: FakeClock, headers: dict[str, str]) -> None:
    limiter = make(clock)

    async def run() -> float:
        limiter.observe(HOST, 200, headers)
        start = clock.monotonic()
        await limiter.acquire(HOST)
        return clock.monotonic() - start

    assert asyncio.run(run()) >= 19


def test_a_remaining_allowance_does_not_slow_anything(clock: FakeClock) -> None:
    limiter = make(clock)
    limiter.observe(HOST, 200, {"RateLimit-Remaining": "12", "RateLimit-Reset": "20"})
    assert limiter.status(HOST).wait == 0


def test_429_without_retry_after_backs_off_longer_each_time(clock: FakeClock) -> None:
    limiter = make(clock)
    waits = []
    for _ in range(4):
        limiter.observe(HOST, 429, {})
        waits.append(limiter.status(HOST).wait)
        clock.advance(waits[-1])
    assert waits == sorted(waits) and waits[-1] > waits[0] > 0


def test_a_host_that_keeps_failing_is_paused_and_a_success_resumes_it(clock: FakeClock) -> None:
    limiter = make(clock, pause_after=5, first_pause=30.0)
    for _ in range(4):
        limiter.observe(HOST, 500)
    assert limiter.status(HOST).paused_for == 0
    limiter.observe(HOST, None)  # the fifth failure in a row: a timeout
    first = limiter.status(HOST).paused_for
    assert first >= 30

    clock.advance(first)
    limiter.observe(HOST, 502)  # the probe after the pause fails too: a longer pause
    assert limiter.status(HOST).paused_for > first

    limiter.observe(HOST, 200)  # it answers again
    status = limiter.status(HOST)
    assert status.paused_for == 0 and status.consecutive_failures == 0


def test_a_host_whose_rate_says_so_is_never_paused_for_failing_yet_still_obeys_retry_after(clock: FakeClock) -> None:
    limiter = make(clock, Rate(20, 1.0, burst=20, pause_when_failing=False), pause_after=5, first_pause=30.0)
    for _ in range(50):
        limiter.observe(HOST, None)
    status = limiter.status(HOST)
    assert (status.paused_for, status.wait, status.consecutive_failures) == (0, 0, 50)
    limiter.observe(HOST, 429, {"Retry-After": "120"})
    assert limiter.status(HOST).wait == 120


def test_a_paused_host_is_not_asked_until_the_pause_ends(clock: FakeClock) -> None:
    limiter = make(clock, pause_after=2, first_pause=60.0)

    async def run() -> float:
        limiter.observe(HOST, 500)
        limiter.observe(HOST, 500)
        start = clock.monotonic()
        await limiter.acquire(HOST)
        return clock.monotonic() - start

    assert asyncio.run(run()) >= 60


def test_waiting_longer_than_allowed_raises_host_busy(clock: FakeClock) -> None:
    limiter = make(clock)
    limiter.observe(HOST, 429, {"Retry-After": "3600"})
    with pytest.raises(HostBusy) as caught:
        asyncio.run(limiter.acquire(HOST, max_wait=60))
    assert caught.value.retryable and "wait 60 min" in caught.value.message
    assert limiter.status(HOST).queued == 0  # the refused waiter left the queue


def test_hosts_are_paced_independently(clock: FakeClock) -> None:
    limiter = make(clock, Rate(1, 10.0, burst=1))
    limiter.set_rate("other.example", Rate(1, 10.0, burst=1))

    async def run() -> float:
        await limiter.acquire(HOST)
        start = clock.monotonic()
        await limiter.acquire("other.example")
        return clock.monotonic() - start

    assert asyncio.run(run()) == 0


def test_published_limits_are_known_and_strangers_get_a_careful_default(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.monotonic, sleep=clock.sleep)
    assert limiter.rate_for("openlibrary.org") == Rate(3, 1.0, burst=3)
    assert limiter.rate_for("api.hardcover.app/v1/graphql").requests == 60
    assert limiter.rate_for("api.audnex.us") == DEFAULT_RATES["api.audnex.us"]
    assert limiter.rate_for("127.0.0.1:9999") == DEFAULT_RATE
    limiter.ensure_rate("127.0.0.1:9999", Rate(3, 1.0, burst=3))
    limiter.ensure_rate("127.0.0.1:9999", Rate(1, 1.0))  # the first registration stands
    assert limiter.rate_for("127.0.0.1:9999") == Rate(3, 1.0, burst=3)


def test_a_cancelled_waiter_does_not_block_the_queue(clock: FakeClock) -> None:
    limiter = make(clock, Rate(1, 1.0, burst=1))

    async def run() -> None:
        await limiter.acquire(HOST)
        first = asyncio.create_task(limiter.acquire(HOST))
        second = asyncio.create_task(limiter.acquire(HOST))
        await asyncio.sleep(0)
        first.cancel()
        await asyncio.wait_for(second, timeout=5)

    asyncio.run(run())
    assert limiter.status(HOST).queued == 0


def test_an_address_counts_under_the_most_specific_key_with_a_rate(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.monotonic, sleep=clock.sleep)
    limiter.set_rate("127.0.0.1:8000/covers", Rate(1, 3.0))
    assert limiter.key_for("127.0.0.1:8000", "/covers/b/id/1-L.jpg") == "127.0.0.1:8000/covers"
    assert limiter.key_for("127.0.0.1:8000", "/coversfake") == "127.0.0.1:8000"
    assert limiter.key_for("www.googleapis.com", "/books/v1/volumes") == "www.googleapis.com/books/v1"
    assert limiter.key_for("openlibrary.org", "/search.json") == "openlibrary.org"


def test_a_request_that_counts_as_several_spends_as_many_and_one_dearer_than_the_burst_leaves_a_debt(
        clock: FakeClock) -> None:
    # Hardcover counts each top-level field of a query: a query of two fields is two requests.
    limiter = make(clock, Rate(3, 60.0, burst=3))

    async def run() -> list[float]:
        granted = []
        for cost in (2, 1, 1, 5, 1):
            await limiter.acquire(HOST, cost=cost)
            granted.append(clock.monotonic() - 1000.0)
        return granted

    two, one, waits, dear, after = asyncio.run(run())
    assert two == one == 0.0  # 2 + 1 fit the three a minute
    assert waits >= 60.0  # the fourth request of the minute waits for the window
    assert dear >= waits + 60.0  # five is more than a minute allows: it waits for a whole one...
    assert after >= dear + 60.0  # ...and overdraws the bucket: the next waits for the debt and one more token
