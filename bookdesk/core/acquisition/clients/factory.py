"""The download client a ClientConfig describes, with its password from the SecretStore."""

from __future__ import annotations

import httpx

from bookdesk.core.acquisition.clients.base import DownloadClient
from bookdesk.core.acquisition.clients.qbittorrent import QBittorrentClient
from bookdesk.core.acquisition.clients.transmission import TransmissionClient
from bookdesk.core.acquisition.config import ClientConfig
from bookdesk.core.net.rate_limiter import RateLimiter
from bookdesk.core.secrets import SecretStore, source_secret
from bookdesk.errors import UsageError


def build_client(config: ClientConfig, secrets: SecretStore | None, *,
                 transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None) -> DownloadClient:
    """``limiter``: the rate limiter the client's requests take their turn from (the worker's, or a
    command's run's); its session keeps a client and cookies of its own all the same."""
    password = secrets.get(source_secret("client", config.name)) if secrets is not None else None
    if config.kind == "qbittorrent":
        return QBittorrentClient(config, password, transport=transport, limiter=limiter)
    if config.kind == "transmission":
        return TransmissionClient(config, password, transport=transport, limiter=limiter)
    raise UsageError(f"BookDesk cannot drive a {config.kind!r} download client.")
