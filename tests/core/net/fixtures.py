"""Fixtures shared by the network and provider tests (imported by their conftest files)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bookdesk.core.net.cache import ResponseCache
from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.factory import USER_AGENT
from bookdesk.core.net.rate_limiter import RateLimiter
from tests.core.net.local_server import LocalServer
from tests.fakes.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(sleeping_moves_time=True)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    running = LocalServer().start()
    yield running
    running.stop()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def limiter(clock: FakeClock) -> RateLimiter:
    return RateLimiter(clock=clock.monotonic, wall=clock.wall, sleep=clock.sleep)


@pytest.fixture
def net(clock: FakeClock, limiter: RateLimiter, cache_dir: Path):
    """``async with net() as client:`` an HttpClient on a real httpx client, with the fake clock,
    the test's limiter and a cache in the test's folder (``cache=False`` for none)."""

    @asynccontextmanager
    async def make(*, cache: bool = True, timeout: float = 5.0, max_attempts: int = 4,
                   **options) -> AsyncIterator[HttpClient]:
        store = ResponseCache(cache_dir, clock=clock.wall) if cache else None
        async with httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, timeout=timeout) as http:
            try:
                yield HttpClient(http, limiter, store, sleep=clock.sleep, clock=clock.monotonic,
                                 max_attempts=max_attempts, random=lambda: 0.5, **options)
            finally:
                if store is not None:
                    store.close()

    return make
