"""The one fake clock of the tests: time that moves only when the test (or a sleeper) moves it.

It stands in for each of BookDesk's clocks: ``monotonic()`` and ``wall()`` (the rate limiter, the
HTTP client, the response cache), a plain callable returning monotonic seconds (the watch folder,
the tray's notifier), ``now()`` with ``async sleep`` (the scheduler's ``Clock``), and ``datetime``
itself where a module only asks ``datetime.now(tz)`` (the write-back's backup names).

Sleeping never takes real time. By default a sleeper waits until ``advance`` reaches its time, so
a test decides when things wake (the scheduler's loop). With ``sleeping_moves_time`` time jumps to
when the sleeper would wake instead, as if the sleep had happened: code that paces itself (a rate
limiter, retries with backoff) runs through without a test driving each wait.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, tzinfo

START = datetime(2024, 6, 1, 12, 0, 0)  # naive UTC, as the catalog stores times
MONOTONIC_START = 1000.0


class FakeClock:
    def __init__(self, start: datetime = START, *, sleeping_moves_time: bool = False) -> None:
        self._start = start
        self._monotonic = MONOTONIC_START
        self.sleeping_moves_time = sleeping_moves_time
        self.sleeps: list[float] = []  # every sleep asked for, in seconds
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    # ----- reading the time ----------------------------------------------------------------

    def monotonic(self) -> float:
        return self._monotonic

    __call__ = monotonic  # for code that takes a ``clock()`` returning monotonic seconds

    def wall(self) -> float:
        """Seconds since the epoch."""
        return self._start.replace(tzinfo=UTC).timestamp() + self._elapsed()

    def now(self, tz: tzinfo | None = None) -> datetime:
        """The wall time as a naive UTC datetime, or in ``tz`` (so it also stands in for ``datetime``
        where a module asks ``datetime.now(UTC)``)."""
        naive = self._start + timedelta(seconds=self._elapsed())
        return naive if tz is None else naive.replace(tzinfo=UTC).astimezone(tz)

    def _elapsed(self) -> float:
        return self._monotonic - MONOTONIC_START

    # ----- moving it -----------------------------------------------------------------------

    def wake_next(self) -> bool:
        """Move the time on to when the first sleeper wakes, and wake it (with any due at the same time):
        a test of many coroutines sleeping at once steps through their time in order. False when
        nobody sleeps."""
        waking = [wake for wake, future in self._sleepers if not future.done()]
        if not waking:
            return False
        self.advance(max(0.0, min(waking) - self._monotonic))
        return True

    def advance(self, seconds: float = 0.0, *, to: datetime | None = None) -> None:
        """Move the time on by ``seconds`` (or to ``to``, naive UTC); wake whoever slept until then."""
        self._monotonic = (MONOTONIC_START + (to - self._start).total_seconds() if to is not None
                           else self._monotonic + seconds)
        for wake, future in list(self._sleepers):
            if wake <= self._monotonic and not future.done():
                future.set_result(None)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        wake = self._monotonic + max(0.0, seconds)
        if self.sleeping_moves_time:
            for _ in range(5):  # let whatever else is ready run "while" this one sleeps
                await asyncio.sleep(0)
            self._monotonic = max(self._monotonic, wake)  # overlapping sleepers: the latest wins
            return
        if wake <= self._monotonic:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((wake, future))
        try:
            await future
        finally:
            self._sleepers = [(w, f) for w, f in self._sleepers if f is not future]

    @property
    def sleeping(self) -> int:
        """How many are waiting on this clock now."""
        return sum(1 for _, future in self._sleepers if not future.done())
