"""The HTTP side every download client shares: one cookie-keeping httpx client per configured client,
and connection trouble turned into an error that names the client and says what to check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from bookdesk.core.acquisition.clients.base import ClientError, ClientOfflineError
from bookdesk.core.acquisition.config import ClientConfig
from bookdesk.core.net.capped_read import CappedResponse, ResponseTooLarge
from bookdesk.core.net.deadline import DeadlineExceeded
from bookdesk.core.net.factory import make_http
from bookdesk.core.net.paced import SERVICE_RATE, fetch_paced, rate_key
from bookdesk.core.net.rate_limiter import HostBusy, RateLimiter

TIMEOUT = httpx.Timeout(30.0, connect=5.0)
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # qBittorrent's list of every torrent of a big seedbox stays well under it
LABELS = {"qbittorrent": "qBittorrent", "transmission": "Transmission"}


class ClientSession:
    """``limiter``: the rate limiter shared with everything else that asks (one of its own when not given)."""

    def __init__(self, config: ClientConfig, *, transport: httpx.AsyncBaseTransport | None = None,
                 auth: httpx.Auth | None = None, limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.name = config.name
        self.label = f"{config.name} ({LABELS.get(config.kind, config.kind)})"
        # Its own client: qBittorrent's login lives in a cookie that must not leak to other hosts.
        self.http = make_http(timeout=TIMEOUT, auth=auth, transport=transport, follow_redirects=False)
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.limiter.ensure_rate(rate_key(self.limiter, config.url), SERVICE_RATE)

    async def request(self, method: str, url: str, *, data: Mapping[str, Any] | None = None,
                      params: Mapping[str, Any] | None = None, files: Any = None, json: Any = None,
                      headers: Mapping[str, str] | None = None) -> CappedResponse:
        try:
            return await fetch_paced(self.http, self.limiter, method, url, limit=MAX_ANSWER_BYTES, data=data,
                                     params=params, files=files, json=json, headers=headers)
        except HostBusy as busy:
            raise ClientOfflineError(self.name, f"{self.label} at {self.config.url}: {busy.message}") from None
        except ResponseTooLarge:
            raise ClientError(self.name, f"{self.label} sent an answer larger than "
                                         f"{MAX_ANSWER_BYTES // (1024 * 1024)} MB; it was not read.") from None
        except DeadlineExceeded as late:
            raise ClientOfflineError(self.name, f"{self.label} did not send its whole answer within "
                                                f"{late.seconds:g} s at {self.config.url}; it is too slow or "
                                                "stuck.") from None
        except httpx.ConnectError as exc:
            raise ClientOfflineError(self.name, f"{self.label} cannot be reached at {self.config.url} ({exc}): "
                                                "is it running, and is the address right?") from None
        except httpx.TimeoutException:
            raise ClientOfflineError(self.name, f"{self.label} did not answer in time at "
                                                f"{self.config.url}.") from None
        except httpx.HTTPError as exc:
            raise ClientError(self.name, f"{self.label} could not be asked: {exc}.", retryable=True) from None

    async def aclose(self) -> None:
        await self.http.aclose()
