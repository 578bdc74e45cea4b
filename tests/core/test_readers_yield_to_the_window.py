"""A big import's reader processes run at a lower priority than the app, so the window gets a core first."""

from __future__ import annotations

import os

import pytest

from bookdesk.core.importer.reading import PROCESS_THRESHOLD, READER_NICENESS, make_pool


def _niceness() -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice") or (os.cpu_count() or 1) < 2, reason="priorities as on Linux, 2+ cores")
def test_the_reader_processes_run_below_the_app() -> None:
    ours = os.nice(0)
    with make_pool(PROCESS_THRESHOLD) as pool:
        theirs = {pool.submit(_niceness).result(timeout=120) for _ in range(4)}
    assert theirs == {min(ours + READER_NICENESS, 19)}
