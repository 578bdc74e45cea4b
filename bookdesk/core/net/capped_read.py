"""A response body read whole, but never more than a limit: a server that sends a gigabyte where a
page of JSON or XML belongs is stopped early, whether or not it announced its length, and whether
the gigabyte came as such or as a small gzip that expands to it (the limit counts decoded bytes).

Every body BookDesk reads whole goes through ``read_capped`` (``fetch_capped`` is the request, its
total deadline and the capped read in one); downloads to disk stream in ``http_fetch``.
``tests/core/net/test_every_body_is_capped.py`` fails on any other way of reading a body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from bookdesk.core.net.deadline import total_deadline


class ResponseTooLarge(Exception):
    """The body is (or announced it would be) longer than the limit."""


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    length = response.headers.get("content-length", "")
    # A compressed body's announced length is not the length it will have: only the bytes tell.
    if length.isdigit() and int(length) > limit and "content-encoding" not in response.headers:
        raise ResponseTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb is counted as it expands
        size += len(chunk)
        if size > limit:
            raise ResponseTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class CappedResponse:
    """An answer whose body was read through ``read_capped``: what callers of ``httpx`` used to read
    from an ``httpx.Response``, with nothing left to read from the network."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str
    reason_phrase: str = ""

    @property
    def is_redirect(self) -> bool:
        return self.status_code in (301, 302, 303, 307, 308) and "location" in self.headers

    @property
    def text(self) -> str:
        charset = httpx.Headers(self.headers).get("content-type", "").partition("charset=")[2].split(";")[0]
        try:
            return self.content.decode(charset.strip().strip('"') or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


async def fetch_capped(http: httpx.AsyncClient, method: str, url: str, *, limit: int, deadline: float | None = None,
                       **options: Any) -> CappedResponse:
    """Send one request with ``http`` and read its answer, at most ``limit`` decoded bytes, all within
    a total deadline (``request_deadline()`` unless ``deadline`` is given). ``options`` go to
    ``http.stream`` (params, headers, data, json, files, timeout, follow_redirects, auth).
    Raises ResponseTooLarge, DeadlineExceeded, or httpx's errors."""
    async with total_deadline(deadline), http.stream(method, url, **options) as response:
        content = await read_capped(response, limit)
        return CappedResponse(response.status_code, response.headers, content, str(response.url),
                              response.reason_phrase)
