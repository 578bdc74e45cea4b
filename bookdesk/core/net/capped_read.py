"""A response body read whole, but never more than a limit: a server that sends a gigabyte where a
page of JSON or XML belongs is stopped early, whether or not it announced its length."""

from __future__ import annotations

import httpx


class ResponseTooLarge(Exception):
    """The body is (or announced it would be) longer than the limit."""


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    length = response.headers.get("content-length", "")
    # A compressed body's announced length is not the length it will have: only the bytes tell.
    if length.isdigit() and int(length) > limit and "content-encoding" not in response.headers:
        raise ResponseTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise ResponseTooLarge
        chunks.append(chunk)
    return b"".join(chunks)
