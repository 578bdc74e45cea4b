"""Each provider's published rate limit, per client, as the world enforces it."""

from __future__ import annotations

from dataclasses import dataclass

PROVIDERS = ("openlibrary", "googlebooks", "hardcover", "audnexus")
CDNS = ("hardcover-assets", "googlebooks-content", "audible-images")


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``requests`` in any ``per_seconds`` window, per client."""

    requests: int
    per_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.per_seconds

    def scaled(self, factor: float) -> Limit:
        """The same limit ``factor`` times faster (tests): same count, shorter window."""
        return Limit(self.requests, self.per_seconds / factor)


# What each provider publishes. "images" (the CDNs) publish nothing and are not limited.
PUBLISHED_LIMITS: dict[str, Limit] = {
    "openlibrary": Limit(3, 1.0),  # identified clients
    "openlibrary_covers": Limit(100, 300.0),  # covers by ISBN/LCCN/OCLC/GoodReads ids; by cover id: free
    "googlebooks": Limit(100, 100.0),  # per user, on top of the daily quota
    "hardcover": Limit(60, 60.0),  # per token
    "audnexus": Limit(100, 60.0),
}
