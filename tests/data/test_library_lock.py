"""One BookDesk writes to a library at a time, across threads, opens and processes."""

from __future__ import annotations

import os
import signal

import pytest

from bookdesk.data.catalog import open_catalog
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import LibraryLockedError


def test_a_second_exclusive_open_in_the_same_process_is_refused_until_the_first_closes(library_dir):
    first = open_catalog(library_dir)
    try:
        with pytest.raises(LibraryLockedError) as refused:
            open_catalog(library_dir)
        assert refused.value.retryable
        assert str(os.getpid()) in refused.value.message
    finally:
        first.close()
    open_catalog(library_dir).close()  # closing let go of it


def test_another_process_holding_the_library_is_named_in_the_refusal(library_dir, held_by_another_process):
    with held_by_another_process(library_dir) as holder:
        with pytest.raises(LibraryLockedError) as refused:
            open_catalog(library_dir)
        assert f"process {holder.pid}" in refused.value.message
        assert "already open in another BookDesk" in refused.value.message
        # Reading may share the library with the process that writes to it.
        reader = open_catalog(library_dir, exclusive=False)
        with reader.read() as session:
            assert WorkRepository(session).count() == 0
        reader.close()
    open_catalog(library_dir).close()


def test_a_killed_bookdesk_does_not_leave_its_library_locked(library_dir, held_by_another_process):
    with held_by_another_process(library_dir) as holder:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        catalog = open_catalog(library_dir)
        catalog.close()
