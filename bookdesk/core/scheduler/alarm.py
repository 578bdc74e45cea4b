"""Waking the scheduler's loop: a nap on the clock that ends early when anyone, on any thread, rings."""

from __future__ import annotations

import asyncio
import contextlib

from bookdesk.core.scheduler.clock import Clock


class Alarm:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def arm(self) -> None:
        """Bind to the running loop (the one that will nap)."""
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()

    def disarm(self) -> None:
        self._loop = self._event = None

    def reset(self) -> None:
        """Forget earlier rings; one that comes after this ends the next nap at once."""
        if self._event is not None:
            self._event.clear()

    def ring(self) -> None:
        """End the nap now (from any thread); nothing when no loop naps on this alarm."""
        loop, event = self._loop, self._event
        if loop is None or event is None:
            return
        if self.on_loop_thread():
            event.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(event.set)

    async def nap(self, clock: Clock, seconds: float) -> None:
        """Sleep ``seconds`` on ``clock``, or until rung."""
        assert self._event is not None, "arm() first"
        sleeper = asyncio.ensure_future(clock.sleep(seconds))
        waker = asyncio.ensure_future(self._event.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)

    def on_loop_thread(self) -> bool:
        try:
            return self._loop is not None and asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False
