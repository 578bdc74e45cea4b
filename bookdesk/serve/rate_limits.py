"""The server's own pacing of whoever asks it: token buckets per tier and per key or address, and the
lock-out after failed log-ins (of an address, or of a key: whatever the guard counts them against). (Pacing BookDesk's own requests to others is
core/net/rate_limiter.py; this is the other direction.)

All in memory, on the server's one event loop: a restart forgets them, which only ever lets someone in
sooner. ``clock`` is monotonic seconds, a test's fake clock where it wants one.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bookdesk.serve.policy import ServePolicy, Tier

_MAX_TRACKED = 10_000  # buckets kept; past it the full ones (the idle) are dropped first


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class RateLimits:
    def __init__(self, policy: ServePolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}

    def take(self, tier_name: str, who: str) -> float:
        """Spend one request of ``tier_name`` for ``who``: 0 when allowed, else the seconds until it would be."""
        tier: Tier = getattr(self.policy, tier_name)
        now = self._clock()
        rate = tier.requests / tier.seconds
        bucket = self._buckets.get((tier_name, who))
        if bucket is None:
            if len(self._buckets) >= _MAX_TRACKED:
                self._prune(now)
            bucket = self._buckets[(tier_name, who)] = _Bucket(float(tier.requests), now)
        bucket.tokens = min(float(tier.requests), bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / rate

    def locked(self, address: str) -> float:
        """Seconds ``address`` (or key) stays locked out (0: it is not)."""
        until = self._locked_until.get(address)
        if until is None:
            return 0.0
        left = until - self._clock()
        if left <= 0:
            del self._locked_until[address]
            return 0.0
        return left

    def failed(self, address: str) -> None:
        """A failed log-in from ``address``; the ``failed_logins``-th within the window locks it out."""
        now = self._clock()
        seen = self._failures.setdefault(address, deque())
        seen.append(now)
        while seen and seen[0] <= now - self.policy.failed_window:
            seen.popleft()
        if len(seen) >= self.policy.failed_logins:
            self._locked_until[address] = now + self.policy.lockout
            seen.clear()
        if len(self._failures) > _MAX_TRACKED:
            self._failures = {a: d for a, d in self._failures.items() if d and d[-1] > now - self.policy.failed_window}

    def _prune(self, now: float) -> None:
        def full(key: tuple[str, str], bucket: _Bucket) -> bool:
            tier: Tier = getattr(self.policy, key[0])
            return bucket.tokens + (now - bucket.stamp) * tier.requests / tier.seconds >= tier.requests

        self._buckets = {k: b for k, b in self._buckets.items() if not full(k, b)}
        while len(self._buckets) >= _MAX_TRACKED:  # all busy: the oldest go
            self._buckets.pop(next(iter(self._buckets)))


def retry_after(seconds: float) -> str:
    """The header's whole seconds, never 0 (a client told 0 would ask again at once)."""
    return str(max(1, math.ceil(seconds)))
