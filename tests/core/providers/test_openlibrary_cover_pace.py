"""Open Library's covers are paced as Open Library limits them: by ISBN at 100 per five minutes, by
cover id (what its searches give) without that limit, at the real address and at a mirror. On a fake
clock: no wall time is measured."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bookdesk.core.net.paced import rate_key
from bookdesk.core.net.rate_limiter import OPENLIBRARY_COVERS_RATE, RateLimiter
from bookdesk.core.providers.openlibrary import OpenLibraryProvider
from bookdesk.core.providers.series_openlibrary import OpenLibrarySeries
from tests.fakes.clock import FakeClock

COVERS = 30


def seconds_for(limiter: RateLimiter, clock: FakeClock, urls: list[str]) -> float:
    """Fake seconds until every one of ``urls`` had its turn."""
    async def run() -> None:
        for url in urls:
            await limiter.acquire(rate_key(limiter, url))

    started = clock.monotonic()
    asyncio.run(run())
    return clock.monotonic() - started


@pytest.mark.parametrize("covers", ["https://covers.openlibrary.org", "http://127.0.0.1:8080/ol-covers"])
@pytest.mark.parametrize("provider", [OpenLibraryProvider, OpenLibrarySeries])
def test_covers_by_id_are_not_held_to_the_isbn_covers_limit(covers: str, provider: type) -> None:
    clock = FakeClock(sleeping_moves_time=True)
    limiter = RateLimiter(clock=clock.monotonic, wall=clock.wall, sleep=clock.sleep)
    provider(SimpleNamespace(limiter=limiter), "http://127.0.0.1:8080/ol", covers_url=covers)

    by_id = seconds_for(limiter, clock, [f"{covers}/b/id/{n}-L.jpg" for n in range(COVERS)])
    by_isbn = seconds_for(limiter, clock, [f"{covers}/b/isbn/97800000{n:05d}-L.jpg?default=false"
                                           for n in range(COVERS)])

    isbn_interval = OPENLIBRARY_COVERS_RATE.per_seconds / OPENLIBRARY_COVERS_RATE.requests
    assert by_isbn >= (COVERS - OPENLIBRARY_COVERS_RATE.burst) * isbn_interval  # 100 per 5 minutes, after a burst
    assert by_id < COVERS * isbn_interval / 10
