"""Where each provider lives: settings first, then an environment variable, then the public address."""

from __future__ import annotations

import logging
import os

import httpx

from bookdesk.core.net.host_name import host_key

log = logging.getLogger(__name__)


def base_url(explicit: str | None, env_var: str, default: str) -> str:
    """The base URL to use: ``explicit`` (from settings) if given, else ``$env_var``, else ``default``.

    An address that is not http(s) is ignored with a warning rather than failing the lookup.
    """
    for source, value in (("settings", explicit), (env_var, os.environ.get(env_var))):
        if value and value.strip():
            url = value.strip().rstrip("/")
            if _usable(url):
                return url
            log.warning("ignoring the %s address %r for a provider: not an http(s) URL", source, url)
    return default


def rate_key(url: str) -> str:
    """What the rate limiter counts a provider's requests under: host, port and the API's path, so
    two providers served by one local mirror still keep their own published limits."""
    return host_key(url) + httpx.URL(url).path.rstrip("/")


def _usable(url: str) -> bool:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)
