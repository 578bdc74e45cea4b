"""Copies of the catalog are whole or absent, and the one named for restoring is a whole one."""

from __future__ import annotations

import os
import sqlite3

import pytest

from bookdesk.core.writeback.backup import BACKUP_FOLDER
from bookdesk.data import catalog_copy
from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD
from bookdesk.data.catalog_copy import SCHEDULED_BACKUPS, CatalogCopyError, copy_catalog, newest_backup


def test_the_scheduled_backups_are_where_the_write_back_keeps_its_backups():
    assert SCHEDULED_BACKUPS.parts[0] == BACKUP_FOLDER


def test_a_copy_is_checked_and_renamed_into_place(catalog, tmp_path):
    target = tmp_path / "copy.sqlite3"
    raw = catalog.engine.raw_connection()
    try:
        copy_catalog(raw.driver_connection, target)
    finally:
        raw.close()
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_copy_that_comes_out_wrong_leaves_no_file_behind(catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_copy, "_check", lambda path, revision: "it holds schema 0001, not 0007")
    target = tmp_path / "copies" / "copy.sqlite3"
    target.parent.mkdir()
    raw = catalog.engine.raw_connection()
    try:
        with pytest.raises(CatalogCopyError):
            copy_catalog(raw.driver_connection, target)
    finally:
        raw.close()
    assert list(target.parent.iterdir()) == []


def test_the_copy_named_for_restoring_is_the_newest_whole_one(catalog, library_dir):
    raw = catalog.engine.raw_connection()
    try:
        older = copy_catalog(raw.driver_connection, library_dir / f"{CATALOG_NAME}.bak-0006-20260101T000000")
        scheduled = library_dir / SCHEDULED_BACKUPS
        scheduled.mkdir(parents=True)
        newer = copy_catalog(raw.driver_connection, scheduled / "bookdesk-20260301T000000Z.sqlite3")
    finally:
        raw.close()
    broken = library_dir / f"{CATALOG_NAME}.bak-0006-20260401T000000"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # newest, and half written
    os.utime(older, (1_000_000, 1_000_000))
    os.utime(newer, (2_000_000, 2_000_000))

    assert newest_backup(library_dir, CATALOG_NAME) == newer
    newer.unlink()
    assert newest_backup(library_dir, CATALOG_NAME) == older


@pytest.mark.parametrize("name", ["Books #2", "What? Books", "100%20books", "50% off"])
def test_a_library_folder_named_like_an_address_gets_its_catalog_copied(tmp_path, name):
    """Through the migration's copy and the scheduled ones: the copy is checked as the file it is."""
    from bookdesk.data.catalog import open_catalog

    folder = tmp_path / name
    catalog = open_catalog(folder)
    raw = catalog.engine.raw_connection()
    try:
        copy = copy_catalog(raw.driver_connection, folder / f"{CATALOG_NAME}.bak-0006-20260101T000000")
    finally:
        raw.close()
        catalog.close()
    assert catalog_copy.is_whole(copy)
    assert newest_backup(folder, CATALOG_NAME) == copy
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing made beside the library


def test_the_copy_finishes_while_the_catalog_keeps_being_written(catalog, tmp_path, monkeypatch):
    """SQLite starts a copy made in steps over at every write by another connection; a library the
    app keeps writing must still get its backup."""
    with catalog.write() as session:
        session.connection().exec_driver_sql("CREATE TABLE ballast (b BLOB)")
        session.connection().exec_driver_sql("INSERT INTO ballast VALUES (zeroblob(12 * 1024 * 1024))")
    writer = sqlite3.connect(catalog.path, timeout=10)
    writes = []

    def the_app_writes(point: str) -> None:
        if point.startswith("catalog.backup"):  # anywhere the copy lets others in
            if len(writes) > 20:
                raise AssertionError("the copy started over at every write and would never finish")
            writer.execute("INSERT INTO ballast VALUES (x'00')")
            writer.commit()
            writes.append(point)

    monkeypatch.setattr(catalog_copy, "reach", the_app_writes)
    raw = catalog.engine.raw_connection()
    try:
        copy = copy_catalog(raw.driver_connection, tmp_path / "copy.sqlite3")
    finally:
        raw.close()
        writer.close()
    assert catalog_copy.is_whole(copy)
