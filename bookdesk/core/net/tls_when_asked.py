"""A blocking transport that makes its verified TLS context when a request first goes to an https://
address, not when the client is made.

httpx builds its TLS context, reading every certificate authority from disk, as each client is made:
40-100 ms on this kind of machine, a fifth of ``bookdesk fetch`` of a small file over http:// (on the local
network), which never uses it. An https:// request gets httpx's own transport, verified as always
(``verify=True``); an http:// one a transport whose TLS context trusts nothing (no authorities loaded, the
certificate and host name required), which it never uses: http:// has no TLS, and a redirect to https://
comes back here and goes to the verified one. Made only by core/net/factory.py.
"""

from __future__ import annotations

import ssl
import threading
from typing import Any

import httpx


class TlsWhenAsked(httpx.BaseTransport):
    """``options`` (``limits``, ...) go to httpx's ``HTTPTransport`` for each scheme."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._made: dict[str, httpx.HTTPTransport] = {}
        self._lock = threading.Lock()  # transfers run on threads of their own

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._for(request.url.scheme).handle_request(request)

    def _for(self, scheme: str) -> httpx.HTTPTransport:
        secure = scheme == "https"
        with self._lock:
            transport = self._made.get("https" if secure else "http")
            if transport is None:
                # A context that trusts nothing, for a transport that never speaks TLS: were it ever asked
                # to, it would refuse every certificate rather than accept one.
                verify: ssl.SSLContext | bool = True if secure else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                transport = httpx.HTTPTransport(verify=verify, **self._options)
                self._made["https" if secure else "http"] = transport
            return transport

    def close(self) -> None:
        with self._lock:
            made, self._made = list(self._made.values()), {}
        for transport in made:
            transport.close()
