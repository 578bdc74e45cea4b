"""When a test process dies (a segfault in Qt, say), say where each of its threads was.

pytest-xdist reports only "worker 'gw0' crashed while running ...": the stacks Python's faulthandler
prints go to the worker's stderr, which is lost or cut from what CI keeps. Here each worker writes them
to a file of its own, and the crashed test's report carries them, the crashing thread first.
"""

from __future__ import annotations

import faulthandler
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

# The test runner's own frames, the same in every stack: left out so the few that matter are read.
_PLUMBING = re.compile(r"site-packages/(pluggy|_pytest|xdist|execnet)/|File \"<string>\"")
_FOLDER = "BOOKDESK_TEST_CRASH_STACKS"  # set by the controlling process, read by its workers
_kept: list = []  # the open file faulthandler writes to: closed, it would write nowhere
_made: list[str] = []  # the folder this (controlling) process made, removed when the run ends


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler set-up, which this one replaces
def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        if _FOLDER not in os.environ:
            os.environ[_FOLDER] = tempfile.mkdtemp(prefix="bookdesk-crash-stacks-")
            _made.append(os.environ[_FOLDER])
        return
    folder = os.environ.get(_FOLDER)
    if folder:
        stacks = open(Path(folder) / f"{worker}.txt", "w")  # noqa: SIM115 - open for the process's life
        _kept.append(stacks)
        faulthandler.enable(file=stacks, all_threads=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _made:  # the workers are gone by now, and with them any file still open in it
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched: object) -> None:
    folder = os.environ.get(_FOLDER)
    worker = getattr(report, "node", None)
    name = getattr(worker, "gateway", None) and worker.gateway.id
    if not folder or not name:
        return
    stacks = Path(folder) / f"{name}.txt"
    text = stacks.read_text(errors="replace") if stacks.exists() else ""
    start = text.rfind("Fatal Python error")
    if start >= 0:
        lines = [line for line in text[start:].splitlines() if not _PLUMBING.search(line)]
        stacks_text = "\n".join(lines)[:8000]
        report.longrepr = f"{report.longrepr}\n\nwhere the threads of {name} were when it died:\n{stacks_text}"
