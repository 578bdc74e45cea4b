"""The catalog under faults: a kill while it migrates or runs a job, a full disk, a file that can only
be read, damaged pages, an empty file. Each run is a real ``bookdesk`` process on a real file system."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD
from tests.data.old_catalogs import catalog_at
from tests.faults.conftest import KILLED

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

    killed = bookdesk_process("list", "--library", library, kill_at="catalog.backup_step")

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
