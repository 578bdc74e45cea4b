"""The one way BookDesk asks a server for something: paced, cached, retried, and explained when it fails.

``HttpClient`` wraps the worker's ``httpx.AsyncClient`` with the ``RateLimiter`` and the
``ResponseCache``. Every answer that cannot be used becomes a ``NetworkError`` whose message names
the server and says what went wrong in words a person can act on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random as _random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from bookdesk import correlation
from bookdesk.core.net.cache import CachedResponse, ResponseCache
from bookdesk.core.net.capped_read import ResponseTooLarge, fetch_capped
from bookdesk.core.net.deadline import DeadlineExceeded
from bookdesk.core.net.errors import NetworkError, NotFound
from bookdesk.core.net.factory import USER_AGENT
from bookdesk.core.net.host_name import host_key
from bookdesk.core.net.rate_limiter import HostBusy, RateLimiter
from bookdesk.core.net.redact import redact_url

log = logging.getLogger(__name__)

WEEK = 7 * 86400.0
NEGATIVE_MAX_AGE = 86400.0  # "not found" is remembered for a day at most
MAX_JSON_BYTES = 2 * 1024 * 1024  # no metadata answer is this big; a bigger one is hostile or broken
MAX_BYTES = 16 * 1024 * 1024  # covers
QUOTA_BLOCK = 3600.0  # a used-up daily quota: leave the host alone for an hour

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Google's error reasons: a per-minute limit (retry later), and a daily quota (give up for now).
_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
_QUOTA_REASONS = frozenset({"dailyLimitExceeded", "dailyLimitExceededUnreg", "quotaExceeded"})


@dataclass(slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    content: bytes


class HttpClient:
    """GET/POST JSON and GET bytes, politely. Use it from the worker's event loop only."""

    def __init__(self, http: httpx.AsyncClient, limiter: RateLimiter, cache: ResponseCache | None = None, *,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic, max_attempts: int = 4,
                 random: Callable[[], float] = _random.random, max_wait: float = 120.0,
                 backoff: float = 0.5, max_backoff: float = 30.0, max_json_bytes: int = MAX_JSON_BYTES,
                 deadline: float | None = None) -> None:
        self.http = http
        self.deadline = deadline  # seconds for one request, body included; None: request_deadline()
        if http.headers.get("user-agent", "").startswith("python-httpx"):
            http.headers["User-Agent"] = USER_AGENT
        self.limiter = limiter
        self.cache = cache
        self.max_attempts = max(1, max_attempts)
        self.max_wait = max_wait
        self.max_json_bytes = max_json_bytes
        self.requests_sent = 0  # requests that went out on the wire (cache hits excluded)
        # (rate key, credential) -> the refusal: a token a server refused is not sent again this run.
        self._refusals: dict[tuple[str, str] | None, NetworkError] = {}
        self._sleep = sleep
        self._clock = clock
        self._random = random
        self._backoff = backoff
        self._max_backoff = max_backoff

    # ----- public ------------------------------------------------------------------------

    async def get_json(self, url: str, *, params: Mapping[str, Any] | None = None,
                       headers: Mapping[str, str] | None = None, user_waiting: bool = False,
                       max_age: float = WEEK, service: str | None = None, rate_key: str | None = None) -> Any:
        """The JSON at ``url``. Raises NotFound for a 404, NetworkError for anything else unusable."""
        target = str(httpx.URL(url).copy_merge_params(dict(params))) if params else url
        return await self._json("GET", target, None, headers, user_waiting, max_age, service, rate_key)

    async def post_json(self, url: str, *, body: Any, headers: Mapping[str, str] | None = None,
                        user_waiting: bool = False, max_age: float = WEEK, service: str | None = None,
                        rate_key: str | None = None, cost: int = 1) -> Any:
        """POST ``body`` as JSON (a GraphQL query) and read JSON back; cached by URL and body.

        ``cost``: how many requests the server counts this one as (see RateLimiter.acquire)."""
        content = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        return await self._json("POST", url, content, sent, user_waiting, max_age, service, rate_key,
                                keep=_not_graphql_error, cost=cost)

    async def get_bytes(self, url: str, *, user_waiting: bool = False, max_bytes: int = MAX_BYTES,
                        headers: Mapping[str, str] | None = None, service: str | None = None,
                        rate_key: str | None = None) -> bytes:
        """The bytes at ``url`` (a cover), read as a stream and refused past ``max_bytes``."""
        host = host_key(url)
        key = rate_key or self._rate_key(url)
        label = _label(service, host)
        answer = await self._exchange("GET", url, dict(headers or {}), None, max_bytes, key, user_waiting, label)
        if 200 <= answer.status < 300:
            return answer.content
        raise self._status_error(answer, label, host, dict(headers or {}), url)

    # ----- JSON with the cache -------------------------------------------------------------

    async def _json(self, method: str, url: str, content: bytes | None, headers: Mapping[str, str] | None,
                    user_waiting: bool, max_age: float, service: str | None, rate_key: str | None,
                    keep: Callable[[Any], bool] = lambda value: True, cost: int = 1) -> Any:
        host = host_key(url)
        key = rate_key or self._rate_key(url)
        label = _label(service, host)
        sent = dict(headers or {})
        cached = self._cached(method, url, content, max_age)
        if cached is not None and cached.fresh:
            self._log(method, url, cached.status, 0.0, from_cache=True)
            return self._use_cached(cached, label, host)
        if cached is not None and cached.status == 200:
            sent.update(cached.validators)
        try:
            answer = await self._exchange(method, url, sent, content, self.max_json_bytes, key, user_waiting, label,
                                          cost)
            if answer.status == 304 and cached is not None:
                self._store(lambda c: c.refresh(method, url, body=content, etag=answer.headers.get("etag"),
                                                last_modified=answer.headers.get("last-modified")))
                return self._use_cached(cached, label, host)
            if answer.status == 404:
                self._store(lambda c: c.put(method, url, body=content, status=404, content=b""))
                raise NotFound(f"{label} has no record at {_path(url)}.", host=host, status=404)
            if not 200 <= answer.status < 300:
                error = self._status_error(answer, label, host, sent, url)
                if answer.status in (401, 403) and _credential(key, sent) is not None:
                    self._refusals[_credential(key, sent)] = error
                raise error
            value = _parse_json(answer.content, answer.headers.get("content-type"), label, host, answer.status)
        except NetworkError as exc:
            if cached is not None and _stale_ok(exc):
                log.info("%s failed (%s); using the answer stored %.0f h ago", host, exc.message,
                         (time.time() - cached.stored_at) / 3600, extra=self._extra(url, cached.status, True))
                return self._use_cached(cached, label, host)
            raise
        if keep(value):
            self._store(lambda c: c.put(method, url, body=content, status=answer.status, content=answer.content,
                                        content_type=answer.headers.get("content-type"),
                                        etag=answer.headers.get("etag"),
                                        last_modified=answer.headers.get("last-modified")))
        return value

    def _raise_if_refused(self, key: str, headers: Mapping[str, str] | None) -> None:
        """A credential a server refused is not sent again this run, not even by requests already queued."""
        credential = _credential(key, headers)
        if credential is not None and credential in self._refusals:
            raise self._refusals[credential]

    def _cached(self, method: str, url: str, content: bytes | None, max_age: float) -> CachedResponse | None:
        if self.cache is None:
            return None
        cached = self.cache.get(method, url, body=content, max_age=max_age)
        if cached is not None and cached.status == 404 and cached.fresh:
            # A remembered "not found" expires sooner than a found record.
            cached = self.cache.get(method, url, body=content, max_age=min(max_age, NEGATIVE_MAX_AGE))
        return cached

    def _use_cached(self, cached: CachedResponse, label: str, host: str) -> Any:
        if cached.status == 404:
            raise NotFound(f"{label} has no such record.", host=host, status=404)
        return _parse_json(cached.content, cached.content_type, label, host, cached.status)

    def _store(self, action: Callable[[ResponseCache], None]) -> None:
        if self.cache is not None:
            action(self.cache)

    # ----- one request, retried ----------------------------------------------------------

    async def _exchange(self, method: str, url: str, headers: dict[str, str], content: bytes | None,
                        limit: int, key: str, user_waiting: bool, label: str, cost: int = 1) -> _Answer:
        """Send until an answer worth reading comes back (not 429/5xx), or give up with the last error."""
        host = host_key(url)
        error: NetworkError | None = None
        for attempt in range(1, self.max_attempts + 1):
            self._raise_if_refused(key, headers)
            try:
                await self.limiter.acquire(key, user_waiting=user_waiting, max_wait=self.max_wait, cost=cost)
            except HostBusy as busy:
                raise NetworkError(f"{label}: {busy.message}", host=host, retryable=True) from None
            self._raise_if_refused(key, headers)  # refused while this one waited its turn
            started = self._clock()
            self.requests_sent += 1
            try:
                answer = await self._send(method, url, headers, content, limit)
            except ResponseTooLarge:
                self.limiter.observe(key, 200)
                self._log(method, url, 200, self._clock() - started)
                raise NetworkError(f"{label} sent an answer larger than {_megabytes(limit)}; it was not read.",
                                   host=host, retryable=False) from None
            except DeadlineExceeded as late:
                # Not tried again: a server that dribbles its answer will dribble the next one too.
                self.limiter.observe(key, None)
                self._log(method, url, None, self._clock() - started)
                raise too_slow(label, host, late) from None
            except httpx.TimeoutException:
                self.limiter.observe(key, None)
                self._log(method, url, None, self._clock() - started)
                error = NetworkError(f"{label} did not answer in time.", host=host, retryable=True)
            except (httpx.UnsupportedProtocol, httpx.TooManyRedirects, httpx.InvalidURL) as exc:
                raise NetworkError(f"{label} cannot be asked at {redact_url(url)}: {exc}", host=host,
                                   retryable=False) from None
            except httpx.ConnectError:
                self.limiter.observe(key, None)
                self._log(method, url, None, self._clock() - started)
                error = NetworkError(f"{label} could not be reached; check the connection or try again later.",
                                     host=host, retryable=True)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ProxyError,
                    httpx.NetworkError):
                self.limiter.observe(key, None)
                self._log(method, url, None, self._clock() - started)
                error = NetworkError(f"{label} broke off its answer before the end (a truncated response).",
                                     host=host, retryable=True)
            except httpx.DecodingError:
                self.limiter.observe(key, 200)
                raise NetworkError(f"{label} sent an answer that could not be decoded.", host=host,
                                   retryable=True) from None
            else:
                status = answer.status
                reason = _google_reason(answer) if status in (403, 429) else None
                self.limiter.observe(key, 429 if reason in _RATE_REASONS else status, answer.headers)
                self._log(method, url, status, self._clock() - started)
                if reason in _QUOTA_REASONS:
                    self.limiter.block(key, QUOTA_BLOCK)
                    raise NetworkError(f"{label} says today's quota of requests is used up; BookDesk will try it "
                                       "again later.", host=host, status=status, retryable=True)
                if status not in _RETRY_STATUSES and reason not in _RATE_REASONS:
                    return answer
                error = self._status_error(answer, label, host, headers, url)
                if status in (429, 503) or reason in _RATE_REASONS:
                    continue  # the limiter now holds the host back for as long as the server asked
            if attempt < self.max_attempts:
                await self._sleep(self._delay(attempt))
        assert error is not None
        raise error

    async def _send(self, method: str, url: str, headers: dict[str, str], content: bytes | None,
                    limit: int) -> _Answer:
        answer = await fetch_capped(self.http, method, url, limit=limit, deadline=self.deadline, headers=headers,
                                    content=content)
        return _Answer(answer.status_code, answer.headers, answer.content)

    def _rate_key(self, url: str) -> str:
        return self.limiter.key_for(host_key(url), httpx.URL(url).path)

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with jitter: about 0.5 s, 1 s, 2 s ... never more than ``max_backoff``."""
        base = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
        return base / 2 + self._random() * base / 2

    # ----- words for what went wrong -------------------------------------------------------

    @staticmethod
    def _status_error(answer: _Answer, label: str, host: str, headers: Mapping[str, str], url: str) -> NetworkError:
        status = answer.status
        if status == 404:
            return NotFound(f"{label} has no record at {_path(url)}.", host=host, status=404)
        if status in (401, 403):
            if any(k.lower() == "authorization" for k in headers):
                what = "the token"
            elif "key=" in httpx.URL(url).query.decode(errors="replace"):
                what = "the API key"
            else:
                what = "the request"
            return NetworkError(f"{label} refused {what} (HTTP {status}); check it in Settings → Metadata Providers.",
                                host=host, status=status, retryable=False)
        if status == 429:
            return NetworkError(f"{label} is limiting requests (HTTP 429) and asked BookDesk to slow down; "
                                "try again later.", host=host, status=status, retryable=True)
        if status >= 500:
            return NetworkError(f"{label} is having trouble (HTTP {status}); try again later.", host=host,
                                status=status, retryable=True)
        return NetworkError(f"{label} rejected the request (HTTP {status}).", host=host, status=status,
                            retryable=False)

    # ----- logs --------------------------------------------------------------------------

    def _log(self, method: str, url: str, status: int | None, seconds: float, *, from_cache: bool = False) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        ms = round(seconds * 1000)
        where = f"{host_key(url)}{httpx.URL(redact_url(url)).raw_path.decode(errors='replace')}"
        outcome = "from cache" if from_cache else f"in {ms} ms"
        log.debug("%s %s -> %s %s", method, where, status if status is not None else "no answer", outcome,
                  extra={**self._extra(url, status, from_cache), "ms": ms})

    @staticmethod
    def _extra(url: str, status: int | None, from_cache: bool) -> dict[str, Any]:
        parsed = httpx.URL(redact_url(url))
        return {"host": host_key(url), "path": parsed.path, "status": status,
                "from_cache": from_cache, "correlation_id": correlation.current()}


# ----- helpers ---------------------------------------------------------------------------


def too_slow(label: str, host: str, late: DeadlineExceeded) -> NetworkError:
    """The words for a request whose total deadline ran out, naming the server."""
    return NetworkError(f"{label} did not send its whole answer within {late.seconds:g} s (it is too slow or "
                        "stuck); try again later.", host=host, retryable=True, too_slow=True)


def _credential(key: str, headers: Mapping[str, str] | None) -> tuple[str, str] | None:
    """Which token a request carries to which service, or None when it carries none."""
    for name, value in (headers or {}).items():
        if name.lower() in ("authorization", "x-api-key"):
            return (key, value)
    return None


def _path(url: str) -> str:
    return httpx.URL(url).path


def _label(service: str | None, host: str) -> str:
    return f"{service} ({host})" if service else host


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


def _stale_ok(error: NetworkError) -> bool:
    """A stored answer stands in when the server is down or broken, not when it said no."""
    if isinstance(error, NotFound):
        return False
    return error.status is None or error.status == 429 or error.status >= 500 or error.retryable


def _parse_json(content: bytes, content_type: str | None, label: str, host: str, status: int) -> Any:
    head = content[:256].lstrip().lower()
    if "html" in (content_type or "").lower() or head.startswith(b"<"):
        raise NetworkError(f"{label} sent a web page instead of data (HTTP {status}); it may be down for "
                           "maintenance or its address may be wrong.", host=host, status=status, retryable=True)
    if not head:
        raise NetworkError(f"{label} sent an empty answer.", host=host, status=status, retryable=True)
    try:
        return json.loads(content)
    except UnicodeDecodeError:
        raise NetworkError(f"{label} sent data that is not readable text.", host=host, status=status,
                           retryable=True) from None
    except json.JSONDecodeError as exc:
        raise NetworkError(f"{label} sent data BookDesk could not read (malformed JSON: {exc.msg} at byte "
                           f"{exc.pos}); the answer may have been cut short.", host=host, status=status,
                           retryable=True) from None


def _not_graphql_error(value: Any) -> bool:
    """A GraphQL answer carrying errors is not kept: the next ask may well succeed."""
    return not (isinstance(value, dict) and value.get("errors"))


def _google_reason(answer: _Answer) -> str | None:
    """The ``reason`` of a Google API error body ({"error": {"errors": [{"reason": ...}]}}), if any."""
    if not answer.content or len(answer.content) > 65536:
        return None
    try:
        body = json.loads(answer.content)
        errors = body["error"].get("errors") or []
        for item in errors:
            reason = item.get("reason")
            if isinstance(reason, str):
                return reason
        details = body["error"].get("details") or []
        for item in details:
            reason = item.get("reason")
            if reason == "RATE_LIMIT_EXCEEDED":
                return "rateLimitExceeded"
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return None
