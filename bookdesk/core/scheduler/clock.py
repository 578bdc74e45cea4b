"""What time it is, and waiting for a time: the real clock, and a fake one tests move by hand.

Times are naive UTC datetimes, as the catalog stores them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
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


class FakeClock:
    """A clock that stands still until ``advance`` moves it; sleepers wake when their time has come.

    Sleeping never takes real time, so scheduling rules are tested without waiting and without
    depending on how fast the machine is.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2024, 6, 1, 12, 0, 0)
        self._sleepers: list[tuple[datetime, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        wake = self.current + timedelta(seconds=max(0.0, seconds))
        if wake <= self.current:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((wake, future))
        try:
            await future
        finally:
            self._sleepers = [(w, f) for w, f in self._sleepers if f is not future]

    def advance(self, seconds: float = 0.0, *, to: datetime | None = None) -> None:
        """Move the time on by ``seconds`` (or to ``to``); wake whoever slept until then."""
        self.current = to if to is not None else self.current + timedelta(seconds=seconds)
        for wake, future in list(self._sleepers):
            if wake <= self.current and not future.done():
                future.set_result(None)

    @property
    def sleeping(self) -> int:
        """How many are waiting on this clock now."""
        return sum(1 for _, future in self._sleepers if not future.done())
