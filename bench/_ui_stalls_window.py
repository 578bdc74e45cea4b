"""The measured process of bench/ui_stalls.py: the real window, a probe timer, and the scenarios.

Run by ``ui_stalls.py --child PLAN`` with the environment the parent set (offscreen Qt, temporary
config, log and cache folders, the fake providers' addresses). Writes its figures to the plan's
``out`` file as JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from _common import log as log_line
from _common import percentile, rounded
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from bookdesk.core import logging_setup
from bookdesk.core.collector_pause import freeze_survivors
from bookdesk.core.jobs import JobEvent
from bookdesk.ui.application import OpenLibrary, create_app
from bookdesk.ui.gil_turns import quicken_gil_turns
from bookdesk.ui.gui_loop import gui_loop
from bookdesk.ui.main_window import MainWindow
from bookdesk.ui.views import VIEW_NAMES

PROBE_MS = 5
SWITCH_EVERY_S = 0.7  # while a job runs, a person looks around
IDLE_PEER_S = 4.0
START_S = 2.5  # the window's own start: its timers fire within the first second
SETTLE_S = 0.5  # after a step, long enough for rows the worker sends back to land
TYPED = "silent kingdom"
LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
JOB_TIMEOUT_S = 900

log = logging.getLogger("bookdesk.bench.ui_stalls")


class StallProbe(QObject):
    """A precise timer on the GUI thread: how late each tick comes is how long the loop was held up.

    A stall is the person's view of it, whatever held the loop; on a loaded machine the GUI thread may
    also wait for a CPU or for the GIL. So each stall is also told as the CPU time the GUI thread itself
    spent in it ("busy"): work done on the GUI thread, which no other load adds to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.stalls: dict[str, list[float]] = {}
        self.busy: dict[str, list[float]] = {}
        self.scenario: str | None = None
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()

    def begin(self, scenario: str) -> None:
        self.stalls[scenario], self.busy[scenario] = [], []
        self.scenario = scenario
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.timer.start()

    def end(self) -> None:
        self.timer.stop()
        self.scenario = None

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.scenario is not None:
            stall = max(0.0, (now - self.last) * 1000 - PROBE_MS)
            self.stalls[self.scenario].append(stall)
            self.busy[self.scenario].append(min(stall, (cpu - self.last_cpu) * 1000))
        self.last, self.last_cpu = now, cpu

    def figures(self) -> dict[str, dict[str, float]]:
        return {name: {"p99_ms": rounded(percentile(values, 0.99), 1), "max_ms": rounded(max(values), 1),
                       "ticks": len(values), "over_100_ms": sum(1 for v in values if v > 100),
                       "busy_p99_ms": rounded(percentile(self.busy[name], 0.99), 1),
                       "busy_max_ms": rounded(max(self.busy[name]), 1)}
                for name, values in self.stalls.items() if values}


class Finished:
    """Which jobs have ended, heard from the worker's listener (called on the worker's thread)."""

    def __init__(self) -> None:
        self._done: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, event: JobEvent) -> None:
        if event.finished:
            with self._lock:
                self._done.add(event.correlation_id)

    def has(self, correlation_id: str) -> bool:
        with self._lock:
            return correlation_id in self._done


async def look_around_until(window: MainWindow, finished: Finished, correlation_id: str) -> bool:
    """Switch views every SWITCH_EVERY_S until the job ends; False when it never did."""
    deadline = time.monotonic() + JOB_TIMEOUT_S
    turn = 0
    while not finished.has(correlation_id):
        if time.monotonic() > deadline:
            return False
        window.show_view(VIEW_NAMES[turn % len(VIEW_NAMES)])
        turn += 1
        await asyncio.sleep(SWITCH_EVERY_S)
    await asyncio.sleep(SETTLE_S * 3)  # the refresh after the job, and its rows landing
    return True


async def switch_views(window: MainWindow, _plan: dict) -> str:
    for round_no in range(3):
        if round_no:
            window.show_view("library")
            model = window.library_view.model
            index = model.index(round_no, 0)
            model.setData(index, f"{model.data(index)} (edited)")
            await asyncio.sleep(SETTLE_S)
        for name in VIEW_NAMES:
            window.show_view(name)
            await asyncio.sleep(SETTLE_S)
    return "3 rounds of 6 views, one title edited before rounds 2 and 3"


async def type_search(window: MainWindow, _plan: dict) -> str:
    window.show_view("library")
    field = window.library_view.search
    field.setFocus()
    await asyncio.sleep(SETTLE_S)
    for letter in TYPED:
        QTest.keyClicks(field, letter)
        await asyncio.sleep(0.15)
    await asyncio.sleep(SETTLE_S)
    found = window.library_view.model.rowCount()
    for _ in TYPED:
        QTest.keyClick(field, Qt.Key.Key_Backspace)
        await asyncio.sleep(0.15)
    await asyncio.sleep(SETTLE_S * 2)
    return f"typed {TYPED!r} ({found:,} books found), then deleted it"


async def open_activity(window: MainWindow, plan: dict) -> str:
    full, other = plan["full_log_job"], plan["other_job"]
    for _ in range(5):
        window.show_view("library")
        await asyncio.sleep(SETTLE_S)
        window.show_job(full)
        await asyncio.sleep(SETTLE_S)
        window.activity_view.select_job(other)
        await asyncio.sleep(SETTLE_S)
        window.activity_view.select_job(full)
        await asyncio.sleep(SETTLE_S)
    return f"log of {plan['log_mb']:.0f} MB"


async def import_books(window: MainWindow, plan: dict) -> str:
    cid = window.imports.import_now([Path(plan["corpus"])], "copy", "Bench import")
    done = await look_around_until(window, plan["finished"], cid)
    total = window.service.count()
    return f"imported into {total:,} books" if done else "the import did not finish in time"


async def identify_books(window: MainWindow, plan: dict) -> str:
    newest = window.service.work_ids(None, "added", True)[:plan["identify_books"]]
    cid = window.identifier.identify(newest)
    done = await look_around_until(window, plan["finished"], cid)
    return f"identified {len(newest)} books" if done else "the identification did not finish in time"


SCENARIO_STEPS: dict[str, Callable[[MainWindow, dict], Awaitable[str]]] = {
    "views": switch_views, "search": type_search, "activity": open_activity, "import": import_books,
    "identify": identify_books,
}


def prepare_full_log(opened: OpenLibrary) -> tuple[str, str, float]:
    """Two finished jobs, and a full log (six rotated files) through which the first one's Ref is spread."""

    async def note(_ctx) -> None:  # noqa: ANN001 - JobContext
        log.info("a job of the bench, with a long log")

    full = opened.worker.submit("bench", "Bench: a job with a long log", note)
    other = opened.worker.submit("bench", "Bench: another job", note)
    full.result(60), other.result(60)
    current = logging_setup.log_file()
    assert current is not None, "logging is not set up"
    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()
    # Stamped now, after both jobs began: reading back the first job's lines cannot stop at its start.
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    line_of = {cid: json.dumps({"time": stamp, "level": "INFO",
                                "logger": "bookdesk.core.importer.stages", "message": "read a book " + "x" * 120,
                                "correlation_id": cid}) + "\n" for cid in ("BD-OTHER", full.correlation_id)}
    total = 0
    for n in range(LOG_BACKUPS, -1, -1):
        path = current.with_name(f"{current.name}.{n}") if n else current
        size = LOG_FILE_BYTES - (64 * 1024 if not n else 0)  # the live file just short of rotating
        with path.open("a", encoding="utf-8") as fh:
            written, k = path.stat().st_size if path.exists() else 0, 0
            while written < size:
                line = line_of[full.correlation_id if k % 50 == 0 else "BD-OTHER"]
                fh.write(line)
                written += len(line.encode())
                k += 1
        total += path.stat().st_size
    return full.correlation_id, other.correlation_id, total / 1e6


def run_child(plan: dict) -> int:
    logging_setup.setup_logging()
    app = create_app()
    loop = gui_loop()  # as the app does: before the window, whose flows start tasks on it
    asyncio.set_event_loop(loop)
    freeze_survivors()  # as the app does (application._run_window)
    quicken_gil_turns()  # likewise
    probe = StallProbe()
    if plan.get("dump_stalls"):
        from _stall_dump import watch_stalls

        watch_stalls(lambda: probe.last if probe.scenario is not None else None, Path(plan["dump_stalls"]),
                     plan.get("dump_over_s", 0.15), lambda: probe.scenario)
    notes: dict[str, str] = {}
    opened: list[OpenLibrary] = []

    async def drive() -> None:
        # The machine's own stalls, for comparison: the same probe in an empty window, before the library opens.
        peer = QWidget()
        peer.show()
        probe.begin("idle_peer")
        await asyncio.sleep(IDLE_PEER_S)
        probe.end()
        peer.close()
        notes["idle_peer"] = f"an empty window for {IDLE_PEER_S:.0f} s, before the library opened"
        opened.append(OpenLibrary(Path(plan["library"]), remember_geometry=False, show_tray=False))
        window = opened[0].window
        finished = Finished()
        opened[0].worker.add_listener(finished)
        steps = {**plan, "finished": finished}
        if "activity" in plan["scenarios"]:
            steps["full_log_job"], steps["other_job"], steps["log_mb"] = prepare_full_log(opened[0])
        window.show()
        # The start on its own (not one of the five): the first paint, the series warm-up on the
        # worker at 0.5 s, the download queue and the scheduler started at 0.7 and 1 s.
        probe.begin("start")
        await asyncio.sleep(START_S)
        probe.end()
        notes["start"] = f"the first {START_S:.1f} s after show(), nothing done"
        for name in plan["scenarios"]:
            started = time.perf_counter()
            probe.begin(name)
            note = await SCENARIO_STEPS[name](window, steps)
            probe.end()
            notes[name] = f"{note}; {time.perf_counter() - started:.1f} s"
            log_line(f"{name}: {notes[name]}")

    try:
        with loop:
            loop.run_until_complete(drive())
        Path(plan["out"]).write_text(json.dumps({"scenarios": probe.figures(), "notes": notes}), encoding="utf-8")
    finally:
        for library in opened:
            library.close()
    del app
    # PySide6 may crash while the interpreter tears its objects down (none_dealloc); the figures are
    # written and the library closed, so nothing is lost by leaving at once.
    sys.stderr.flush()
    os._exit(0)
