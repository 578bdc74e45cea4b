"""One request that waits its turn with the rate limiter and tells it how the server answered: what the
indexers, the download clients and the torrent links do around ``fetch_capped``.

Metadata goes through ``HttpClient`` (which adds the cache and retries) and downloads through the
queue's transfer steps; both take their turn from the same limiter in the same way.
"""

from __future__ import annotations

from typing import Any

import httpx

from bookdesk.core.net.capped_read import CappedResponse, ResponseTooLarge, fetch_capped
from bookdesk.core.net.deadline import DeadlineExceeded
from bookdesk.core.net.host_name import host_key
from bookdesk.core.net.rate_limiter import Rate, RateLimiter

# The services a person set up (an indexer proxy such as Prowlarr, a download client, an OPDS catalog)
# are asked in bursts someone waits on (a poll of every torrent, a page of thumbnails): they are paced
# loosely, not at a stranger's one request a second, and their Retry-After and 429/503 hold all the same.
# Failures in a row do not pause them: each failed request already tells the person what is wrong, the
# polls come at most once a minute, and a pause (up to half an hour) would outlast the outage: a client
# back from a restart would go unasked, and a grab fail, while Settings' Test says it answers.
SERVICE_RATE = Rate(20, 1.0, burst=20, pause_when_failing=False)
MAX_WAIT = 60.0  # seconds a request waits for its turn before the caller is told the server is busy


def rate_key(limiter: RateLimiter, url: str) -> str:
    """What the limiter counts a request to ``url`` under."""
    return limiter.key_for(host_key(url), httpx.URL(url).path)


async def fetch_paced(http: httpx.AsyncClient, limiter: RateLimiter, method: str, url: str, *, limit: int,
                      user_waiting: bool = False, max_wait: float = MAX_WAIT, **options: Any) -> CappedResponse:
    """``fetch_capped`` once the limiter lets a request to ``url`` go; its answer (or that none came)
    goes back to the limiter. Raises HostBusy when the turn would come after ``max_wait`` seconds,
    else what ``fetch_capped`` raises."""
    key = rate_key(limiter, url)
    await limiter.acquire(key, user_waiting=user_waiting, max_wait=max_wait)
    try:
        answer = await fetch_capped(http, method, url, limit=limit, **options)
    except ResponseTooLarge:
        limiter.observe(key, 200)  # the server answered; the answer was only too big to read
        raise
    except (httpx.TransportError, DeadlineExceeded):
        limiter.observe(key, None)
        raise
    limiter.observe(key, answer.status_code, answer.headers)
    return answer
