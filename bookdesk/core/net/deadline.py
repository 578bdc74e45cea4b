"""How long BookDesk waits for a server, as a whole and not per read.

httpx's timeouts count each read separately: a server that sends one byte every two seconds never
trips them and holds a request (and the job waiting on it) for as long as it likes. Every request
for a page of data (metadata, a feed, a search, a .torrent, a download client's answer) therefore
runs under one total deadline; a download, which may honestly take an hour, is watched for a stall
instead (``StallWatch``).

``$BOOKDESK_REQUEST_DEADLINE`` and ``$BOOKDESK_DOWNLOAD_STALL`` (seconds) shorten them, for tests
against a slow local server and for people on links where the defaults do not fit.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)

DEADLINE_ENV = "BOOKDESK_REQUEST_DEADLINE"
STALL_ENV = "BOOKDESK_DOWNLOAD_STALL"
DEFAULT_DEADLINE = 45.0  # a metadata answer or an indexer's search that is not in by then will not be useful
DEFAULT_STALL = 60.0
MIN_PROGRESS = 64 * 1024  # bytes a download must bring in every stall window: about 1 KB/s, slower is stuck


class DeadlineExceeded(Exception):
    """The request was still not answered in full when its total deadline ran out."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no full answer within {seconds:g} s")
        self.seconds = seconds


def _seconds(env: str, default: float) -> float:
    value = os.environ.get(env, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        log.warning("ignoring $%s=%r: not a positive number of seconds", env, value)
        return default
    return seconds


def request_deadline() -> float:
    """Seconds one request (connect, headers and the whole body, retries not included) may take."""
    return _seconds(DEADLINE_ENV, DEFAULT_DEADLINE)


def stall_window() -> float:
    """Seconds in which a download must bring in ``MIN_PROGRESS`` bytes (or end) to be alive."""
    return _seconds(STALL_ENV, DEFAULT_STALL)


@asynccontextmanager
async def total_deadline(seconds: float | None = None) -> AsyncIterator[None]:
    """Run the block under a total deadline; raises DeadlineExceeded when it runs out."""
    limit = request_deadline() if seconds is None else seconds
    try:
        async with asyncio.timeout(limit):
            yield
    except TimeoutError:
        raise DeadlineExceeded(limit) from None


class StallWatch:
    """A deadline that moves on while bytes arrive: the block must bring in ``min_bytes`` in every
    ``window`` seconds (the first window also covers connecting and the headers). Use as
    ``async with StallWatch() as watch: ... watch.arrived(len(chunk))``; raises DeadlineExceeded."""

    def __init__(self, window: float | None = None, min_bytes: int = MIN_PROGRESS) -> None:
        self.window = stall_window() if window is None else window
        self.min_bytes = min_bytes
        self._since_mark = 0
        self._timeout: asyncio.Timeout | None = None

    async def __aenter__(self) -> StallWatch:
        self._timeout = asyncio.timeout(self.window)
        await self._timeout.__aenter__()
        return self

    async def __aexit__(self, kind, value, traceback) -> bool:  # noqa: ANN001
        assert self._timeout is not None
        try:
            await self._timeout.__aexit__(kind, value, traceback)
        except TimeoutError:
            raise DeadlineExceeded(self.window) from None
        return False

    def arrived(self, count: int) -> None:
        """``count`` more bytes came in: enough of them since the last mark give a fresh window."""
        self._since_mark += count
        if self._since_mark >= self.min_bytes and self._timeout is not None:
            self._since_mark = 0
            self._timeout.reschedule(asyncio.get_running_loop().time() + self.window)
