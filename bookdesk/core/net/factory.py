"""Where BookDesk's HTTP clients are made: one User-Agent, one timeout and redirect policy, TLS always
verified (by the system's authorities, or by the one certificate a person accepted: tls_pin.py), and the one rate limiter and response cache that the worker's jobs and a command's run share.

The worker's ``http``/``net``, the commands (``identify``, ``sync``, ``search-wanted``), the OPDS
browser, the indexers, the download clients and the download queue all get their client here.
Importing this module imports no httpx: the worker makes its client on first use, because httpx
costs a tenth of a second of every start.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from bookdesk import APP_NAME, PROJECT_URL, __version__

if TYPE_CHECKING:
    import httpx

    from bookdesk.core.net.client import HttpClient
    from bookdesk.core.net.rate_limiter import RateLimiter

# Open Library refuses generic client User-Agents: every request names the app and where to reach it.
USER_AGENT = f"{APP_NAME}/{__version__} (+{PROJECT_URL})"
TIMEOUT = 30.0  # seconds for each step of a request (connect, each read, each write)


def make_http(*, timeout: float | httpx.Timeout = TIMEOUT, follow_redirects: bool = True,
              pinned: str | None = None, **options: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that names BookDesk and verifies TLS. ``options`` go to httpx as they
    are (``auth``, ``transport``, ``limits``): a download client's session gets a client, and so a
    cookie jar, of its own this way. ``pinned``: the SHA-256 fingerprint of the one certificate a
    person accepted for a server this computer does not trust (tls_pin.py); only it is accepted then."""
    import httpx

    return httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, timeout=timeout,
                             follow_redirects=follow_redirects, verify=_verify(pinned), **options)


def make_blocking_http(*, timeout: float | httpx.Timeout = TIMEOUT, follow_redirects: bool = True,
                       **options: Any) -> httpx.Client:
    """The same client as ``make_http``, blocking: for a download's body, read on a thread of its own
    (core/acquisition/transfer_thread.py says why). Its TLS context, verified, is made at its first https://
    request (tls_when_asked.py): an http:// download never waits for the authorities to be read."""
    import httpx

    from bookdesk.core.net.tls_when_asked import TlsWhenAsked

    if "transport" not in options:  # a transport given (a test's) is used as it is
        options["transport"] = TlsWhenAsked(**{k: options.pop(k) for k in ("limits",) if k in options})
    return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=follow_redirects,
                        **options)


def _verify(pinned: str | None) -> Any:  # noqa: ANN401 - True or an ssl.SSLContext, as httpx takes it
    if not pinned:
        return True
    from bookdesk.core.net.tls_pin import pinned_context

    return pinned_context(pinned)


def make_net(http: httpx.AsyncClient | None = None, *, limiter: RateLimiter | None = None) -> HttpClient:
    """The polite client over ``http`` (a new one unless given): the rate limiter every request of
    this process or run shares, and the response cache in the user's cache folder."""
    from bookdesk.core import paths
    from bookdesk.core.net.cache import ResponseCache
    from bookdesk.core.net.client import HttpClient
    from bookdesk.core.net.rate_limiter import RateLimiter

    return HttpClient(http if http is not None else make_http(), limiter if limiter is not None else RateLimiter(),
                      ResponseCache(paths.cache_dir()))


@asynccontextmanager
async def open_net() -> AsyncIterator[HttpClient]:
    """A command's network for one run (``async with open_net() as net``): ``net.http`` and
    ``net.limiter`` go to the indexers and clients too; the HTTP client is closed at the end."""
    net = make_net()
    try:
        yield net
    finally:
        await net.http.aclose()
        if net.cache is not None:
            net.cache.close()
