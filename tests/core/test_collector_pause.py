"""The collector pause is process-wide state shared by the GUI thread and the worker: two threads that
overlap in any order must keep it off while either is inside and leave it as the first found it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from bookdesk.core.collector_pause import collector_paused

WAIT = 30  # seconds; only a hang ever reaches it


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


class Pauser:
    """A thread that enters the pause when told, reports it is inside, and leaves when told."""

    def __init__(self, seen: list[bool]) -> None:
        self.enter, self.inside, self.leave, self.left = (threading.Event() for _ in range(4))
        self._seen = seen
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        assert self.enter.wait(WAIT)
        with collector_paused():
            self._seen.append(gc.isenabled())
            self.inside.set()
            assert self.leave.wait(WAIT)
            self._seen.append(gc.isenabled())
        self.left.set()

    def step_in(self) -> None:
        self.enter.set()
        assert self.inside.wait(WAIT)

    def step_out(self) -> None:
        self.leave.set()
        assert self.left.wait(WAIT)
        self.thread.join(WAIT)


@pytest.mark.parametrize("order", ["first in, first out", "first in, last out"])
def test_two_threads_keep_the_collector_off_while_inside_and_on_after(order: str) -> None:
    seen: list[bool] = []
    a, b = Pauser(seen), Pauser(seen)
    a.step_in()
    b.step_in()
    first_out, last_out = (a, b) if order == "first in, first out" else (b, a)
    first_out.step_out()
    assert not gc.isenabled(), "one thread is still inside: the collector must stay paused"
    last_out.step_out()
    assert seen == [False] * 4
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    seen: list[bool] = []
    a, b = Pauser(seen), Pauser(seen)
    a.step_in()
    b.step_in()
    a.step_out()
    b.step_out()
    assert not gc.isenabled()


def test_nested_in_one_thread_resumes_only_at_the_outer_exit() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_inside_still_resumes_it() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settling_frees_the_garbage_of_now_and_keeps_the_living_out_of_later_collections() -> None:
    import weakref

    from bookdesk.core.collector_pause import settle_long_lived

    kept = Cycle()
    dropped = Cycle()
    dropped_ref = weakref.ref(dropped)
    del dropped
    gc.unfreeze()
    try:
        settle_long_lived()
        assert dropped_ref() is None  # collected before the freeze: not kept for good
        assert gc.get_freeze_count() > 0
        assert kept.me is kept
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual


FREEZING_SURVIVORS = """
import gc, weakref
from bookdesk.core import collector_pause
from bookdesk.core.collector_pause import collector_paused, freeze_survivors

class Cycle:
    def __init__(self):
        self.me = self

freeze_survivors()
gc.collect()
assert gc.get_freeze_count() > 0, "what survived a full collection is frozen"
before = gc.get_freeze_count()
with collector_paused():
    made = [Cycle() for _ in range(1000)]
assert gc.get_freeze_count() >= before + 1000, "what a pause made is frozen when it ends"
made_ref = weakref.ref(made[0])
del made
gc.collect()
assert made_ref() is not None, "frozen garbage waits for a pass over everything"
collector_pause.WHOLE_PASS_EVERY_S = 0.0
gc.collect()
assert made_ref() is None, "a pass over everything frees it"
print("ok")
"""


def test_freezing_survivors_keeps_frozen_garbage_only_until_a_pass_over_everything() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FREEZING_SURVIVORS], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


SETTLING_WHILE_FOLLOWING = """
import gc, weakref
from bookdesk.core import collector_pause
from bookdesk.core.collector_pause import collector_paused, freeze_survivors, settle_long_lived

class Cycle:
    def __init__(self):
        self.me = self

freeze_survivors()
with collector_paused():
    snapshot = [Cycle() for _ in range(1000)]  # the warm-up's structures, frozen as the pause ends
frozen = gc.get_freeze_count()
snapshot_ref = weakref.ref(snapshot[0])
del snapshot
loose = Cycle()
loose_ref = weakref.ref(loose)
del loose
settle_long_lived()
assert loose_ref() is None, "what was not frozen yet is gone over, its garbage freed"
assert snapshot_ref() is not None, "what was frozen already is not gone over again"
assert gc.get_freeze_count() >= frozen - 1000, "the living stay frozen"
collector_pause.WHOLE_PASS_EVERY_S = 0.0
gc.collect()
assert snapshot_ref() is None, "the pass over everything frees it"
print("ok")
"""


def test_settling_after_freezing_survivors_goes_only_over_what_is_not_frozen_yet() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", SETTLING_WHILE_FOLLOWING], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
