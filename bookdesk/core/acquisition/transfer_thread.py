"""A download's body, read on a thread of its own with httpx's blocking client.

Over loopback, httpx's asyncio client took about twice curl's time for a 300 MB file: each piece of
the body went through anyio's stream and httpcore's async layers (py-spy: 40% of the transfer). The
same httpx with its blocking transport, on a thread, reads the socket directly: 1.1-1.2x curl
(bench/download.py). The event loop keeps what is its own: it tells the caller of the server's answer
and of the progress, on the loop's thread; it watches for a stall; and on a stall or a cancel it shuts
the connection's socket, so that the thread ends at once and writes nothing more.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from bookdesk.core.net.deadline import StallWatch

T = TypeVar("T")
A = TypeVar("A")
TELL_EVERY = 0.1  # seconds between the thread's wake-ups of the loop for progress: more is only overhead
HALT_WAIT = 5.0  # seconds a halted transfer is waited for; a shut socket ends it in far less


class Halted(Exception):
    """The loop stopped the transfer (a cancel or a stall): the thread ends without writing more."""


class TransferThread(Generic[A]):
    """What the thread and the loop share for one transfer. The thread calls ``answered`` once the
    server's answer is accepted and ``arrived`` after each piece it wrote; the loop runs ``run``."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.stop = threading.Event()
        self._acked = threading.Event()  # the loop has told the caller of the answer
        self._woken = asyncio.Event()
        self.answer: A | None = None
        self.total: int | None = None
        self.done = 0
        self._socket: socket.socket | None = None
        self._told = 0.0

    # ----- on the thread ------------------------------------------------------------------------

    def answered(self, answer: A, total: int | None, offset: int, sock: socket.socket | None) -> None:
        """The answer is accepted: wait until the caller has it (it saves the validator, so that a
        killed app finds it on the next start) before a byte of the body is written."""
        self.answer, self.total, self.done, self._socket = answer, total, offset, sock
        self._wake()
        self._acked.wait()
        self.check()

    def arrived(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now - self._told >= TELL_EVERY:
            self._told = now
            self._wake()

    def check(self) -> None:
        if self.stop.is_set():
            raise Halted

    def _wake(self) -> None:
        try:
            self.loop.call_soon_threadsafe(self._woken.set)
        except RuntimeError:  # the loop is closed: nobody follows this transfer any more
            self.stop.set()
            raise Halted from None

    # ----- on the loop --------------------------------------------------------------------------

    async def run(self, work: Callable[[], T], *, watch: StallWatch, on_answer: Callable[[A], None] | None,
                  on_progress: Callable[[int, int | None], None] | None) -> T:
        """Run ``work`` (which calls back ``answered``/``arrived``) on a new thread; tell the caller
        of its answer and progress here; give its result or raise its exception."""
        outcome: concurrent.futures.Future[T] = concurrent.futures.Future()
        threading.Thread(target=_run, args=(work, outcome), name="download body", daemon=True).start()
        finished = asyncio.wrap_future(outcome)
        told_answer, seen = False, 0
        try:
            while True:
                woken = asyncio.ensure_future(self._woken.wait())
                try:
                    await asyncio.wait({finished, woken}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    woken.cancel()
                self._woken.clear()  # before reading: what the thread does after this wakes the next round
                if self.answer is not None and not told_answer:
                    told_answer, seen = True, self.done
                    try:
                        if on_answer is not None:
                            on_answer(self.answer)
                    finally:
                        self._acked.set()
                if self.done > seen:
                    watch.arrived(self.done - seen)
                    seen = self.done
                    if on_progress is not None:
                        on_progress(self.done, self.total)
                if finished.done():
                    return finished.result()
        except BaseException:
            await self._halt(finished)
            raise

    async def _halt(self, finished: asyncio.Future[T]) -> None:
        """Stop the thread: no more writes, and its socket shut so a read in progress returns now."""
        self.stop.set()
        self._acked.set()
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        # Waited for, so that a retry never writes the .part beside it; before the answer there is no
        # socket to shut, and nothing has been written, so it is let go.
        if self._socket is not None and not finished.done():
            with contextlib.suppress(BaseException):
                await asyncio.wait({finished}, timeout=HALT_WAIT)
        # Its own end (Halted, a shut socket) is not the news: read, so that it is never logged as lost.
        finished.add_done_callback(lambda future: future.cancelled() or future.exception())


def _run(work: Callable[[], T], outcome: concurrent.futures.Future[T]) -> None:
    try:
        outcome.set_result(work())
    except BaseException as exc:  # everything reaches the loop, which decides what it means
        outcome.set_exception(exc)
