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
from collections.abc import AsyncIterator, Iterator
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


def _layers(header: str) -> list[str]:
    """The encodings of ``header`` in the order they are to be undone (the last applied first),
    ``identity`` left out. One that cannot be expanded here with a bound is refused: left to httpx it
    would be expanded a piece whole, and an unknown one would pass for the body itself."""
    names = [name.strip().lower() for name in header.split(",") if name.strip()]
    unknown = [name for name in names if name != "identity" and name not in _WBITS]
    if unknown:
        raise httpx.DecodingError(f"the answer is sent in an encoding BookDesk does not read ({', '.join(unknown)})")
    return [name for name in reversed(names) if name != "identity"]


class _Layer:
    """One encoding undone, at most ``limit + 1`` bytes from each call of the decoder."""

    def __init__(self, name: str, limit: int) -> None:
        self.wbits = _WBITS[name]
        self.decoder = zlib.decompressobj(self.wbits)
        self.limit = limit
        self.first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while pending:
            try:
                out = self.decoder.decompress(pending, self.limit + 1)
            except zlib.error:
                if not (self.first and self.wbits == zlib.MAX_WBITS):
                    raise
                # Some servers send "deflate" without its zlib header: raw deflate, as httpx allows.
                self.decoder, self.wbits = zlib.decompressobj(-zlib.MAX_WBITS), -zlib.MAX_WBITS
                continue
            self.first = False
            pending = self.decoder.unconsumed_tail
            if out:
                yield out

    def flush(self) -> bytes:
        return self.decoder.flush()


def _through(layers: list[_Layer], data: bytes) -> Iterator[bytes]:
    """``data`` undone by each of ``layers`` in turn, piece by bounded piece: a layer's output goes on
    to the next one a piece at a time, never expanded whole."""
    if not layers:
        yield data
        return
    for out in layers[0].feed(data):
        yield from _through(layers[1:], out)


async def _decoded(response: httpx.Response, limit: int) -> AsyncIterator[bytes]:
    """The body's bytes as decoded, never more than ``limit + 1`` of them from one piece read, through
    any number of stacked encodings (``gzip, gzip`` expands a thousand-fold twice): httpx would
    expand each piece whole, and 64 KB of a gzip bomb are 64 MB. Only gzip, deflate and identity
    are read; anything else is refused (httpx's own decoder is never used)."""
    if response.is_stream_consumed:  # read already (a test's canned answer): nothing left to bound
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    layers = [_Layer(name, limit) for name in _layers(response.headers.get("content-encoding", ""))]
    try:
        async for raw in response.aiter_raw():
            for out in _through(layers, raw):
                yield out
        for index, layer in enumerate(layers):
            tail = layer.flush()
            if tail:
                for out in _through(layers[index + 1:], tail):
                    yield out
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
