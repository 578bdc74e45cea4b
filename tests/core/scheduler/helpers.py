"""Helpers of the scheduler tests: job kinds that only record that they ran (and, when asked, stay
running until told to finish), a network that is up or down as the test says, a way to let the
loop's tasks get on without counting on wall-clock time, a job's entry in the schedule, and a download
of ours that a client holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.kinds import HOUR, JobKind
from bookdesk.core.scheduler.scheduler import Scheduler
from bookdesk.data.models import Download

HOURLY = HOUR
DAILY = 24 * HOUR


@dataclass
class Recorder:
    """Job kinds that write down each run; a kind in ``hold`` waits for ``release`` before it ends."""

    runs: list[str] = field(default_factory=list)
    hold: set[str] = field(default_factory=set)
    fail: set[str] = field(default_factory=set)
    _gates: dict[str, asyncio.Event] = field(default_factory=dict)

    def kind(self, name: str, interval: int, *, network: bool = False,
             skip: Callable[[SchedulerContext], str | None] | None = None,
             active: Callable[[SchedulerContext], bool] | None = None) -> JobKind:
        async def run(context: SchedulerContext, job) -> str:  # noqa: ANN001 - a JobContext
            self.runs.append(name)
            if name in self.hold:
                gate = self._gates.setdefault(name, asyncio.Event())
                await gate.wait()
                gate.clear()
            if name in self.fail:
                raise RuntimeError(f"{name} broke")
            job.summary = f"{name} done"
            return name

        extra = {}
        if skip is not None:
            extra["skip_reason"] = skip
        if active is not None:
            extra["active"] = active
        return JobKind(name, f"The {name} job", interval, network, run, **extra)

    def release(self, name: str) -> None:
        self._gates.setdefault(name, asyncio.Event()).set()


@dataclass
class Network:
    up: bool = True
    asked: int = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.up


async def settle(condition: Callable[[], bool], patience: float = 30.0) -> None:
    """Let the loop's tasks (and the threads they wait on) get on until ``condition`` holds; gives up
    after ``patience`` seconds, which only a hang reaches on however busy a machine (the assertion
    after it then says what is wrong)."""
    end = time.monotonic() + patience
    while not condition() and time.monotonic() < end:
        await asyncio.sleep(0.001)


async def spin(times: int = 50) -> None:
    """Let every ready task take a few steps (for checking that nothing more happens)."""
    for _ in range(times):
        await asyncio.sleep(0)


def entry_of(scheduler: Scheduler, name: str) -> ScheduleEntry:
    """The schedule entry of the job kind ``name``, as the scheduler lists it."""
    return next(e for e in scheduler.entries() if e.kind == name)


def client_download(session, kind: str, state: str, import_after: bool = True) -> None:  # noqa: ANN001 - a Session
    """Add a download of ``kind`` (torrent, usenet, http) in ``state``, as a grab leaves one."""
    now = datetime.now(UTC).replace(tzinfo=None)
    session.add(Download(source="test", url="magnet:?xt=urn:btih:0", kind=kind, state=state, created_at=now,
                         updated_at=now, import_after=import_after))
