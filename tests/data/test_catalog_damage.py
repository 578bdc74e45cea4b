"""Odd folder names and catalogs damaged while in use: clear errors, the catalog where it belongs."""

from __future__ import annotations

import pytest

from bookdesk.data.catalog import CATALOG_NAME, open_catalog
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import CatalogCorruptError


@pytest.mark.parametrize("name", ["What? Books", "100%20books", "#1 Shelf", "Bücher & Hörbücher"])
def test_a_folder_name_that_looks_like_a_url_keeps_its_catalog_inside(tmp_path, name):
    folder = tmp_path / name
    catalog = open_catalog(folder)
    try:
        with catalog.write() as session:
            WorkRepository(session).add(NewWork("Inside", [Contributor("A. Author")]))
    finally:
        catalog.close()
    assert (folder / CATALOG_NAME).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_catalog_damaged_in_its_middle_gives_a_clear_error_when_read(tmp_path):
    folder = tmp_path / "Library"
    catalog = open_catalog(folder)
    with catalog.write() as session:
        repo = WorkRepository(session)
        for n in range(400):
            repo.add(NewWork(f"Book {n} " + "x" * 200, [Contributor(f"Author {n}")]))
    catalog.close()
    path = folder / CATALOG_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12)):
        data[offset] = 0x5A  # scribble over pages in the middle, leaving the header whole
    path.write_bytes(bytes(data))

    with pytest.raises(CatalogCorruptError) as raised:
        damaged = open_catalog(folder)
        try:
            with damaged.read() as session:
                WorkRepository(session).details(WorkRepository(session).ids())
        finally:
            damaged.close()
    assert "damaged" in raised.value.message


def test_damage_found_in_use_stops_every_later_write_to_that_catalog(library_dir):
    import sqlite3

    catalog = open_catalog(library_dir)
    try:
        with catalog.write() as session:
            WorkRepository(session).add(NewWork("Readable", [Contributor("A. Author")]))
            damaged_id = WorkRepository(session).add(NewWork("Soon Unreadable", [Contributor("B. Author")]))
        with sqlite3.connect(library_dir / CATALOG_NAME) as raw:
            raw.execute("UPDATE works SET title = CAST(x'426f6f6bff' AS TEXT) WHERE id = ?", (damaged_id,))

        with pytest.raises(CatalogCorruptError) as found, catalog.read() as session:
            WorkRepository(session).rows(WorkRepository(session).ids())
        assert "some of its text cannot be read" in found.value.message
        with pytest.raises(CatalogCorruptError), catalog.write() as session:
            WorkRepository(session).add(NewWork("Never Written", [Contributor("C. Author")]))
        assert catalog.read_only
    finally:
        catalog.close()
    with sqlite3.connect(library_dir / CATALOG_NAME) as raw:
        assert raw.execute("SELECT count(*) FROM works").fetchone()[0] == 2


def test_only_sqlite_errors_are_read_as_faults_of_the_catalog(tmp_path):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from bookdesk.data.catalog_faults import translate
    from bookdesk.errors import CatalogDiskFullError, LibraryReadOnlyError

    path = tmp_path / CATALOG_NAME

    def wrapped(message: str) -> OperationalError:
        return OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))

    assert isinstance(translate(path, wrapped("database or disk is full")), CatalogDiskFullError)
    assert isinstance(translate(path, wrapped("attempt to write a readonly database")), LibraryReadOnlyError)
    assert isinstance(translate(path, wrapped("database disk image is malformed")), CatalogCorruptError)
    assert translate(path, wrapped("UNIQUE constraint failed: works.id")) is None
    assert translate(path, ValueError("malformed address")) is None


def test_a_disk_that_fails_to_read_once_is_no_damage_and_stops_nothing(library_dir, monkeypatch):
    """A NAS or USB disk that drops out for a moment (SQLITE_IOERR): try again, nothing to restore."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from bookdesk.data import catalog_faults
    from bookdesk.errors import CatalogDiskFullError, LibraryError

    monkeypatch.setattr(catalog_faults, "_nearly_full", lambda path: False)
    catalog = open_catalog(library_dir)
    try:
        hiccup = sqlite3.OperationalError("disk I/O error")
        hiccup.sqlite_errorcode = 10 | (3 << 8)  # SQLITE_IOERR_WRITE
        with pytest.raises(LibraryError) as raised, catalog.write() as session:
            raise OperationalError("INSERT ...", {}, hiccup)
        error = raised.value
        assert not isinstance(error, (CatalogCorruptError, CatalogDiskFullError))
        assert error.retryable and "disk" in error.message
        assert "damaged" not in error.message and "backup" not in error.message
        assert not catalog.read_only
        with catalog.write() as session:  # the next change is made
            WorkRepository(session).add(NewWork("After The Hiccup", [Contributor("A. Author")]))
    finally:
        catalog.close()


def test_the_way_back_from_damage_moves_the_write_ahead_log_away_too(library_dir):
    """A stale -wal beside a restored copy is replayed onto it: the words must say to move it away."""
    from bookdesk.data.catalog_faults import damaged_message

    for backup_there in (False, True):
        if backup_there:
            catalog = open_catalog(library_dir)
            raw = catalog.engine.raw_connection()
            try:
                from bookdesk.data.catalog_copy import copy_catalog
                copy_catalog(raw.driver_connection, library_dir / f"{CATALOG_NAME}.bak-0006-20260101T000000")
            finally:
                raw.close()
                catalog.close()
        message = damaged_message(library_dir / CATALOG_NAME, "SQLite reports some of its pages malformed")
        assert f"{CATALOG_NAME}-wal" in message and f"{CATALOG_NAME}-shm" in message, message
