"""The catalog under faults: a kill while it migrates or runs a job, a full disk, a file that can only
be read, damaged pages, an empty file. Each run is a real ``bookdesk`` process on a real file system."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD
from tests.data.old_catalogs import catalog_at
from tests.faults.conftest import KILLED, fill

# Enough rows that SQLite's online backup needs several steps to copy the catalog.
_MANY_AUTHORS = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
                 "INSERT INTO authors (name, sort_name, provider_ids, monitored) "
                 "SELECT 'Author ' || i || ' ' || hex(randomblob(600)), 'x', '{}', 0 FROM n")


def _revision(path: Path) -> str | None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _complete(path: Path) -> bool:
    """A copy that SQLite finds whole and that still holds the schema and its rows."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False
            return conn.execute("SELECT count(*) FROM authors").fetchone()[0] == 1500
    except sqlite3.DatabaseError:
        return False


def test_a_kill_while_the_catalog_is_copied_before_a_migration_leaves_no_backup_that_is_not_whole(
        bookdesk_process, tmp_path):
    library = tmp_path / "Library"
    catalog_at(library, "0006", [_MANY_AUTHORS])

    killed = bookdesk_process("list", "--library", library, kill_at="catalog.backup_written")

    assert killed.returncode == KILLED, killed.stderr
    for backup in library.glob(f"{CATALOG_NAME}.bak-*"):
        assert _complete(backup), f"{backup.name} is not a whole copy of the catalog"
    assert _revision(library / CATALOG_NAME) == "0006"  # the kill came before the migration

    again = bookdesk_process("list", "--library", library, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {"books": []}
    assert _revision(library / CATALOG_NAME) == SCHEMA_HEAD
    backups = list(library.glob(f"{CATALOG_NAME}.bak-*"))
    assert backups and all(_complete(b) and _revision(b) == "0006" for b in backups)
    assert not [p.name for p in library.iterdir() if p.name.endswith(".part")]


def test_a_kill_after_a_job_row_is_written_leaves_it_interrupted_on_the_next_open(
        bookdesk_process, tmp_path, make_book):
    library = tmp_path / "Library"
    book = make_book("Half Way There")

    killed = bookdesk_process("import", book, "--library", library, kill_at="jobs.started")
    assert killed.returncode == KILLED, killed.stderr

    again = bookdesk_process("import", make_book("Next One"), "--library", library, "--json")
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(library / CATALOG_NAME) as conn:
        states = conn.execute("SELECT title, state, error FROM jobs ORDER BY id").fetchall()
    first, second = states
    assert first[1] == "interrupted"
    assert "interrupted" in first[2].lower() and "Half Way There" in first[0]
    assert second[1] == "succeeded"


# ----- what opening needs: space, writing, a catalog with something in it ---------------------------


def _titles(done: subprocess.CompletedProcess) -> list[str]:
    assert done.returncode == 0, done.stderr
    return sorted(book["title"] for book in json.loads(done.stdout)["books"])


def _error(done: subprocess.CompletedProcess) -> dict:
    """The error a failed ``--json`` command printed, checked to be said the same on stderr with its Ref."""
    assert done.returncode == 1, done.stderr
    error = json.loads(done.stdout)["error"]
    assert error["correlation_id"].startswith("BD-")
    assert f"(Ref {error['correlation_id']})" in done.stderr
    assert "OperationalError" not in done.stderr and "[SQL" not in done.stderr and "Traceback" not in done.stderr
    return error


def _whole(catalog: Path) -> bool:
    with sqlite3.connect(catalog) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_under_the_library_is_said_plainly_with_a_ref_and_the_catalog_survives(
        bookdesk_process, small_disk, make_book):
    disk = small_disk(6 * 1024)
    library = disk / "Library"
    assert bookdesk_process("import", make_book("Before The Flood"), "--library", library).returncode == 0
    fill(disk)

    refused = bookdesk_process("import", make_book("No Room At All"), "--library", library, "--json")
    error = _error(refused)
    assert error["message"].startswith(f"The disk holding the library at {library} is full; free some space")
    assert error["retryable"] is True
    listed = bookdesk_process("list", "--library", library, "--json")
    assert _titles(listed) == ["Before The Flood"]  # reading needs no room

    for filler in disk.glob("filler-*"):
        filler.unlink()
    assert _whole(library / CATALOG_NAME)
    again = bookdesk_process("import", make_book("Room Again"), "--library", library, "--json")
    assert again.returncode == 0, again.stderr
    assert _titles(bookdesk_process("list", "--library", library, "--json")) == ["Before The Flood", "Room Again"]


def test_a_disk_filled_by_what_a_killed_import_left_is_swept_at_open_and_the_library_takes_changes(
        bookdesk_process, small_disk, make_book):
    """The leftover of a killed write may be what filled the disk: opening sweeps it even though the
    disk is full, then looks again, and the library opens to write."""
    import os

    disk = small_disk(6 * 1024)
    library = disk / "Library"
    assert bookdesk_process("import", make_book("Before The Flood"), "--library", library).returncode == 0
    (library / ".staging").mkdir(exist_ok=True)
    leftover = library / ".staging" / f"{'7' * 32}.part"  # an import's copy, its process killed
    fill(library / ".staging")
    next(iter((library / ".staging").glob("filler-*"))).rename(leftover)
    os.utime(leftover, (1_000_000, 1_000_000))

    again = bookdesk_process("import", make_book("Room Again"), "--library", library, "--json")

    assert again.returncode == 0, again.stderr
    assert not leftover.exists()
    assert _titles(bookdesk_process("list", "--library", library, "--json")) == ["Before The Flood", "Room Again"]


def test_the_disk_filling_while_the_catalog_is_open_stops_the_write_in_plain_words(small_disk):
    from bookdesk.data.catalog import open_catalog
    from bookdesk.data.catalog_rows import Contributor, NewWork
    from bookdesk.data.work_repository import WorkRepository
    from bookdesk.errors import CatalogDiskFullError

    disk = small_disk(4 * 1024)
    catalog = open_catalog(disk / "Library")
    try:
        fill(disk)
        with pytest.raises(CatalogDiskFullError) as raised:
            for n in range(200):
                with catalog.write() as session:
                    WorkRepository(session).add(NewWork(f"Book {n} " + "x" * 4000, [Contributor("A. Author")]))
        assert raised.value.message.startswith(f"The disk holding the library at {disk / 'Library'} is full")
    finally:
        catalog.close()
        for filler in disk.glob("filler-*"):
            filler.unlink()
    assert _whole(disk / "Library" / CATALOG_NAME)


def _read_only_library_works_for_reading_only(bookdesk_process, library: Path, why: str) -> None:
    listed = bookdesk_process("list", "--library", library, "--json")
    assert _titles(listed) == ["Kept Safe"]
    assert bookdesk_process("gaps", "--library", library, "--json").returncode == 0
    refused = bookdesk_process("import", Path(__file__), "--library", library, "--json")
    error = _error(refused)
    assert error["message"].startswith(f"The library at {library} can only be read: {why}")
    assert "readonly database" not in refused.stderr


def test_a_catalog_file_that_can_only_be_read_opens_for_reading_and_refuses_changes_plainly(
        bookdesk_process, tmp_path, make_book, immutable):
    library = tmp_path / "Library"
    assert bookdesk_process("import", make_book("Kept Safe"), "--library", library).returncode == 0
    immutable(library / CATALOG_NAME)
    _read_only_library_works_for_reading_only(bookdesk_process, library,
                                              "the catalog file bookdesk.sqlite3 can only be read")


def test_a_library_on_a_read_only_disk_opens_for_reading_and_refuses_changes_plainly(
        bookdesk_process, small_disk, make_book):
    disk = small_disk(4 * 1024)
    library = disk / "Library"
    assert bookdesk_process("import", make_book("Kept Safe"), "--library", library).returncode == 0
    done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make the small disk read-only here: {done.stderr.strip()}")
    _read_only_library_works_for_reading_only(bookdesk_process, library, "the disk holding it is mounted read-only")


def test_an_empty_catalog_file_is_refused_saying_how_to_start_afresh(bookdesk_process, tmp_path, make_book):
    library = tmp_path / "Library"
    library.mkdir()
    (library / CATALOG_NAME).write_bytes(b"")
    for command in (["list"], ["import", make_book("Not Yet")]):
        done = bookdesk_process(*command, "--library", library, "--json")
        error = _error(done)
        assert "is empty (0 bytes)" in error["message"] and "move the empty bookdesk.sqlite3 away" in error["message"]
    assert (library / CATALOG_NAME).read_bytes() == b""


# ----- damage found in use -------------------------------------------------------------------------


def _library_with_books(library: Path, count: int) -> None:
    from bookdesk.data.catalog import open_catalog
    from bookdesk.data.catalog_rows import Contributor, NewWork
    from bookdesk.data.work_repository import WorkRepository

    catalog = open_catalog(library)
    try:
        with catalog.write() as session:
            repo = WorkRepository(session)
            for n in range(count):
                repo.add(NewWork(f"Book {n} " + "x" * 200, [Contributor(f"Author {n}")]))
    finally:
        catalog.close()


def _scribble_pages(path: Path, first_page: int, last_page: int) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * first_page, min(len(data), 4096 * last_page)):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))


def _jobs_after(catalog: Path, known: set[str]) -> list[tuple]:
    with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True) as conn:
        return [row for row in conn.execute("SELECT correlation_id, state, error FROM jobs") if row[0] not in known]


def test_text_that_cannot_be_read_stops_the_commands_with_the_damaged_message_and_the_way_back(
        bookdesk_process, tmp_path, make_book):
    library = tmp_path / "Library"
    _library_with_books(library, 3)
    catalog_file = library / CATALOG_NAME
    backup = library / f"{CATALOG_NAME}.bak-0006-20260101T000000"
    backup.write_bytes(catalog_file.read_bytes())
    with sqlite3.connect(catalog_file) as conn:
        conn.execute("UPDATE works SET title = CAST(x'426f6f6bff' AS TEXT), title_key = 'not yet' WHERE id = 2")
    known = {row[0] for row in _jobs_after(catalog_file, set())}

    for command in (["list"], ["import", make_book("Not Yet")]):
        done = bookdesk_process(*command, "--library", library, "--json")
        error = _error(done)
        assert error["message"].startswith(f"The catalog {catalog_file} is damaged (some of its text cannot be read)")
        assert f"The newest good copy is {backup}" in error["message"]
        assert "decode" not in done.stderr
    # Nothing recorded the failure in the damaged catalog: no job ended "failed" with the damage.
    assert not [row for row in _jobs_after(catalog_file, known) if row[1] == "failed"]


def test_damaged_pages_stop_the_commands_with_the_damaged_message(bookdesk_process, tmp_path, make_book):
    library = tmp_path / "Library"
    _library_with_books(library, 400)
    _scribble_pages(library / CATALOG_NAME, 3, 12)

    for command in (["list"], ["import", make_book("Book 7 " + "x" * 200, "Author 7")]):
        done = bookdesk_process(*command, "--library", library, "--json")
        error = _error(done)
        assert error["message"].startswith(f"The catalog {library / CATALOG_NAME} is damaged")
        assert "No good copy of it was found" in error["message"]
