"""Is the network there? One small TCP connection with a short timeout to a host the caller names.

Jobs that need the network wait while this says no, rather than failing one after another
while the laptop is on a train. Tests give the scheduler a probe of their own.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bookdesk.core.settings import Settings

NetworkProbe = Callable[[], bool]


def tcp_probe(host: str, port: int = 443, timeout: float = 3.0) -> NetworkProbe:
    def up() -> bool:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return True
        except OSError:  # no route, refused, unresolvable, timed out: all mean "not now"
            return False

    return up


def url_probe(url: str, timeout: float = 3.0) -> NetworkProbe:
    """A probe of the host and port of ``url`` (a provider's base address, say)."""
    parts = urlsplit(url)
    port = parts.port or (80 if parts.scheme == "http" else 443)
    return tcp_probe(parts.hostname or "", port, timeout)


def provider_probe(settings: Settings, timeout: float = 3.0) -> NetworkProbe:
    """A probe of the first switched-on metadata provider's host, as the settings or the
    ``BOOKDESK_<NAME>_URL`` variables place it (so a mirror or a local test server counts)."""
    from bookdesk.core.providers import audnexus, googlebooks, hardcover, openlibrary
    from bookdesk.core.providers.endpoints import base_url

    modules = {"openlibrary": openlibrary, "googlebooks": googlebooks, "hardcover": hardcover,
               "audnexus": audnexus}
    name = next((p for p in settings.providers() if p in modules), "openlibrary")
    module = modules[name]
    return url_probe(base_url(settings.provider_urls.get(name), module.URL_ENV, module.DEFAULT_URL), timeout)
