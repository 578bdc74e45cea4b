"""Fakes for the network tests: a clock that never really waits."""

from __future__ import annotations

import asyncio


class FakeClock:
    """Monotonic and wall time that move only when someone sleeps (or a test advances them).

    ``sleep`` moves time forward to when the sleeper would wake; sleepers that overlap never move
    it further than the latest of them needs.
    """

    def __init__(self, start: float = 1000.0, wall_start: float = 1_750_000_000.0) -> None:
        self.now = start
        self._wall_offset = wall_start - start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.now + self._wall_offset

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        target = self.now + max(0.0, seconds)
        for _ in range(5):  # let whatever else is ready run "while" this one sleeps
            await asyncio.sleep(0)
        self.now = max(self.now, target)
