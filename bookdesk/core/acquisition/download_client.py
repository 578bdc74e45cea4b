"""The HTTP client of the download queue: blocking (a transfer reads its body on a thread of its own,
transfer_thread.py says why), no response cache, TLS verified, BookDesk's User-Agent."""

from __future__ import annotations

import httpx

from bookdesk.core.net.factory import make_blocking_http

# httpcore reads an HTTP/1.1 body 64 KiB at a time; reading 256 KiB at once makes a quarter as many
# trips through h11 for each megabyte: a 300 MB download over loopback went from 1.18x curl's time to
# 1.09x (median of four, same run). It only lets each read return more, so every client in the process
# may share it.
_READ_BYTES = 256 * 1024


def _read_in_bigger_pieces() -> None:
    import httpcore

    connection = getattr(httpcore, "HTTP11Connection", None)
    if connection is not None and getattr(connection, "READ_NUM_BYTES", _READ_BYTES) < _READ_BYTES:
        connection.READ_NUM_BYTES = _READ_BYTES


def make_client(concurrency: int) -> httpx.Client:
    _read_in_bigger_pieces()
    # No response cache here: a book is streamed to disk once, never kept in memory or a cache.
    limits = httpx.Limits(max_connections=concurrency + 2, max_keepalive_connections=concurrency)
    return make_blocking_http(timeout=httpx.Timeout(30.0, connect=15.0), limits=limits)
