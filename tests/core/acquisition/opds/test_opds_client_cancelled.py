"""A request the catalog browser gives up on (its window closed, another catalog chosen) is a
cancellation: it says nothing about the catalog's health to the rate limiter, and is no failure."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bookdesk.core.acquisition.opds import OpdsClient
from bookdesk.core.net.rate_limiter import RateLimiter
from tests.core.net.local_server import LocalServer, Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_a_request_on_a_closed_client_is_cancelled_and_tells_the_limiter_nothing(server: LocalServer):
    limiter = RateLimiter()

    async def story() -> None:
        http = httpx.AsyncClient(timeout=5.0)
        client = OpdsClient(http, catalog_url=f"{server.url}/opds", limiter=limiter)
        await http.aclose()  # the browser closed while this thumbnail waited its turn
        await client.cover(f"{server.url}/t.png")

    for _ in range(6):
        with pytest.raises(asyncio.CancelledError):
            asyncio.run(story())
    assert limiter.status(server.host).consecutive_failures == 0
    assert server.requests == []


def test_a_cancelled_request_tells_the_limiter_nothing(server: LocalServer):
    server.route("GET", "/t.png", Reply(body=PNG, content_type="image/png", delay=5.0))
    limiter = RateLimiter()

    async def story() -> None:
        async with httpx.AsyncClient(timeout=30.0) as http:
            client = OpdsClient(http, catalog_url=f"{server.url}/opds", limiter=limiter)
            asking = asyncio.create_task(client.cover(f"{server.url}/t.png"))
            while not server.requests:  # on its way to the catalog
                await asyncio.sleep(0.01)
            asking.cancel()
            with pytest.raises(asyncio.CancelledError):
                await asking

    asyncio.run(story())
    assert limiter.status(server.host).consecutive_failures == 0


def test_a_catalog_that_cannot_be_reached_still_counts_as_not_answering():
    limiter = RateLimiter()
    url = "http://127.0.0.1:9/opds"  # the discard port: nobody listens

    async def story() -> None:
        async with httpx.AsyncClient(timeout=5.0) as http:
            await OpdsClient(http, catalog_url=url, limiter=limiter).feed(url)

    with pytest.raises(Exception, match="could not be reached"):
        asyncio.run(story())
    assert limiter.status("127.0.0.1:9").consecutive_failures == 1
