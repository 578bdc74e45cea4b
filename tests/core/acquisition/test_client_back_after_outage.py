"""A download client that was down for a while (qBittorrent restarting, the NAS asleep) is asked again the
moment it is back: the shared rate limiter does not pause the person's own services after failures (each
failed request says what is wrong already), while their Retry-After is obeyed as ever."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bookdesk.core.acquisition import config as client_config
from bookdesk.core.acquisition.clients.base import ClientError
from bookdesk.core.acquisition.clients.http_session import ClientSession
from bookdesk.core.net.rate_limiter import RateLimiter
from tests.fakes.clock import FakeClock

URL = "http://127.0.0.1:8080"
VERSION = URL + "/api/v2/app/version"
POLL = 60.0  # the scheduled poll of the clients, once a minute


class Client:
    """qBittorrent as the network sees it: refusing connections while down, else answering (or throttling)."""

    def __init__(self) -> None:
        self.up = False
        self.throttle: str | None = None  # a Retry-After to answer 429 with, once

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("Connection refused", request=request)
        if self.throttle is not None:
            wait, self.throttle = self.throttle, None
            return httpx.Response(429, headers={"Retry-After": wait})
        return httpx.Response(200, text="v4.6.5")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(sleeping_moves_time=True)


def _session(client: Client, clock: FakeClock) -> ClientSession:
    [config] = client_config.clients([{"name": "Seedbox", "kind": "qbittorrent", "url": URL}])
    limiter = RateLimiter(clock=clock.monotonic, wall=clock.wall, sleep=clock.sleep)
    return ClientSession(config, transport=httpx.MockTransport(client), limiter=limiter)


async def _poll(session: ClientSession, clock: FakeClock) -> str:
    """One scheduled poll; what it got, in words. The next comes a minute after this one began."""
    began = clock.monotonic()
    try:
        answer = await session.request("GET", VERSION)
        said = f"answered {answer.status_code}"
    except ClientError as exc:
        said = exc.message
    clock.advance(max(0.0, began + POLL - clock.monotonic()))
    return said


def test_a_client_down_for_twelve_polls_is_asked_at_the_first_poll_after_it_is_back(clock):
    client = Client()
    session = _session(client, clock)

    async def story() -> tuple[list[str], str]:
        try:
            down = [await _poll(session, clock) for _ in range(12)]
            client.up = True
            return down, await _poll(session, clock)
        finally:
            await session.aclose()

    down, back = asyncio.run(story())
    assert all("cannot be reached" in said for said in down), down  # each poll says why, none is refused
    assert back == "answered 200"


def test_a_client_that_asks_for_a_pause_still_gets_it(clock):
    client = Client()
    client.up, client.throttle = True, "600"  # ten minutes: longer than a request waits for its turn
    session = _session(client, clock)

    async def story() -> list[str]:
        try:
            return [await _poll(session, clock) for _ in range(2)]
        finally:
            await session.aclose()

    throttled, next_poll = asyncio.run(story())
    assert throttled == "answered 429"
    assert "asked BookDesk to wait" in next_poll
