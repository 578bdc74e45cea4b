"""What every thread of the measured window was doing during a long stall: ``ui_stalls.py --dump-stalls FILE``.

A stall's "busy" figure tells waiting from working, not what the GUI thread waited for. A thread of
this process watches the probe's last tick; when the loop has been quiet for longer than ``threshold_s``
it runs ``py-spy dump --native`` on this process (the GUI thread's native frames show what it waits
in: ``Shiboken::GilState::acquire`` for the GIL, a mutex, a SQLite call) and appends it to FILE, once
per stall. The dump itself stops the process for a moment, so figures of a run with it are not figures
to quote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.02


def watch_stalls(last_tick: Callable[[], float | None], out: Path, threshold_s: float = 0.15,
                 scenario: Callable[[], str | None] = lambda: None) -> None:
    """Start the watching thread (a daemon: it ends with the process). ``last_tick``: when the probe last
    fired, or None while no scenario is measured; ``scenario``: the one measured, to head each dump."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))

    def watch() -> None:
        dumped_for = None
        while True:
            time.sleep(POLL_S)
            last = last_tick()
            quiet = time.perf_counter() - last if last is not None else 0.0
            if quiet <= threshold_s or dumped_for == last:
                continue
            dumped_for = last
            done = subprocess.run([spy, "dump", "--native", "--pid", str(os.getpid())],
                                  capture_output=True, text=True, check=False)
            with out.open("a", encoding="utf-8") as fh:
                fh.write(f"==== {scenario() or ''}: quiet {quiet * 1000:.0f} ms at {time.strftime('%H:%M:%S')}, "
                         f"still quiet {(time.perf_counter() - last) * 1000:.0f} ms after the dump\n")
                fh.write(done.stdout + done.stderr)

    threading.Thread(target=watch, daemon=True, name="stall-dump").start()
