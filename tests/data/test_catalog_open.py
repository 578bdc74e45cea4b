"""Opening a library folder: creating it, refusing what it must not touch, migrating with a backup."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from bookdesk.data import catalog as catalog_module
from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import CatalogCorruptError, CatalogTooNewError, LibraryNotWritableError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_book(catalog, title: str) -> int:
    with catalog.write() as session:
        return WorkRepository(session).add(NewWork(title, [Contributor("Some Author")]))


def test_opening_a_new_library_creates_its_folder_and_a_wal_catalog_with_foreign_keys(library_dir):
    assert not library_dir.exists()
    catalog = open_catalog(library_dir)
    try:
        assert (library_dir / CATALOG_NAME).is_file()
        with catalog.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
    finally:
        catalog.close()
    # WAL is a property of the file, so any other program opening it sees it too.
    with sqlite3.connect(library_dir / CATALOG_NAME) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_a_library_keeps_its_books_and_does_not_migrate_again(library_dir, monkeypatch):
    first = open_catalog(library_dir)
    add_book(first, "Still Here")
    first.close()

    def no_migration(*args, **kwargs):
        raise AssertionError("an up-to-date catalog was migrated again")

    monkeypatch.setattr("alembic.command.upgrade", no_migration)
    again = open_catalog(library_dir)
    try:
        with again.read() as session:
            repo = WorkRepository(session)
            assert [row.title for row in repo.rows(repo.ids())] == ["Still Here"]
    finally:
        again.close()
    assert not list(library_dir.glob(f"{CATALOG_NAME}.bak-*"))


def test_schema_head_in_the_code_is_the_head_of_the_alembic_migrations():
    config = Config()
    config.set_main_option("script_location", str(catalog_module._MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_deleting_a_book_takes_its_files_and_credits_with_it(catalog):
    with catalog.write() as session:
        work_id = WorkRepository(session).add(NewWork(
            "Gone Soon", [Contributor("Some Author")],
            files=[NewFile("a/Gone Soon.epub", "epub", "ebook", 10, 0.0, "ab" * 32)]))
    with catalog.write() as session:
        WorkRepository(session).delete([work_id])
    with catalog.read() as session:
        for table in ("files", "contributions", "identifiers", "series_entries"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
        assert WorkRepository(session).ids("gone") == []


def test_a_catalog_that_is_not_sqlite_is_refused_and_left_byte_for_byte(library_dir):
    library_dir.mkdir()
    path = library_dir / CATALOG_NAME
    path.write_bytes(b"my reading list, not a database\n" * 200)
    before = digest(path)

    with pytest.raises(CatalogCorruptError) as refused:
        open_catalog(library_dir)

    assert str(path) in refused.value.message
    assert digest(path) == before
    # The refused open let go of the library: trying again gives the same answer, not "locked".
    with pytest.raises(CatalogCorruptError):
        open_catalog(library_dir)


def test_a_damaged_sqlite_catalog_is_refused_and_left_byte_for_byte(library_dir):
    library_dir.mkdir()
    path = library_dir / CATALOG_NAME
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8192)
    before = digest(path)
    with pytest.raises(CatalogCorruptError, match="damaged"):
        open_catalog(library_dir)
    assert digest(path) == before


def test_someone_elses_sqlite_database_is_refused_and_left_byte_for_byte(library_dir):
    library_dir.mkdir()
    path = library_dir / CATALOG_NAME
    with sqlite3.connect(path) as other:  # a plain rollback-journal database, as most programs make
        other.execute("CREATE TABLE recipes (name TEXT)")
        other.execute("INSERT INTO recipes VALUES ('bread')")
    other.close()
    before = digest(path)

    with pytest.raises(CatalogCorruptError, match="not a BookDesk catalog"):
        open_catalog(library_dir)

    assert digest(path) == before
    assert sorted(p.name for p in library_dir.iterdir()) == ["bookdesk.lock", CATALOG_NAME]


def test_a_catalog_from_a_newer_bookdesk_is_refused_and_left_untouched(library_dir):
    add_book_and_close = open_catalog(library_dir)
    add_book(add_book_and_close, "Written Later")
    add_book_and_close.close()
    path = library_dir / CATALOG_NAME
    with sqlite3.connect(path) as newer:
        newer.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    newer.close()
    before = digest(path)

    with pytest.raises(CatalogTooNewError) as refused:
        open_catalog(library_dir)

    assert "newer BookDesk" in refused.value.message
    assert digest(path) == before
    assert not list(library_dir.glob(f"{CATALOG_NAME}.bak-*"))
    assert not (library_dir / f"{CATALOG_NAME}-wal").exists()  # nothing left open


def test_a_library_folder_under_a_regular_file_cannot_be_written(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("just a file")
    with pytest.raises(LibraryNotWritableError, match="cannot create the library folder"):
        open_catalog(blocker / "lib")
    with pytest.raises(LibraryNotWritableError, match="not a folder"):
        open_catalog(blocker)
    assert blocker.read_text() == "just a file"




def test_opening_a_catalog_of_an_older_schema_backs_it_up_then_migrates(library_dir):
    # A catalog as BookDesk wrote it at schema 0001, with one book in it.
    library_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{library_dir / CATALOG_NAME}")
    config = Config()
    config.set_main_option("script_location", str(catalog_module._MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text(
            "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
            "authors_display, author_key, series_display, series_key, formats) VALUES (1, 'Survives The Upgrade', "
            "'Survives The Upgrade', 'owned', '', '2026-01-01', '2026-01-01', 'survives the upgrade', '', '', "
            "'', '', '')"))
        conn.execute(text("INSERT INTO work_fts (rowid, title) VALUES (1, 'survives the upgrade')"))
    engine.dispose()

    upgraded = open_catalog(library_dir)
    try:
        with upgraded.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert session.execute(text("SELECT count(*) FROM import_sources")).scalar() == 0
            assert WorkRepository(session).ids("survives") == [1]
    finally:
        upgraded.close()

    [backup] = library_dir.glob(f"{CATALOG_NAME}.bak-0001-*")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT title FROM works").fetchall() == [("Survives The Upgrade",)]
        assert copy.execute("SELECT name FROM sqlite_master WHERE name = 'import_sources'").fetchone() is None
    copy.close()


def test_a_backup_holds_committed_work_not_yet_checkpointed_into_the_file(catalog):
    add_book(catalog, "Only In The WAL So Far")
    path = catalog.path
    assert (path.parent / f"{CATALOG_NAME}-wal").stat().st_size > 0

    backup = catalog_module._backup(catalog.engine, path, SCHEMA_HEAD)

    assert backup.name.startswith(f"{CATALOG_NAME}.bak-{SCHEMA_HEAD}-")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT title FROM works").fetchall() == [("Only In The WAL So Far",)]
    copy.close()


_CRASHER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from bookdesk.data.catalog import open_catalog
    from bookdesk.data.catalog_rows import NewWork
    from bookdesk.data.work_repository import WorkRepository
    catalog = open_catalog(Path(sys.argv[1]))
    with catalog.write() as session:
        WorkRepository(session).add(NewWork("Committed Before The Crash"))
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_book_committed_just_before_a_crash_is_there_on_the_next_start(library_dir):
    crashed = subprocess.run([sys.executable, "-c", _CRASHER, str(library_dir)], timeout=60)
    assert crashed.returncode != 0  # it really died, without closing anything

    catalog = open_catalog(library_dir)  # also proves the dead process left no lock behind
    try:
        with catalog.read() as session:
            repo = WorkRepository(session)
            assert [r.title for r in repo.rows(repo.ids("crash"))] == ["Committed Before The Crash"]
    finally:
        catalog.close()
