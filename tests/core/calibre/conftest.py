"""The calibre library made by the real calibredb, for the tests of reading and importing it, and a copy
of it on a disk mounted read-only."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookdesk.core.calibre.service import CalibreImportService
from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures


@pytest.fixture
def read_only_calibre(calibre_made, tmp_path) -> Iterator[tuple[Path, list[dict]]]:
    """The calibre library copied to a small tmpfs then mounted read-only (skips where a test may not mount)."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("a read-only disk needs a tmpfs, and only root may mount one here")
    library, listed = calibre_made
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {done.stderr.strip()}")
    try:
        shutil.copytree(library, disk / "Calibre Library")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True, capture_output=True)
        yield disk / "Calibre Library", listed
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.fixture
def bring_over(run_job):
    """Bring a calibre library over (or run it again), as a person does; the run's report."""
    def run(catalog, folder, read_column=None, mode="in-place"):
        importer = CalibreImportService(catalog)
        result, _ = run_job(catalog, lambda ctx: importer.run(ctx, folder, mode, read_column), kind="calibre-import")
        assert result.state == "succeeded", result.error
        return result.value

    return run
