"""Talking to an OPDS catalog: fetch a feed, search it, follow its pages, fetch a cover.

Runs on the worker's asyncio loop with its ``httpx.AsyncClient``; every failure becomes an
``OpdsError`` whose message names the catalog and says what to do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from bookdesk.core.acquisition.config import OpdsCatalogConfig
from bookdesk.core.acquisition.opds.auth import ChallengeAuth
from bookdesk.core.acquisition.opds.document import MAX_DOCUMENT_BYTES
from bookdesk.core.acquisition.opds.entries import OpdsFeed
from bookdesk.core.acquisition.opds.errors import OpdsAuthError, OpdsError, OpdsFeedError, OpdsServerError
from bookdesk.core.acquisition.opds.feed import parse_feed
from bookdesk.core.acquisition.opds.opensearch import fill_template, parse_description
from bookdesk.core.net.capped_read import ResponseTooLarge, read_capped
from bookdesk.core.net.deadline import DeadlineExceeded, total_deadline
from bookdesk.core.net.host_name import host_key
from bookdesk.core.net.paced import MAX_WAIT, SERVICE_RATE, rate_key
from bookdesk.core.net.rate_limiter import HostBusy, RateLimiter
from bookdesk.core.net.redact import redact_url
from bookdesk.core.secrets import SecretStore, source_secret
from bookdesk.errors import UsageError

log = logging.getLogger(__name__)

MAX_COVER_BYTES = 10 * 1024 * 1024
MAX_PAGES = 50  # a guard for ``pages``: no catalog a person browses needs more at once
_ACCEPT = ("application/atom+xml;profile=opds-catalog, application/atom+xml;q=0.9, "
           "application/opensearchdescription+xml;q=0.9, application/xml;q=0.8, */*;q=0.1")
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF", b"BM")

T = TypeVar("T")


class OpdsClient:
    """One catalog's client. ``username``/``password`` are answered to the catalog's own challenge
    (Basic or Digest) and sent to no other server; the catalog is the origin of ``catalog_url``, or
    of the first address asked when that is not given."""

    def __init__(self, http: httpx.AsyncClient, username: str | None = None, password: str | None = None, *,
                 catalog_url: str | None = None, timeout: float | None = 30.0,
                 limiter: RateLimiter | None = None) -> None:
        self.http = http
        self.username = username or None
        self.timeout = timeout
        self.limiter = limiter
        if limiter is not None and catalog_url:
            # A page and its thumbnails go at once, as in a web browser; a 429 or Retry-After still holds.
            limiter.ensure_rate(rate_key(limiter, catalog_url), SERVICE_RATE)
        self._auth = ChallengeAuth(username, password or "", catalog_url) if username else None
        self._templates: dict[str, str] = {}  # OpenSearch description URL -> its template
        self._asking: set[asyncio.Task] = set()  # the tasks with a request on its way (see close)

    @classmethod
    def for_catalog(cls, http: httpx.AsyncClient, catalog: OpdsCatalogConfig, secrets: SecretStore,
                    **options: Any) -> OpdsClient:
        """A client for a catalog in the settings, its password read from ``secrets`` (the keyring)
        under ``source_secret("opds", catalog.name)``."""
        password = secrets.get(source_secret("opds", catalog.name)) if catalog.username else None
        return cls(http, catalog.username or None, password, catalog_url=catalog.url, **options)

    @property
    def auth(self) -> httpx.Auth | None:
        """The credentials as an httpx auth, for downloading this catalog's acquisition links."""
        return self._auth

    # ----- public ------------------------------------------------------------------------

    async def feed(self, url: str) -> OpdsFeed:
        """The feed at ``url``."""
        _check_url(url)
        data, final_url = await self._get(url, MAX_DOCUMENT_BYTES, "feed")
        return parse_feed(data, final_url)

    async def search(self, feed: OpdsFeed | str, text: str) -> OpdsFeed:
        """The first page of results for ``text`` in the catalog of ``feed`` (a feed, or its URL)."""
        if not text.strip():
            raise UsageError("Type something to search for.")
        if isinstance(feed, str):
            feed = await self.feed(feed)
        template = await self.search_template(feed)
        if template is None:
            raise OpdsError(f"The catalog at {host_key(feed.url)} offers no search.", url=redact_url(feed.url))
        return await self.feed(fill_template(template, text))

    async def search_template(self, feed: OpdsFeed) -> str | None:
        """The feed's search URL template (with ``{searchTerms}``), reading its OpenSearch description
        when it has one; None when the catalog offers no search."""
        if feed.search_template:
            return feed.search_template
        description = feed.search_description_url
        if description is None:
            return None
        if description not in self._templates:
            data, final_url = await self._get(description, MAX_DOCUMENT_BYTES, "search description")
            self._templates[description] = parse_description(data, final_url)
        return self._templates[description]

    async def pages(self, url: str, limit: int = 10) -> list[OpdsFeed]:
        """The feed at ``url`` and up to ``limit - 1`` pages after it (rel="next"; ``limit`` at most
        MAX_PAGES), stopping early when a page points back to one already read."""
        limit = max(1, min(limit, MAX_PAGES))
        feeds: list[OpdsFeed] = []
        seen: set[str] = set()
        target: str | None = url
        while target is not None and len(feeds) < limit:
            if target in seen:
                log.info("the catalog's next page %s was read already; stopping there", redact_url(target))
                break
            seen.add(target)
            page = await self.feed(target)
            seen.add(page.url)
            feeds.append(page)
            target = page.next_url
        return feeds

    async def cover(self, url: str, max_bytes: int = MAX_COVER_BYTES) -> bytes:
        """The image at ``url`` (a cover or thumbnail), refused past ``max_bytes`` or if not an image."""
        _check_url(url)
        data, _ = await self._get(url, max_bytes, "cover")
        if not data.startswith(_IMAGE_MAGIC):
            raise OpdsFeedError(f"The catalog at {host_key(url)} sent something that is not an image for a cover.",
                                url=redact_url(url))
        return data

    async def close(self) -> None:
        """Give up the requests still on their way, then close the HTTP client (the browser closed, or
        another catalog was chosen). They end as cancelled, before the connections under them go: a
        connection closed under a request would count as the catalog not answering."""
        asking = [task for task in self._asking if task is not asyncio.current_task()]
        for task in asking:
            task.cancel()
        await asyncio.gather(*asking, return_exceptions=True)
        await self.http.aclose()

    # ----- one request -------------------------------------------------------------------

    async def _get(self, url: str, limit: int, what: str) -> tuple[bytes, str]:
        """The body at ``url`` (read as a stream, at most ``limit`` bytes) and the URL it came from
        after redirects."""
        task = asyncio.current_task()
        if task is not None:
            self._asking.add(task)
        try:
            return await self._get_now(url, limit, what)
        finally:
            self._asking.discard(task)  # type: ignore[arg-type]

    async def _get_now(self, url: str, limit: int, what: str) -> tuple[bytes, str]:
        where = host_key(url)
        if self._auth is not None:
            self._auth.bind(url)
        key = self._rate_key(url)
        if self.limiter is not None and key is not None:
            try:
                await self.limiter.acquire(key, user_waiting=True, max_wait=MAX_WAIT)
            except HostBusy as busy:
                raise OpdsServerError(f"The catalog at {where}: {busy.message}", url=redact_url(url),
                                      retryable=True) from None
        status: int | None = None
        headers: httpx.Headers | None = None
        # Only a transport failure or a deadline tells the limiter the catalog did not answer (as
        # fetch_paced does); a request given up on (cancelled, its client closed) tells it nothing.
        unanswered = False
        try:
            try:
                async with total_deadline(), \
                        self.http.stream("GET", url, auth=self._auth or httpx.USE_CLIENT_DEFAULT,
                                         headers={"Accept": _ACCEPT}, follow_redirects=True,
                                         timeout=self.timeout if self.timeout is not None
                                         else httpx.USE_CLIENT_DEFAULT) as response:
                    status, headers = response.status_code, response.headers
                    self._raise_for_status(response, url)
                    data = await read_capped(response, limit)
                    final_url = str(response.url)
            except (httpx.TransportError, DeadlineExceeded):
                unanswered = True
                raise
            except RuntimeError:
                if self.http.is_closed:  # closed by whoever gave up on it (the browser went): not a failure
                    raise asyncio.CancelledError from None
                raise
        except DeadlineExceeded as late:
            raise OpdsServerError(f"The catalog at {where} did not send its whole {what} within {late.seconds:g} s "
                                  "(it is too slow or stuck); try again later.", url=redact_url(url),
                                  retryable=True) from None
        except ResponseTooLarge:
            raise OpdsFeedError(f"The catalog at {where} sent a {what} larger than {limit // (1024 * 1024)} MB; "
                                "it was not read.", url=redact_url(url)) from None
        except httpx.TimeoutException:
            raise OpdsServerError(f"The catalog at {where} did not answer in time; try again later.",
                                  url=redact_url(url), retryable=True) from None
        except httpx.ConnectError:
            raise OpdsServerError(f"The catalog at {where} could not be reached; check the address and that "
                                  "the server is running.", url=redact_url(url), retryable=True) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.TooManyRedirects) as exc:
            raise OpdsServerError(f"The catalog cannot be asked at {redact_url(url)}: {exc}",
                                  url=redact_url(url)) from None
        except httpx.DecodingError:
            raise OpdsFeedError(f"The catalog at {where} sent an answer that could not be decoded.",
                                url=redact_url(url)) from None
        except httpx.TransportError:
            raise OpdsServerError(f"The catalog at {where} broke off its answer before the end.",
                                  url=redact_url(url), retryable=True) from None
        finally:
            if self.limiter is not None and key is not None and (status is not None or unanswered):
                self.limiter.observe(key, status, headers)
        return data, final_url

    def _raise_for_status(self, response: httpx.Response, url: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        where = host_key(url)
        safe = redact_url(url)
        user = self.username
        if status == 401:
            if user is None or self._auth is None or not self._auth.covers(response.url):
                raise OpdsAuthError(f"The catalog at {where} needs a user name and password.",
                                    needs_credentials=True, url=safe, status=status)
            raise OpdsAuthError(f"The catalog at {where} refused the password for {user!r}; check the user "
                                "name and password.", needs_credentials=False, url=safe, status=status)
        if status == 403:
            who = f" to {user!r}" if user else ""
            raise OpdsAuthError(f"The catalog at {where} refused access{who} (HTTP 403).",
                                needs_credentials=user is None, url=safe, status=status)
        if status == 404:
            raise OpdsServerError(f"The catalog at {where} has nothing at {httpx.URL(url).path} (HTTP 404).",
                                  url=safe, status=status)
        if status == 429:
            raise OpdsServerError(f"The catalog at {where} is limiting requests (HTTP 429); try again later.",
                                  url=safe, status=status, retryable=True)
        if status >= 500:
            raise OpdsServerError(f"The catalog at {where} is having trouble (HTTP {status}); try again later.",
                                  url=safe, status=status, retryable=True)
        raise OpdsServerError(f"The catalog at {where} rejected the request (HTTP {status}).", url=safe,
                              status=status)

    def _rate_key(self, url: str) -> str | None:
        return None if self.limiter is None else rate_key(self.limiter, url)


def _check_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(f"An OPDS catalog's address is an http:// or https:// URL, not {url!r}.")


def run_sync(url: str, action: Callable[[OpdsClient], Awaitable[T]], *, username: str | None = None,
             password: str | None = None, timeout: float = 30.0) -> T:
    """Run ``action(client)`` (a coroutine function) to the end on a fresh loop and HTTP client, for
    scripts and the command line: ``run_sync(url, lambda c: c.feed(url))``."""
    from bookdesk.core.net.factory import make_http

    async def main() -> T:
        async with make_http(timeout=timeout) as http:
            return await action(OpdsClient(http, username, password, catalog_url=url, timeout=timeout))

    return asyncio.run(main())
