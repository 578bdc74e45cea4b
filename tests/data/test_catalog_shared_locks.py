"""A BookDesk process that keeps a connection to the catalog (``bookdesk serve``, the window) and opens the
library again for every read must never drop SQLite's locks on the file.

On POSIX, closing any descriptor of a file drops every fcntl lock the process holds on it, SQLite's too.
Another process closing the catalog then takes itself for the last one and deletes the -wal and -shm files
the first still writes to: two WAL files, reads that fail, changes lost (SQLite's "How To Corrupt", 2.2).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bookdesk.data.catalog_reader import reading
from bookdesk.data.library_access import probe

# Another process, as a second BookDesk or any SQLite program: reads, writes one row, closes.
_OTHER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], timeout=10)
connection.execute("INSERT INTO shared_rows VALUES ('from the other process')")
connection.commit()
print("|".join(sorted(row[0] for row in connection.execute("SELECT who FROM shared_rows"))))
connection.close()
"""


def _deleted_files_held(path: Path) -> list[str]:
    """The files of the catalog this process still holds open although they were deleted under it."""
    folder = Path("/proc/self/fd")
    held = []
    for fd in os.listdir(folder):
        try:
            target = os.readlink(folder / fd)
        except OSError:
            continue
        if target.startswith(str(path)) and target.endswith("(deleted)"):
            held.append(target)
    return held


def _read_as_a_request_does(folder: Path) -> None:
    with reading(folder) as connection:  # every request of bookdesk serve reads through this path
        assert connection.execute("SELECT count(*) FROM works").fetchone() == (0,)


def _ask_if_ready(folder: Path) -> None:
    probe(folder, folder / "bookdesk.sqlite3")  # /health/ready asks this on every call


@pytest.mark.parametrize("look", [_read_as_a_request_does, _ask_if_ready])
def test_looking_again_beside_a_held_connection_keeps_its_wal_when_another_process_closes_the_catalog(
        catalog, run_cli, look):
    path = catalog.path
    holder = sqlite3.connect(path, timeout=10)  # as the server's own connection, kept open throughout
    try:
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("CREATE TABLE shared_rows (who TEXT)")
        holder.execute("INSERT INTO shared_rows VALUES ('from the holder, first')")
        holder.commit()
        assert holder.execute("SELECT count(*) FROM shared_rows").fetchone() == (1,)

        for _ in range(3):
            look(catalog.folder)

        listed = run_cli("list", "--library", catalog.folder, "--json")
        assert listed.returncode == 0, listed.stderr
        other = subprocess.run([sys.executable, "-c", _OTHER, str(path)], capture_output=True, text=True,
                               timeout=60, check=True)

        assert Path(f"{path}-wal").exists()
        assert _deleted_files_held(path) == []
        holder.execute("INSERT INTO shared_rows VALUES ('from the holder, after')")
        holder.commit()
        seen_by_holder = sorted(row[0] for row in holder.execute("SELECT who FROM shared_rows"))
        assert seen_by_holder == ["from the holder, after", "from the holder, first", "from the other process"]
        assert other.stdout.strip() == "from the holder, first|from the other process"
        assert holder.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        holder.close()
    with sqlite3.connect(path) as fresh:
        assert len(fresh.execute("SELECT who FROM shared_rows").fetchall()) == 3
