"""The capped reader counts decoded bytes and never expands more than one limit's worth at a time:
64 KB of a gzip bomb would be 64 MB in one piece if httpx expanded it."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from bookdesk.core.net.capped_read import ResponseTooLarge, read_capped

LIMIT = 1024 * 1024


class Pieces(httpx.AsyncByteStream):
    """A body that arrives as the network brings it: 64 KB at a time."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.data), 65536):
            yield self.data[start:start + 65536]


def read(body: bytes, encoding: str, limit: int = LIMIT) -> bytes:
    async def go() -> bytes:
        answer = httpx.Response(200, headers={"Content-Encoding": encoding} if encoding else {}, stream=Pieces(body))
        async with httpx.AsyncClient(transport=httpx.MockTransport(lambda request: answer)) as http, \
                http.stream("GET", "http://books.example/feed") as response:
            return await read_capped(response, limit)

    return asyncio.run(go())


def test_a_gzip_bomb_is_refused_without_expanding_a_piece_past_the_limit() -> None:
    bomb = gzip.compress(b"\0" * (64 * LIMIT))
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            read(bomb, "gzip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * LIMIT, f"{peak / LIMIT:.0f} MB held at once"  # one 64 KB piece expands to 64 MB


@pytest.mark.parametrize(("encoding", "body"), [
    ("gzip", gzip.compress(b"<feed/>" * 1000)),
    ("deflate", zlib.compress(b"<feed/>" * 1000)),
    ("deflate", zlib.compress(b"<feed/>" * 1000)[2:-4]),  # raw deflate, without the zlib header
    ("", b"<feed/>" * 1000),
], ids=["gzip", "deflate", "raw deflate", "identity"])
def test_encoded_answers_within_the_limit_are_read_whole(encoding: str, body: bytes) -> None:
    assert read(body, encoding) == b"<feed/>" * 1000


def test_a_body_that_is_not_the_gzip_it_claims_is_a_decoding_failure() -> None:
    with pytest.raises(httpx.DecodingError):
        read(b"not gzip at all", "gzip")


@pytest.mark.parametrize("encoding", ["gzip, gzip", "identity, gzip, gzip", "gzip,x-gzip"])
def test_a_gzip_bomb_in_stacked_encodings_is_refused_without_expanding_a_piece_past_the_limit(encoding: str) -> None:
    # A second layer is 1 KB on the wire; expanded whole, each of its pieces is a first-layer bomb.
    bomb = gzip.compress(gzip.compress(b"\0" * (64 * LIMIT)))
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            read(bomb, encoding)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * LIMIT, f"{peak / LIMIT:.0f} MB held at once"


@pytest.mark.parametrize(("encoding", "body"), [
    ("gzip, gzip", gzip.compress(gzip.compress(b"<feed/>" * 1000))),
    ("identity, gzip", gzip.compress(b"<feed/>" * 1000)),
    ("gzip, deflate", zlib.compress(gzip.compress(b"<feed/>" * 1000))),  # gzip applied first, deflate last
    ("Identity", b"<feed/>" * 1000),
], ids=["gzip twice", "identity then gzip", "gzip then deflate", "identity alone"])
def test_stacked_encodings_within_the_limit_are_read_whole(encoding: str, body: bytes) -> None:
    assert read(body, encoding) == b"<feed/>" * 1000


@pytest.mark.parametrize("encoding", ["br", "gzip, br", "compress"])
def test_an_encoding_the_reader_cannot_bound_is_refused(encoding: str) -> None:
    # Left to httpx it would be expanded a piece whole (or passed on as if it were the body).
    with pytest.raises(httpx.DecodingError):
        read(gzip.compress(b"<feed/>"), encoding)
