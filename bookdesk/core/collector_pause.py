"""Pause the cyclic garbage collector around work that makes tens of thousands of small objects.

The collector's switch is one for the whole process, and the GUI thread and the worker both work
series out. Each saving and restoring the switch on its own races: a thread that enters while
another is inside sees it off, the other then turns it back on under the first's work, or turns
it off for good. So the pauses are counted under one lock: the first in turns the collector off
(noting whether it was on), the last out turns it back on only if the first found it on.

The app also keeps the collector off the library's long-lived objects (``settle_long_lived`` once they
are built, ``freeze_survivors`` from the start): a full collection that goes over millions of them
holds the GIL, and so the GUI thread, for a fifth of a second.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "freeze_survivors", "settle_long_lived"]

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
                if _following:
                    # What the pause made is what it was for (a series snapshot, say): frozen at once, not gone
                    # over in one young pass as long as the GIL is held, the moment the collector is back on.
                    gc.freeze()
                gc.enable()


WHOLE_PASS_EVERY_S = 600.0  # at most this long between collections that go over every object
_following = False
_last_whole_pass = 0.0  # time.monotonic() of the last collection that went over every object


def settle_long_lived() -> None:
    """Collect over every object once, then leave those alive now out of the collector's later passes.

    An open 100,000-book library keeps millions of objects for as long as it is open; each full
    collection goes over all of them and holds the GIL for 150-300 ms, so the GUI thread stalls whenever
    a worker's churn sets one off. Called once those structures are built: the collection just before
    means nothing that is garbage now is kept for good, and a frozen object that is let go later is still
    freed by its reference count (only one caught in a cycle would stay).

    Once ``freeze_survivors`` is in force, what it froze already (the warm-up's series snapshot, made in a
    collector pause) is left frozen, and the collection goes only over the rest: going over every object
    again was the window's one 100-250 ms stall after the warm-up (bench/ui_stalls.py, py-spy). Garbage in
    cycles among the frozen waits for the pass over everything that comes every WHOLE_PASS_EVERY_S.
    """
    global _last_whole_pass
    with _lock:
        following = _following
    if not following:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    if not following:
        _last_whole_pass = time.monotonic()


def freeze_survivors() -> None:
    """From now on, freeze what survives each full collection, so the next one goes only over what is newer.

    After an import or a batch of identifications the library's rebuilt structures are new again, and
    full passes over them cost as much as before the settle. What survived a full pass is long-lived:
    frozen, it is left out of the next (and so is what a ``collector_paused`` block made). A frozen
    object caught in a cycle when it is let go is not freed until a pass goes over every object again:
    one does when WHOLE_PASS_EVERY_S has gone by since the last. Process-wide: the app calls it once,
    tests and commands do not.
    """
    global _following, _last_whole_pass
    with _lock:
        if _following:
            return
        _following = True
        _last_whole_pass = time.monotonic()
    gc.callbacks.append(_around_collection)


def _around_collection(phase: str, info: dict[str, int]) -> None:
    global _last_whole_pass
    if info["generation"] != 2:
        return
    if phase == "start":
        if time.monotonic() - _last_whole_pass > WHOLE_PASS_EVERY_S:
            gc.unfreeze()  # this pass goes over everything: frozen garbage in cycles is freed
            _last_whole_pass = time.monotonic()
        return
    gc.freeze()
