"""What the worker hands back for work given to it: an awaitable with a correlation id that never loses
its failure.

A ``Submission`` is consumed by awaiting it (from the GUI's qasync loop, or any other loop), by
``result(timeout)`` (a blocking caller: the CLI, a test), or by ``detach()`` (fire-and-forget on
purpose). A failure nobody has claimed (awaited, asked for) by the time it happens is logged then with
the submission's Ref, and still raised to whoever asks later; a submission dropped
unconsumed is also noted in ``take_dropped()``, which the tests read after each test so the test that
dropped one fails. Qt-free: the GUI reaches this through qasync, which is an asyncio loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import sys
import threading
from collections.abc import Generator
from typing import Any, Generic, TypeVar

from bookdesk import correlation

log = logging.getLogger(__name__)

T = TypeVar("T")

_lock = threading.Lock()
_dropped: list[str] = []


def take_dropped() -> list[str]:
    """The submissions garbage-collected unconsumed since the last call (for the tests' guard)."""
    with _lock:
        taken = list(_dropped)
        _dropped.clear()
    return taken


def ref_of(exc: BaseException) -> str:
    """The Ref a person sees for ``exc``: its own correlation id, else a fresh one kept on it, so the
    dialog, the log line and a second report of the same exception all say the same Ref."""
    ref = getattr(exc, "correlation_id", None)
    if not ref:
        ref = correlation.new_id()
        with contextlib.suppress(AttributeError):  # an exception type with __slots__ keeps no Ref
            exc.correlation_id = ref  # type: ignore[attr-defined]
    return ref


def log_failure(what: str, exc: BaseException) -> str:
    """Log ``exc`` as the failure of ``what``, stamped with its Ref (which the Activity view and the
    error dialog's details look up); returns the Ref."""
    ref = ref_of(exc)
    with correlation.bound(ref):
        log.error("%s failed: %s", what, exc, exc_info=exc)
    return ref


def caller(depth: int) -> str:
    """``file:line`` of the frame ``depth`` above the caller: where a submission was made."""
    try:
        frame = sys._getframe(depth + 1)
    except ValueError:
        return "?"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


class _Watch:
    """The part of a submission its future's callback holds: no reference back to the submission, so
    dropping the submission frees it at once (CPython's reference counting), with no cycle to wait for."""

    __slots__ = ("ref", "what", "site", "claimed", "orphaned")

    def __init__(self, ref: str, what: str, site: str, orphaned: bool) -> None:
        self.ref, self.what, self.site = ref, what, site
        self.claimed = False  # awaited or asked for its result: its caller hears the failure
        self.orphaned = orphaned  # detached or dropped: nobody will

    def on_done(self, future: concurrent.futures.Future) -> None:
        """On whichever thread finished the work. A failure nobody has claimed yet is logged now, not
        when (or if) someone gets round to it: a submission held for later (a loop's driver, read only
        at stop) may never be asked. Whoever asks later still gets the exception raised (and may log it
        again under its own name, with the same Ref)."""
        if future.cancelled() or future.exception() is None:
            return
        exc = future.exception()
        assert exc is not None
        if not getattr(exc, "correlation_id", None):
            with contextlib.suppress(AttributeError):
                exc.correlation_id = self.ref  # type: ignore[attr-defined]
        with _lock:
            if self.claimed:
                return
        log_failure(f"{self.what} (started at {self.site})", exc)

    def orphan(self) -> None:
        with _lock:
            self.orphaned = True  # a failure, before or after this, is logged by on_done unless claimed


class Submission(Generic[T]):
    """Work running on the worker's loop: ``await`` it, take ``result(timeout)``, or ``detach()`` it."""

    # Dropping one unconsumed is a bug the tests catch; a JobHandle is not tracked (its job's outcome
    # lives in its Job row and reaches the listeners).
    tracked = True

    def __init__(self, future: concurrent.futures.Future[T], what: str, *, correlation_id: str | None = None,
                 site: str = "?") -> None:
        self.correlation_id = correlation_id or correlation.new_id()
        self.what = what
        self.future = future
        self._watch = _Watch(self.correlation_id, what, site, orphaned=not self.tracked)
        future.add_done_callback(self._watch.on_done)

    def result(self, timeout: float | None = None) -> T:
        """Block until the work ends; its exception is raised here."""
        self._claim()
        return self.future.result(timeout)

    def __await__(self) -> Generator[Any, None, T]:
        """Await from any asyncio loop (the GUI's qasync loop): cancelling the awaiting task cancels
        the work."""
        self._claim()
        return asyncio.wrap_future(self.future, loop=asyncio.get_running_loop()).__await__()

    def detach(self) -> None:
        """Nobody waits for this on purpose: a failure is logged with the Ref, and that is all."""
        self._watch.orphan()

    def _claim(self) -> None:
        with _lock:
            self._watch.claimed = True

    def cancel(self) -> bool:
        return self.future.cancel()

    def done(self) -> bool:
        return self.future.done()

    def __del__(self) -> None:
        watch = getattr(self, "_watch", None)
        if watch is None or not self.tracked or watch.claimed or watch.orphaned:
            return
        with _lock:
            _dropped.append(f"{watch.what} ({watch.ref}) started at {watch.site}")
        watch.orphan()
