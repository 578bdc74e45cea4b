"""A response body read whole, but never more than a limit: a server that sends a gigabyte where a
page of JSON or XML belongs is stopped early, whether or not it announced its length, and whether
the gigabyte came as such or as a small gzip that expands to it (the limit counts decoded bytes).

Every body BookDesk reads whole goes through ``read_capped`` (``fetch_capped`` is the request, its
total deadline and the capped read in one); downloads to disk stream in ``http_fetch``.
``tests/core/net/test_every_body_is_capped.py`` fails on any other way of reading a body.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator
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
    async for chunk in _decoded(response, limit):
        size += len(chunk)
        if size > limit:
            raise ResponseTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


async def _decoded(response: httpx.Response, limit: int) -> AsyncIterator[bytes]:
    """The body's bytes as decoded, never more than ``limit + 1`` of them from one piece read: httpx
    would expand each piece whole, and 64 KB of a gzip bomb are 64 MB. Gzip and deflate (nearly all
    there is) are expanded here with that bound; anything else is left to httpx."""
    wbits = _WBITS.get(response.headers.get("content-encoding", "").strip().lower())
    if wbits is None or response.is_stream_consumed:  # consumed: read already (a test's canned answer)
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    decoder = zlib.decompressobj(wbits)
    first = True
    try:
        async for raw in response.aiter_raw():
            pending = raw
            while pending:
                try:
                    out = decoder.decompress(pending, limit + 1)
                except zlib.error:
                    if not (first and wbits == zlib.MAX_WBITS):
                        raise
                    # Some servers send "deflate" without its zlib header: raw deflate, as httpx allows.
                    decoder, wbits = zlib.decompressobj(-zlib.MAX_WBITS), -zlib.MAX_WBITS
                    continue
                first = False
                pending = decoder.unconsumed_tail
                if out:
                    yield out
        tail = decoder.flush()
        if tail:
            yield tail
    except zlib.error as exc:
        raise httpx.DecodingError(str(exc)) from None


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
