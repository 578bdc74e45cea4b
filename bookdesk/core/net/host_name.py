"""The one way a server is named from an address: ``name[:port]``. Downloads count against it (the
queue's caps), the rate limiter keys on it, and messages name the server by it."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx


def host_key(url: str | httpx.URL) -> str:
    """``name[:port]`` of ``url``: the host in lower case, the port only when it is not the scheme's
    default, and never the ``user:password@`` an address may carry (even with an unencoded ``@`` in
    the password). An address httpx cannot read is named from its text as well as it can be."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return urlsplit(str(url)).netloc.rsplit("@", 1)[-1].lower()
    host = parsed.host.lower()
    if ":" in host:  # an IPv6 address, bracketed as in the address
        host = f"[{host}]"
    return f"{host}:{parsed.port}" if parsed.port else host
