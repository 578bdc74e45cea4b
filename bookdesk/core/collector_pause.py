"""Pause the cyclic garbage collector around work that makes tens of thousands of small objects.

The collector's switch is one for the whole process, and the GUI thread and the worker both work
series out. Each saving and restoring the switch on its own races: a thread that enters while
another is inside sees it off, the other then turns it back on under the first's work, or turns
it off for good. So the pauses are counted under one lock: the first in turns the collector off
(noting whether it was on), the last out turns it back on only if the first found it on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "settle_long_lived"]

_lock = threading.Lock()
_inside = 0  # pauses in progress, over all threads (nesting in one thread counts each level)
_resume = False  # whether the last one out turns the collector back on


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic collector off while any thread is inside; leave it as the first one in found it."""
    global _inside, _resume
    with _lock:
        if _inside == 0:
            _resume = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _resume:
                gc.enable()


def settle_long_lived() -> None:
    """Collect once, then leave every object alive now out of the collector's later passes (gc.freeze).

    An open 100,000-book library keeps millions of objects for as long as it is open; each full
    collection goes over all of them and holds the GIL for 150-300 ms, so the GUI thread stalls whenever
    a worker's churn sets one off. Called once those structures are built: the collection just before
    means nothing that is garbage now is kept for good, and a frozen object that is let go later is still
    freed by its reference count (only one caught in a cycle would stay).
    """
    gc.collect()
    gc.freeze()
