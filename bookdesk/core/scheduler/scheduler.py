"""The scheduler: which scheduled jobs are due, starting them, and the loop that wakes when one is.

Rules (the model is Vorta's scheduler):

- A missed run (BookDesk closed, the machine asleep) runs once on return, and the next is
  planned from that run: never one run per missed slot (see ``timing.py``).
- A kind never runs twice at once; a run still going when its next time comes is simply not
  started again, and the loop looks again when it ends.
- While paused nothing starts by itself; "Run now" and ``sync`` still do what they are asked. Kinds that
  follow what the person asked for (the download clients after a grab) are not paused, and are looked at
  once at the start and whenever ``requests_changed`` says there is something new to follow.
- A job that needs the network waits, still due, while the network probe says it is down.
- Every run is a Job (Job row, correlation id, summary, the error kept when it fails).
- A run is recorded (last run, next run) when it ends, not when it starts: a run killed or cut
  short by the app closing is due again at the next start.

Times are naive UTC from an injectable clock, and the jitter comes from an injectable draw,
so all of this is tested with a fake clock and no waiting.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bookdesk.core.jobs import JobContext, JobResult, JobRunner
from bookdesk.core.scheduler import timing
from bookdesk.core.scheduler.alarm import Alarm
from bookdesk.core.scheduler.clock import Clock, SystemClock
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.entries import ScheduleEntry, StartedRun, SyncResult
from bookdesk.core.scheduler.go_ahead import asked_first
from bookdesk.core.scheduler.kinds import KINDS, JobKind
from bookdesk.core.scheduler.launch import Launched, Launcher, runner_launcher, sync_result, worker_launcher
from bookdesk.core.scheduler.network import NetworkProbe
from bookdesk.core.scheduler.stored_schedule import StoredSchedule
from bookdesk.errors import BookDeskError, JobCancelledError, UsageError
from bookdesk.fault_points import reach

if TYPE_CHECKING:
    from bookdesk.core.submission import Submission
    from bookdesk.core.worker import Worker

log = logging.getLogger(__name__)

MAX_NAP = 60.0  # the loop looks at the wall clock at least this often: it notices a machine back from sleep
MIN_NAP = 1.0
OFFLINE_RETRY = 60.0  # how often a job waiting for the network asks again


class JobNotReadyError(BookDeskError):
    """A scheduled job that cannot run now (not set up, nothing to do); says why."""


@dataclass(eq=False)
class _Run:
    """One run of a kind, from the moment it is claimed (before its job exists) until it ends."""

    kind: str
    launched: Launched | None = None


class Scheduler:
    def __init__(self, context: SchedulerContext, *, launcher: Launcher | None = None,
                 kinds: Sequence[JobKind] = KINDS, clock: Clock | None = None,
                 draw: timing.Draw | None = None, network_up: NetworkProbe | None = None,
                 paused: bool = False) -> None:
        """``launcher``: how jobs start (``worker_launcher`` in the GUI); by default as tasks of the loop
        that calls ``tick``/``sync``. ``draw``: the jitter's random source. ``network_up``: a blocking
        probe (see network.py), run in a thread; None counts the network as always there.
        ``paused``: the saved state of the global pause."""
        self.context = context
        self.catalog = context.catalog
        self.kinds = tuple(kinds)
        self._by_name = {kind.name: kind for kind in self.kinds}
        self.clock = clock or SystemClock()
        context.now = self.clock.now
        self.stored = StoredSchedule(self.catalog, self.kinds, self.clock, draw or random.Random().random)
        self._network_up = network_up
        self._launch = launcher or runner_launcher(JobRunner(self.catalog))
        self._paused = paused
        self._lock = threading.RLock()
        self._running: dict[str, _Run] = {}
        self._offline: set[str] = set()
        self._hurried: set[str] = set()  # follows_requests kinds due now, whatever their next run says
        self._opening_ends: datetime | None = None  # the start delay: till then only follows_requests kinds run
        self._alarm = Alarm()
        self._stop = threading.Event()
        self._driver: Submission | None = None

    @classmethod
    def for_worker(cls, worker: Worker, context: SchedulerContext, **options: object) -> Scheduler:
        """A scheduler whose jobs run on the GUI's worker, like every other job there."""
        return cls(context, launcher=worker_launcher(worker), **options)  # type: ignore[arg-type]

    # ----- what is planned -----------------------------------------------------------------

    def entries(self) -> list[ScheduleEntry]:
        """Every kind with its schedule and whether it runs now; only reads the catalog."""
        rows, outcomes = self.stored.rows(), self.stored.last_outcomes()
        with self._lock:
            running = {name: run.launched.correlation_id if run.launched else None
                       for name, run in self._running.items()}
            offline = set(self._offline)
        return [ScheduleEntry(kind.name, kind.title, rows[kind.name].enabled, rows[kind.name].interval_seconds,
                              rows[kind.name].last_run, rows[kind.name].next_run, kind.name in running,
                              kind.needs_network, running.get(kind.name),
                              kind.name in offline and rows[kind.name].enabled, kind.follows_requests, kind.when_off,
                              outcomes.get(kind.name))
                for kind in self.kinds]

    def due(self, now: datetime | None = None) -> list[JobKind]:
        """The kinds whose time has come at ``now``: switched on, not running, and with something to
        follow (the download clients). Pause and network are ``tick``'s business."""
        now = now or self.clock.now()
        rows = self.stored.rows()
        with self._lock:
            running, hurried = set(self._running), set(self._hurried)
        return [kind for kind in self.kinds
                if rows[kind.name].enabled and kind.name not in running
                and (kind.name in hurried or timing.is_due(rows[kind.name].next_run, now))
                and kind.active(self.context)]

    def seconds_to_next(self, now: datetime | None = None) -> float:
        """How long the loop may sleep before something could be due (at most ``MAX_NAP``); paused, or
        within the start delay, only the kinds that follow requests count (and the delay's end)."""
        now = now or self.clock.now()
        rows = self.stored.rows()
        with self._lock:
            running, offline, hurried = set(self._running), set(self._offline), set(self._hurried)
        opening = self._opening_left(now)
        held = self.paused or opening > 0
        waits = [opening] if opening > 0 else []
        for kind in self.kinds:
            row = rows[kind.name]
            if not row.enabled or kind.name in running or (held and not kind.follows_requests) \
                    or not kind.active(self.context):
                continue
            if kind.name in hurried:
                waits.append(0.0)
            elif kind.name in offline:
                waits.append(OFFLINE_RETRY)
            else:
                waits.append(0.0 if row.next_run is None else (row.next_run - now).total_seconds())
        return min(max(min(waits, default=MAX_NAP), MIN_NAP), MAX_NAP)

    # ----- starting jobs -------------------------------------------------------------------

    async def tick(self) -> list[StartedRun]:
        """Start every due job that can start now; the runs started. Paused, or within the start delay,
        only the kinds that follow what the person asked for."""
        self.stored.seed()
        now = self.clock.now()
        held = self.paused or self._opening_left(now) > 0
        started: list[StartedRun] = []
        network: bool | None = None
        for kind in self.due(now):
            if held and not kind.follows_requests:
                continue
            with self._lock:
                self._hurried.discard(kind.name)  # looked at now; from here its schedule says
            reason = kind.skip_reason(self.context)
            if reason:
                self.stored.skip(kind, now, reason)
                continue
            if asked_first(kind, self.context, self.stored, now):
                continue
            if kind.needs_network:
                network = await self._probe() if network is None else network
                if not network:
                    with self._lock:
                        self._offline.add(kind.name)
                    continue
            launched = self._start(kind, now)
            if launched is not None:
                started.append(StartedRun(kind.name, launched.correlation_id))
        return started

    def run_now(self, kind_name: str) -> str:
        """Start this job now, whatever its schedule, the pause or the network say; the correlation id
        (of the run already going, if there is one). Raises JobNotReadyError when it cannot run at all."""
        kind = self._kind(kind_name)
        self.stored.seed()
        with self._lock:
            current = self._running.get(kind.name)
            if current is not None and current.launched is not None:
                return current.launched.correlation_id
        reason = kind.skip_reason(self.context)
        if reason:
            raise JobNotReadyError(f"{kind.title}: {reason}.")
        launched = self._start(kind, self.clock.now())
        if launched is None:  # started by the loop a moment ago
            with self._lock:
                run = self._running.get(kind.name)
            if run is None or run.launched is None:
                raise JobNotReadyError(f"{kind.title} is starting; try again in a moment.", retryable=True)
            return run.launched.correlation_id
        self.wake()
        return launched.correlation_id

    async def sync(self, *, every: bool = False) -> list[SyncResult]:
        """Run every due job once, one after another, and wait for each (``bookdesk sync``, "Sync now").
        With ``every``, every switched-on job, due or not. Ignores the pause: it was asked for."""
        self.stored.seed()
        now = self.clock.now()
        if every:
            rows = self.stored.rows()
            kinds = [k for k in self.kinds if rows[k.name].enabled and k.active(self.context)]
        else:
            kinds = self.due(now)
        results: list[SyncResult] = []
        network: bool | None = None
        for kind in kinds:
            reason = kind.skip_reason(self.context)
            if reason:
                self.stored.skip(kind, now, reason)
                results.append(SyncResult(kind.name, "skipped", None, reason))
                continue
            if question := asked_first(kind, self.context, self.stored, now):
                results.append(SyncResult(kind.name, "waiting", None, question))
                continue
            if kind.needs_network:
                network = await self._probe() if network is None else network
                if not network:
                    results.append(SyncResult(kind.name, "offline", None, "Waiting for the network"))
                    continue
            launched = self._start(kind, self.clock.now())
            if launched is None:
                with self._lock:
                    run = self._running.get(kind.name)
                cid = run.launched.correlation_id if run is not None and run.launched is not None else None
                results.append(SyncResult(kind.name, "running", cid, "Already running"))
                continue
            result = await launched.result()
            results.append(sync_result(kind.name, launched, result))
        return results

    def _start(self, kind: JobKind, now: datetime) -> Launched | None:
        run = _Run(kind.name)
        with self._lock:
            if kind.name in self._running:
                return None
            self._running[kind.name] = run  # held from here, so no second start slips in while this one launches
            self._offline.discard(kind.name)
        try:
            context = self.context

            async def job(ctx: JobContext) -> object:
                ended = False
                try:
                    reach("scheduler.mid_run")
                    value = await kind.run(context, ctx)
                    ended = True
                    return value
                except Exception as exc:
                    ended = not isinstance(exc, JobCancelledError)  # a failure is a run; a cancel is not
                    raise
                finally:
                    if not self._stop.is_set():  # cut short by the app closing, it is due again at the next start
                        self.stored.ran(kind, now, cancelled=not ended)

            launched = self._launch(kind.name, kind.title, job)
        except BaseException:
            with self._lock:
                self._running.pop(kind.name, None)
            raise
        with self._lock:
            run.launched = launched
        log.info("scheduled job started", extra={"kind": kind.name, "job": launched.correlation_id})
        launched.when_done(lambda result: self._finished(run, result))
        return launched

    def _finished(self, run: _Run, result: JobResult | None) -> None:
        with self._lock:
            if self._running.get(run.kind) is run:
                del self._running[run.kind]
        self.wake()  # the next run may be due already (a job that took longer than its interval)

    async def _probe(self) -> bool:
        if self._network_up is None:
            return True
        try:
            return bool(await asyncio.to_thread(self._network_up))
        except Exception:  # a broken probe must not stop the schedule; assume the network is there
            log.exception("network probe failed")
            return True

    # ----- what the person changes ---------------------------------------------------------

    def set_enabled(self, kind_name: str, enabled: bool) -> None:
        """Switch a job on or off. Switched back on, a job whose time passed meanwhile runs once soon."""
        self.stored.set_enabled(self._kind(kind_name), enabled)
        self.wake()

    def set_interval(self, kind_name: str, seconds: int) -> None:
        """Run a job every ``seconds``; the next run moves to one new interval after the last one."""
        self.stored.set_interval(self._kind(kind_name), seconds)
        self.wake()

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Start nothing by itself until ``resume``; running jobs finish. The caller saves the state."""
        self._paused = True
        self.wake()

    def resume(self) -> None:
        """Start again; whatever fell due while paused runs once."""
        self._paused = False
        self.wake()

    def requests_changed(self) -> None:
        """The person asked for something new to follow (a grab): the kinds that follow requests are due
        now, even within the start delay or while paused (from any thread). One switched off stays off."""
        with self._lock:
            self._hurried.update(kind.name for kind in self.kinds if kind.follows_requests)
        self.wake()

    # ----- the loop ------------------------------------------------------------------------

    async def run_forever(self, startup_delay: float = 0.0) -> None:
        """Start due jobs until ``stop``: sleep until the next is due, or until ``wake`` (a setting
        changed, a job ended, a download was added). Run it on the loop the jobs run on.

        For the first ``startup_delay`` seconds only the kinds that follow requests run, so the app opens
        before its own checks start; what the person asked for before the last quit (a torrent finished
        meanwhile) is looked at at once."""
        self._alarm.arm()
        self.requests_changed()  # what was asked for before the last quit goes on at once
        self._opening_ends = self.clock.now() + timedelta(seconds=startup_delay)
        try:
            while not self._stop.is_set():
                self._alarm.reset()  # a wake during the tick below is kept for the nap after it
                nap = MAX_NAP  # after a bad look, look again within the minute
                try:
                    await self.tick()
                    if not self._stop.is_set():  # a catalog read too: inside, so it cannot end the loop
                        nap = self.seconds_to_next()
                except Exception:  # one bad tick (the catalog busy, a bug) must not end the schedule
                    log.exception("scheduler tick failed")
                if self._stop.is_set():
                    break
                await self._alarm.nap(self.clock, nap)
        finally:
            self._alarm.disarm()

    def start_on(self, worker: Worker, *, startup_delay: float = 60.0) -> Submission:
        """Run the loop on the worker's thread (the GUI). Call ``stop`` before stopping the worker."""
        self._stop.clear()
        self._driver = worker.run(self.run_forever, startup_delay)
        return self._driver

    def stop(self, timeout: float = 5.0) -> None:
        """End the loop (from any thread); waits for it when it was started with ``start_on``. Jobs
        already running are left to the worker, which cancels them when it stops."""
        self._stop.set()
        self.wake()
        driver, self._driver = self._driver, None
        if driver is not None and not self._alarm.on_loop_thread():
            try:
                driver.result(timeout)
            except concurrent.futures.TimeoutError:
                driver.cancel()
            except (concurrent.futures.CancelledError, Exception):
                log.debug("scheduler loop ended with an error", exc_info=True)

    def _opening_left(self, now: datetime) -> float:
        """Seconds left of the start delay (0 once over, or when the loop never had one)."""
        return 0.0 if self._opening_ends is None else max(0.0, (self._opening_ends - now).total_seconds())

    def wake(self) -> None:
        """Have the loop look again now (from any thread): something changed."""
        self._alarm.ring()

    # ----- rows ----------------------------------------------------------------------------

    def _kind(self, name: str) -> JobKind:
        kind = self._by_name.get(name)
        if kind is None:
            raise UsageError(f"There is no scheduled job called {name!r}; "
                             f"the jobs are {', '.join(self._by_name)}.")
        return kind

