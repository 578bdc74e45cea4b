"""The scheduled refresh of recent additions with a keyring that will not give Hardcover's token: the
job runs with the other providers, and its summary (what Activity shows) says Hardcover was skipped."""

from __future__ import annotations

import asyncio

import httpx

from bookdesk.core.net.cache import ResponseCache
from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.scheduler import kinds
from bookdesk.core.secrets import HARDCOVER_TOKEN
from bookdesk.core.settings import Settings
from tests.fakes.refusing_secrets import RefusingFor


def test_the_refresh_skips_hardcover_and_asks_open_library(make_scheduler, context, service, make_book,
                                                           import_books, tmp_path):
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        return httpx.Response(200, json={"numFound": 0, "docs": []})  # Open Library knows no such book

    import_books(service.catalog, [make_book("Fresh")])
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    context.net = HttpClient(http, RateLimiter(), ResponseCache(tmp_path / "cache"), max_attempts=1)
    context.settings = Settings(provider_order=["hardcover", "openlibrary"],
                                providers_enabled={"hardcover": True, "openlibrary": True, "googlebooks": False,
                                                   "audnexus": False})
    context.secrets = RefusingFor(HARDCOVER_TOKEN)
    try:
        [result] = asyncio.run(make_scheduler([kinds.REFRESH_METADATA]).sync())
    finally:
        asyncio.run(http.aclose())

    assert result.status == "succeeded", result.summary
    assert result.summary.endswith("; Hardcover skipped: your keyring did not give its token"), result.summary
    assert asked and "hardcover" not in " ".join(asked)
