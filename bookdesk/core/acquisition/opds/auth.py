"""HTTP authentication for a catalog: answer the server's own challenge with Basic or Digest, and
never hand the password to any other server.

calibre's content server asks for Digest unless it runs behind TLS, Komga and Standard Ebooks ask
for Basic; the server says which in its WWW-Authenticate header, so BookDesk waits to be asked.
Once a catalog has asked for Basic, later requests to it carry the credentials from the start.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Generator

import httpx

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str | httpx.URL) -> tuple[str, str, int]:
    """(scheme, host, port) of ``url``: what must match for a request to get the credentials."""
    parsed = httpx.URL(url) if isinstance(url, str) else url
    return parsed.scheme, parsed.host.lower(), parsed.port or _DEFAULT_PORTS.get(parsed.scheme, 0)


def challenge_scheme(response: httpx.Response) -> str | None:
    """``digest`` or ``basic``, whichever of the schemes the server offers is safer; None for neither."""
    offered = {header.split(None, 1)[0].lower() for header in response.headers.get_list("www-authenticate")
               if header.strip()}
    for scheme in ("digest", "basic"):
        if scheme in offered:
            return scheme
    return None


class ChallengeAuth(httpx.Auth):
    """Credentials for one catalog, given only to its origin and only in the scheme it asks for."""

    def __init__(self, username: str, password: str, origin: str | None = None) -> None:
        self.username = username
        self._password = password
        self._origin = origin_of(origin) if origin else None
        self.scheme: str | None = None  # learnt from the first challenge
        self._digest: httpx.DigestAuth | None = None

    def bind(self, url: str) -> None:
        """The catalog's origin, if none was given: the first address asked."""
        if self._origin is None:
            self._origin = origin_of(url)

    def covers(self, url: str | httpx.URL) -> bool:
        return self._origin is not None and origin_of(url) == self._origin

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self.covers(request.url):
            yield request  # another server (a mirror, a CDN): it gets no password of this catalog's
            return
        if self.scheme == "basic":
            request.headers["Authorization"] = self._basic_header()
            yield request
            return
        if self.scheme == "digest" and self._digest is not None:
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = challenge_scheme(response)
        if scheme == "basic":
            self.scheme = "basic"
            request.headers["Authorization"] = self._basic_header()
            yield request
        elif scheme == "digest":
            self.scheme = "digest"
            self._digest = httpx.DigestAuth(self.username, self._password)
            # Drive httpx's Digest flow from the challenge already in hand, without asking again.
            flow = self._digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            answer = yield retry
            with contextlib.suppress(StopIteration):
                flow.send(answer)  # lets httpx note the server's next nonce

    def _basic_header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self._password}".encode()).decode("ascii")
        return f"Basic {token}"
