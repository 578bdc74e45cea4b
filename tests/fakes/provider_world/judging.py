"""Judging BookDesk's results and manners against the world's truth."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tests.fakes.provider_world.limits import PUBLISHED_LIMITS, Limit
from tests.fakes.provider_world.search import tokens

if TYPE_CHECKING:
    from tests.fakes.provider_world.world import ProviderWorld


def same_text(a: str | None, b: str | None) -> bool:
    """Equal after folding case, accents and punctuation."""
    return tokens(a) == tokens(b)


def requests_per_book(world: ProviderWorld, books: int) -> float:
    return round(len(world.requests()) / max(1, books), 3)


def bookdesk_rates(world: ProviderWorld, limits: Mapping[str, Limit] | None = None) -> dict:
    """Rates for BookDesk's RateLimiter, keyed the way its providers key the world's addresses.

    With no ``limits``, BookDesk's own published rates (what a user's BookDesk uses). With
    ``limits`` (a test's faster world), the same counts and windows as the world enforces, each
    with the burst BookDesk publishes for that provider (never more than the count)."""
    from bookdesk.core.net import rate_limiter as rl
    from bookdesk.core.providers.endpoints import rate_key

    published = {"openlibrary": rl.OPENLIBRARY_RATE, "openlibrary_covers": rl.OPENLIBRARY_COVERS_RATE,
                 "googlebooks": rl.GOOGLEBOOKS_RATE, "hardcover": rl.HARDCOVER_RATE, "audnexus": rl.AUDNEXUS_RATE}
    rates = {}
    for name, url in world.provider_urls().items():
        rate = published[name]
        if limits is not None and name in limits:
            limit = limits[name]
            rate = rl.Rate(limit.requests, limit.per_seconds, min(rate.burst, limit.requests))
        rates[rate_key(url)] = rate
    return rates


def scaled_limits(factor: float) -> dict[str, Limit]:
    """The published limits, ``factor`` times faster (the same count in a shorter window)."""
    return {name: limit.scaled(factor) for name, limit in PUBLISHED_LIMITS.items()}
