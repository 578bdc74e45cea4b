"""Per-host pacing: a token bucket at the provider's published rate, a lane for what the user waits on,
and the server's own word (Retry-After, RateLimit-*) taken as law.

One ``RateLimiter`` object serves every request of the worker; it keeps no module-level state, so
two libraries or two tests never share a bucket. It is asyncio-only: use it from one event loop.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bookdesk.core.net.errors import NetworkError
from bookdesk.core.net.retry_after import MAX_RETRY_AFTER, retry_after_seconds

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``requests`` every ``per_seconds``, of which ``burst`` may go back to back. With
    ``pause_when_failing`` false, failures in a row never pause the host (see ``SERVICE_RATE``)."""

    requests: int
    per_seconds: float
    burst: int = 1
    pause_when_failing: bool = True

    def __post_init__(self) -> None:
        if self.requests < 1 or self.per_seconds <= 0 or self.burst < 1:
            raise ValueError(f"not a usable rate: {self}")

    @property
    def interval(self) -> float:
        return self.per_seconds / self.requests


# The providers' published limits, keyed as the providers key their requests (host, plus the API's
# path where one host serves several APIs). A provider pointed at a mirror registers the same rate
# for the mirror's key (see ``ensure_rate``).
OPENLIBRARY_RATE = Rate(3, 1.0, burst=3)  # identified clients: 3 requests a second
OPENLIBRARY_COVERS_RATE = Rate(100, 300.0, burst=10)  # covers by ISBN (/b/isbn/): 100 per 5 minutes per IP
# Covers by cover id (/b/id/, what search and work records give) are not limited by Open Library: asked
# at that pace, a job's covers took a request every three seconds, longer than its searches at 3 a second.
OPENLIBRARY_COVER_IDS_RATE = Rate(10, 1.0, burst=10)
OPENLIBRARY_COVERS_BY_ISBN = "/b/isbn"  # the path, under the covers address, that the limit above is for
GOOGLEBOOKS_RATE = Rate(100, 100.0, burst=5)  # per-user quota, on top of a daily quota
HARDCOVER_RATE = Rate(60, 60.0, burst=5)  # 60 requests a minute per token
AUDNEXUS_RATE = Rate(100, 60.0, burst=5)  # 100 requests a minute
DEFAULT_RATE = Rate(1, 1.0, burst=2)  # a host nobody told us about

DEFAULT_RATES: dict[str, Rate] = {
    "openlibrary.org": OPENLIBRARY_RATE,
    "covers.openlibrary.org": OPENLIBRARY_COVER_IDS_RATE,
    "covers.openlibrary.org" + OPENLIBRARY_COVERS_BY_ISBN: OPENLIBRARY_COVERS_RATE,
    "www.googleapis.com": GOOGLEBOOKS_RATE,
    "www.googleapis.com/books/v1": GOOGLEBOOKS_RATE,
    "api.hardcover.app": HARDCOVER_RATE,
    "api.hardcover.app/v1/graphql": HARDCOVER_RATE,
    "api.audnex.us": AUDNEXUS_RATE,
}

PAUSE_AFTER_FAILURES = 5
FIRST_PAUSE = 30.0
MAX_PAUSE = 30 * 60.0
MAX_BACKOFF = 60.0
MAX_BLOCK = MAX_RETRY_AFTER  # a server asking for more than a day is not believed beyond that
# A request reaches the server some time after it leaves here, and the server counts it when it arrives.
# Until its answer comes, a request is assumed to arrive within this margin of leaving (network jitter,
# connection set-up): a share of the window, and never less than a quarter of a second. Once answered,
# it is known to have arrived by then: the window is counted from the answer when that came sooner, so
# that a nearby server is asked at its published rate instead of a quarter of a second slower.
WINDOW_MARGIN = 0.05
MIN_WINDOW_MARGIN = 0.25
CLOCKS_MARGIN = 0.01  # the server's clock is not this one: a hundredth of a second for their readings

_DRAFT_FIELD = re.compile(r"(?:^|[;,\s])(r|t|remaining|reset)\s*=\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


class HostBusy(NetworkError):
    """The host may not be asked again before the caller's patience runs out."""

    retryable = True

    def __init__(self, message: str, *, host: str = "", wait: float = 0.0, **kwargs) -> None:
        super().__init__(message, host=host, retryable=True, **kwargs)
        self.wait = wait


@dataclass(frozen=True, slots=True)
class HostStatus:
    """What the limiter knows of one host right now, for the Activity view and the logs."""

    key: str
    rate: Rate
    wait: float  # seconds before the next request may go
    paused_for: float  # seconds left of a pause after repeated failures (0 when not paused)
    consecutive_failures: int
    queued: int


@dataclass(eq=False, slots=True)
class _Waiter:
    priority: int
    seq: int
    event: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(slots=True)
class _Sent:
    """One request counted in the window: when it left, and when an answer came (None: not yet)."""

    left: float
    answered: float | None = None

    def arrived_by(self, margin: float) -> float:
        """The latest it can have reached the server (see WINDOW_MARGIN)."""
        latest = self.left + margin
        return latest if self.answered is None else min(self.answered, latest)


@dataclass(slots=True)
class _Host:
    rate: Rate
    tokens: float
    refilled_at: float
    granted: deque[_Sent] = field(default_factory=deque)
    # Answers pair with requests in the order they left: the k-th answer proves that k requests had
    # arrived by then, whichever they were. An answer whose request left the window unanswered is owed here.
    answers_owed_to_gone: int = 0
    news: asyncio.Future[None] | None = None  # done at the next answer: the first waiter may go sooner
    blocked_until: float = 0.0  # Retry-After, RateLimit-Reset, backoff after 429/503, quota
    paused_until: float = 0.0  # after repeated failures; cleared by a success
    failures: int = 0
    pauses: int = 0
    throttles: int = 0
    queue: list[_Waiter] = field(default_factory=list)

    def refill(self, now: float) -> None:
        if now > self.refilled_at:
            self.tokens = min(float(self.rate.burst), self.tokens + (now - self.refilled_at) / self.rate.interval)
            self.refilled_at = now

    def delay(self, now: float, cost: int = 1) -> float:
        """Seconds until a request that counts as ``cost`` requests may go, counting every reason to wait."""
        self.refill(now)
        # A request dearer than the burst waits for a full bucket and leaves it in debt (see grant).
        need = float(min(cost, self.rate.burst))
        bucket = 0.0 if self.tokens >= need else (need - self.tokens) * self.rate.interval
        window = 0.0
        margin = max(self.rate.per_seconds * WINDOW_MARGIN, MIN_WINDOW_MARGIN)
        span = self.rate.per_seconds + CLOCKS_MARGIN
        # arrived_by is in order along the deque: the k-th answer pairs with the k-th request to leave.
        while self.granted and self.granted[0].arrived_by(margin) <= now - span:
            if self.granted.popleft().answered is None:
                self.answers_owed_to_gone += 1
        counted = min(cost, self.rate.requests)
        over = len(self.granted) + counted - self.rate.requests
        if over > 0:  # wait until enough of the window's requests have aged out to make room
            window = self.granted[over - 1].arrived_by(margin) + span - now
        return max(bucket, window, self.blocked_until - now, self.paused_until - now, 0.0)

    def grant(self, now: float, cost: int = 1) -> None:
        self.refill(now)
        self.tokens -= cost  # below zero only for a request dearer than the burst: the next ones wait it out
        self.granted.extend(_Sent(now) for _ in range(min(cost, self.rate.requests)))

    def answered(self, now: float) -> None:
        """An answer came: one more request is known to have reached the server by ``now``."""
        if self.answers_owed_to_gone:
            self.answers_owed_to_gone -= 1
            return
        waiting = next((sent for sent in self.granted if sent.answered is None), None)
        if waiting is not None:
            waiting.answered = now
            if self.news is not None and not self.news.done():
                self.news.set_result(None)


class RateLimiter:
    """Paces requests per host.

    ``await acquire(host)`` before each request, ``observe(host, status, headers)`` after each
    answer (``status=None`` when no answer came: a timeout or a refused connection).
    """

    def __init__(self, rates: Mapping[str, Rate] | None = None, *, default: Rate = DEFAULT_RATE,
                 clock: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 pause_after: int = PAUSE_AFTER_FAILURES, first_pause: float = FIRST_PAUSE,
                 max_pause: float = MAX_PAUSE) -> None:
        self._rates = dict(DEFAULT_RATES if rates is None else rates)
        self._default = default
        self._clock = clock
        self._wall = wall
        self._sleep = sleep
        self._pause_after = pause_after
        self._first_pause = first_pause
        self._max_pause = max_pause
        self._hosts: dict[str, _Host] = {}
        self._seq = itertools.count()

    # ----- configuration -----------------------------------------------------------------

    def set_rate(self, host: str, rate: Rate) -> None:
        """Use ``rate`` for ``host`` from now on (settings, or a test)."""
        self._rates[host] = rate
        state = self._hosts.get(host)
        if state is not None:
            state.rate = rate
            state.tokens = min(state.tokens, float(rate.burst))

    def ensure_rate(self, host: str, rate: Rate) -> None:
        """Use ``rate`` for ``host`` unless a rate was set for it already (a provider's published
        limit, registered for whatever base URL it was given)."""
        if host not in self._rates:
            self.set_rate(host, rate)

    def rate_for(self, host: str) -> Rate:
        return self._rates.get(host, self._default)

    def key_for(self, host: str, path: str = "") -> str:
        """The key a request to ``host`` + ``path`` counts under: the longest key with a rate of its
        own that the address falls under (a provider's API path on a shared host), else the host."""
        address = host + path
        best = host
        for key in self._rates:
            if len(key) > len(best) and (address == key or address.startswith(key.rstrip("/") + "/")):
                best = key
        return best

    # ----- the two calls around every request ----------------------------------------------

    async def acquire(self, host: str, *, user_waiting: bool = False, max_wait: float | None = None,
                      cost: int = 1) -> float:
        """Wait until a request to ``host`` may go; returns the seconds waited.

        ``cost`` is how many requests the host counts this one as (Hardcover counts each top-level
        field of a GraphQL query). A request the user is waiting on goes before every queued
        background request for that host. Raises HostBusy when the wait would exceed ``max_wait``
        seconds.
        """
        cost = max(1, int(cost))
        state = self._state(host)
        waiter = _Waiter(0 if user_waiting else 1, next(self._seq))
        state.queue.append(waiter)
        state.queue.sort(key=lambda w: (w.priority, w.seq))
        started = self._clock()
        try:
            while True:
                if state.queue[0] is not waiter:
                    waiter.event.clear()
                    await waiter.event.wait()
                    continue
                now = self._clock()
                delay = state.delay(now, cost)
                if delay <= 0:
                    state.grant(now, cost)
                    return now - started
                if max_wait is not None and now - started + delay > max_wait:
                    raise HostBusy(self._busy_message(host, state, now, delay), host=host, wait=delay)
                # Another waiter may jump the queue meanwhile; it then sleeps on its own, and this
                # one finds it is no longer first when it wakes. An answer may open the window sooner.
                await self._sleep_or_answer(delay, state)
        finally:
            state.queue.remove(waiter)
            if state.queue:
                state.queue[0].event.set()

    def observe(self, host: str, status: int | None, headers: Mapping[str, str] | None = None) -> None:
        """Learn from an answer: its rate-limit headers, and whether the host is healthy."""
        state = self._state(host)
        now = self._clock()
        if status is not None:  # an answer: the request got there (no answer says nothing of when)
            state.answered(now)
        headers = _lower(headers)
        told = self._told_wait(status, headers)
        if told is not None:
            state.blocked_until = max(state.blocked_until, now + min(told, MAX_BLOCK))
        if status in (429, 503):
            if told is None:
                backoff = min(MAX_BACKOFF, 2.0 ** state.throttles)
                state.blocked_until = max(state.blocked_until, now + backoff)
            state.throttles += 1
        # A 429 or 503 that says how long to wait is the server pacing us, not failing: it blocks for
        # that long (above) but does not count toward pausing the host for the rest of a job.
        throttled_with_advice = status in (429, 503) and told is not None
        if throttled_with_advice:
            return  # neither a failure nor a sign of health: the block above is all it asks
        if status is None or status == 429 or status >= 500:
            state.failures += 1
            if state.failures >= self._pause_after and state.rate.pause_when_failing:
                pause = min(self._max_pause, self._first_pause * 2 ** state.pauses)
                state.pauses += 1
                state.paused_until = max(state.paused_until, now + pause)
                log.warning("pausing requests to %s for %.0f s after %d failures in a row", host, pause,
                            state.failures, extra={"host": host, "pause_seconds": pause})
        else:
            if state.paused_until > now or state.pauses:
                log.info("%s answers again; requests resume", host, extra={"host": host})
            state.failures = state.pauses = state.throttles = 0
            state.paused_until = 0.0

    def block(self, host: str, seconds: float) -> None:
        """Send nothing to ``host`` for ``seconds`` (a quota that is used up, say)."""
        state = self._state(host)
        state.blocked_until = max(state.blocked_until, self._clock() + min(seconds, MAX_BLOCK))

    def status(self, host: str) -> HostStatus:
        state = self._state(host)
        now = self._clock()
        return HostStatus(host, state.rate, state.delay(now), max(0.0, state.paused_until - now), state.failures,
                          len(state.queue))

    # ----- inside ----------------------------------------------------------------------------

    async def _sleep_or_answer(self, delay: float, state: _Host) -> None:
        """Sleep ``delay`` seconds, or less when an answer from the host comes meanwhile: the wait was
        worked out assuming unanswered requests were still on their way."""
        answered = state.news = asyncio.get_running_loop().create_future()
        sleeping = asyncio.ensure_future(self._sleep(delay))
        try:
            await asyncio.wait((sleeping, answered), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            answered.cancel()

    def _state(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            rate = self.rate_for(host)
            state = _Host(rate, float(rate.burst), self._clock())
            self._hosts[host] = state
        return state

    def _told_wait(self, status: int | None, headers: dict[str, str]) -> float | None:
        """Seconds the server asked us to wait, if it said so."""
        if status in (429, 503) and "retry-after" in headers:
            seconds = retry_after_seconds(headers["retry-after"], now=self._wall())
            if seconds is not None:
                return seconds
        for prefix in ("ratelimit-", "x-ratelimit-"):
            remaining = _number(headers.get(prefix + "remaining"))
            if remaining is not None and remaining <= 0:
                reset = self._reset_seconds(headers.get(prefix + "reset", ""))
                return reset if reset is not None else 1.0
        if "ratelimit" in headers:  # the IETF draft's one-header form: "default";r=0;t=30
            fields = {k.lower()[0]: float(v) for k, v in _DRAFT_FIELD.findall(headers["ratelimit"])}
            if fields.get("r") is not None and fields["r"] <= 0:
                return fields.get("t", 1.0)
        return None

    def _reset_seconds(self, value: str) -> float | None:
        """A RateLimit-Reset as seconds from now: read as Retry-After is, except that a number too big
        to be a delay is a Unix time (as GitHub and others send it)."""
        number = _number(value)
        if number is not None and number > 1_000_000_000:
            return min(max(0.0, number - self._wall()), MAX_BLOCK)
        return retry_after_seconds(value, now=self._wall())

    @staticmethod
    def _busy_message(host: str, state: _Host, now: float, delay: float) -> str:
        minutes = delay / 60
        when = f"{minutes:.0f} min" if minutes >= 1 else f"{delay:.0f} s"
        if state.paused_until > now:
            return f"{host} kept failing, so BookDesk is leaving it alone for {when}; try again later."
        return f"{host} asked BookDesk to wait {when} before asking again; try again later."


def _lower(headers: Mapping[str, str] | None) -> dict[str, str]:
    if not headers:
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None
