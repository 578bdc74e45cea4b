"""What time it is, and waiting for a time: the protocol and the real clock (the tests' fake one,
which they move by hand, is tests/fakes/clock.py).

Times are naive UTC datetimes, as the catalog stores them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The time now, naive UTC."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (the scheduler's loop wakes on its own for anything sooner)."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
