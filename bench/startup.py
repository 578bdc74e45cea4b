"""Start-up time and memory: process start to a painted main window, and to its first rows.

Measures, as separate processes run with the same Python and ``QT_QPA_PLATFORM=offscreen``:
(a) the peer, a bare PySide6 window holding an empty QTableView, which exits once its
    table has painted;
(b) ``python -m bookdesk smoke --stamps --library EMPTY`` on an empty (already created) library;
(c) the same on the synthetic library of ``--books`` works (BIG).
Two moments of each start are timed from Popen on the system's monotonic clock, which the child
prints (``--stamps``; the peer prints it at its one paint): the window's first paint (BookDesk's frame,
menus, toolbar, sidebar and the Library's "Opening library…") and the Library showing its first rows (or
its empty state). The peer's one paint stands for both: its table is its rows. The exit is timed too,
and the peak RSS read from ``os.wait4``. Bytecode is kept in the benches' own cache, as an installed app
has its ``.pyc`` files. One unmeasured warm-up run of each comes first (OS file cache), then ``--runs``
rounds interleave the three, each round in another order; times are medians, peak RSS the highest run,
and the load average is printed beside them.
Targets (issue 16): paint and rows, empty <= 3x bare; BIG <= 4x bare and <= 1.2x empty; BIG peak RSS
<= 300 MB.

Usage: startup.py [--books N] [--runs R] [--library DIR] [--seed S]
Prints {"bench":"startup","books":N,"bare_qt_paint_s":..,"empty_paint_s":..,"empty_rows_s":..,
        "big_paint_s":..,"big_rows_s":..,"..._over_bare":..,"big_..._over_empty":..,"load_avg":..,...}
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DEFAULT_BOOKS,
    DEFAULT_SEED,
    default_library_dir,
    emit,
    ensure_library,
    log,
    median,
    rounded,
    with_bytecode,
)

from bookdesk.data.catalog import open_catalog  # noqa: E402

CHILD_TIMEOUT_S = 120
BARE_QT = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

class PaintWatch(QObject):
    painted = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, painted)  # once the paint is done, as bookdesk smoke --stamps
        return False

def painted():
    print(f"smoke: frame painted at monotonic {time.monotonic():.6f}", flush=True)
    QApplication.quit()

app = QApplication(sys.argv)
window = QMainWindow()
view = QTableView()
view.setModel(QStandardItemModel(0, 6, view))
window.setCentralWidget(view)
watch = PaintWatch()
view.viewport().installEventFilter(watch)
window.resize(1200, 800)
window.show()
QTimer.singleShot(30000, QApplication.quit)
app.exec()
print("painted" if watch.painted else "never painted")
sys.exit(0 if watch.painted else 1)
"""


STAMP = re.compile(r"^smoke: (frame|rows) painted at monotonic ([0-9.]+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float  # to the child's exit
    peak_rss_mb: float
    paint_s: float | None  # to the window's first paint
    rows_s: float | None  # to the first rows (the peer: its one paint)


class ChildFailed(RuntimeError):
    pass


def run_child(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command`` to its end; wall time from spawn to exit, and the child's peak RSS."""
    with tempfile.TemporaryFile() as out:
        started = time.monotonic()  # the clock the child prints its stamps on (CLOCK_MONOTONIC)
        proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        deadline = started + CHILD_TIMEOUT_S
        while True:  # os.wait4 has no timeout: poll it without blocking
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.001)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace")
        if proc.returncode != 0:
            raise ChildFailed(f"{' '.join(command[1:])} exited {proc.returncode}: {output[-2000:].strip()}")
    stamps = {moment: float(at) - started for moment, at in STAMP.findall(output)}
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    paint = stamps.get("frame")
    return Run(seconds, usage.ru_maxrss / scale, paint, stamps.get("rows", paint))


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOOKDESK_LOG_DIR=str(home / "logs"),
               BOOKDESK_CONFIG_DIR=str(home / "config"), BOOKDESK_CACHE_DIR=str(home / "cache"))
    env.pop("BOOKDESK_LIBRARY", None)
    return env


def measure_rounds(commands: dict[str, list[str]], env: dict[str, str],
                   rounds: int) -> tuple[dict[str, list[Run]], dict[str, str]]:
    """Each command run ``rounds`` times, in turn, after one warm-up round of the OS file cache that is not
    counted; a command that fails is dropped with its error."""
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    errors: dict[str, str] = {}
    names = list(commands)
    for round_no in range(rounds + 1):
        order = names if round_no % 2 == 0 else names[::-1]  # neither always first nor always last
        for name in order:
            command = commands[name]
            if name in errors:
                continue
            try:
                run = run_child(command, env)
            except ChildFailed as exc:
                errors[name] = str(exc)
                log(f"{name} failed: {exc}")
                continue
            log(f"{name} round {round_no}: paint {run.paint_s or 0:.3f} s, rows {run.rows_s or 0:.3f} s, "
                f"exit {run.seconds:.3f} s, peak RSS {run.peak_rss_mb:.0f} MB")
            if round_no:
                runs[name].append(run)
    return runs, errors


def median_seconds(runs: list[Run], moment: str = "seconds") -> float | None:
    values = [v for r in runs if (v := getattr(r, moment)) is not None]
    return rounded(median(values)) if values else None


def peak_rss(runs: list[Run]) -> float | None:
    return rounded(max(r.peak_rss_mb for r in runs), 1) if runs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=DEFAULT_BOOKS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--library", type=Path, help="big library folder (default: a cache folder in the temp dir)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    big: Path = args.library or default_library_dir(args.books, args.seed)
    ensure_library(big, args.books, args.seed)

    with tempfile.TemporaryDirectory(prefix="bookdesk-startup-") as tmp:
        home = Path(tmp)
        empty = home / "empty-library"
        open_catalog(empty).close()  # created once, so runs measure opening, not the first migration
        # With the compiled bytecode kept, as an installed app has it: where PYTHONDONTWRITEBYTECODE is set
        # (as in the test runs), every start compiled each module it imports again.
        python, env = sys.executable, with_bytecode(child_env(home))
        commands = {
            "bare_qt": [python, "-c", BARE_QT],
            "empty": [python, "-m", "bookdesk", "smoke", "--stamps", "--library", str(empty)],
            "big": [python, "-m", "bookdesk", "smoke", "--stamps", "--library", str(big)],
        }
        runs, errors = measure_rounds(commands, env, args.runs)

    def seconds(name: str, moment: str = "seconds") -> float | None:
        return median_seconds(runs[name], moment)

    def rss(name: str) -> float | None:
        return peak_rss(runs[name])

    def ratio(a: float | None, b: float | None) -> float | None:
        return rounded(a / b, 2) if a and b else None

    bare = seconds("bare_qt", "paint_s")
    figures: dict[str, object] = {"bench": "startup", "books": args.books, "runs": args.runs, "bare_qt_paint_s": bare}
    for name in ("empty", "big"):
        for moment in ("paint", "rows"):
            figures[f"{name}_{moment}_s"] = seconds(name, f"{moment}_s")
            figures[f"{name}_{moment}_over_bare"] = ratio(seconds(name, f"{moment}_s"), bare)
    for moment in ("paint", "rows"):
        figures[f"big_{moment}_over_empty"] = ratio(seconds("big", f"{moment}_s"), seconds("empty", f"{moment}_s"))
    figures.update({
        "bare_qt_exit_s": seconds("bare_qt"), "empty_exit_s": seconds("empty"), "big_exit_s": seconds("big"),
        "bare_qt_peak_rss_mb": rss("bare_qt"), "empty_peak_rss_mb": rss("empty"), "big_peak_rss_mb": rss("big"),
        "peer": "bare PySide6 QMainWindow + empty QTableView, to its first paint",
    })
    if errors:
        figures["errors"] = {name: message[:300] for name, message in errors.items()}
    emit(figures)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
