"""Migration 0009 (what removals, merges and splits keep for undo) on a catalog BookDesk wrote at 0008:
every book, file, entry and change is still there after upgrading, and after downgrading again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from bookdesk.core.removal.service import RemovalService
from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from tests.data.old_catalogs import catalog_at, migrations_config

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats, read_state) VALUES "
    "(1, 'Ash', 'Ash', 'owned', '', '2026-01-01', '2026-01-01', 'ash', 'Ann Archer', 'archer, ann', '', '', "
    "'EPUB', 'finished'), (2, 'Bone', 'Bone', 'owned', '', '2026-01-01', '2026-01-01', 'bone', '', '', '', '', "
    "'EPUB', 'unread')",
    "INSERT INTO authors (id, name, sort_name, provider_ids, monitored) VALUES (1, 'Ann Archer', 'Archer, Ann', "
    "'{}', 0)",
    "INSERT INTO contributions (work_id, author_id, role, position) VALUES (1, 1, 'author', 0)",
    "INSERT INTO work_tags (work_id, tag) VALUES (1, 'sea'), (2, 'land')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(1, 1, 'epub', 'ebook', 'a/Ash.epub', 3, 1.0, 'h1', '2026-01-01'), "
    "(2, 2, 'epub', 'ebook', 'b/Bone.epub', 3, 1.0, 'h2', '2026-01-01')",
    "INSERT INTO field_changes (work_id, field, old_value, new_value, source, changed_at, undone) VALUES "
    "(1, 'tags', '[]', '[\"sea\"]', 'user', '2026-01-02', 0)",
]
_TABLES = ("works", "files", "contributions", "work_tags", "field_changes")


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES}


def test_upgrading_keeps_every_book_and_a_removal_then_undoes(library_dir):
    before = catalog_at(library_dir, "0008", _ROWS, _TABLES)

    catalog = open_catalog(library_dir)
    try:
        with catalog.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert _counts(session) == before
        report = RemovalService(catalog).remove([2], keep_files=True)  # the new table takes what undo needs
        assert report.works == [2]
    finally:
        catalog.close()


def test_downgrading_drops_only_the_removals_and_loses_no_book(library_dir):
    before = catalog_at(library_dir, "0009", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    RemovalService(catalog).remove([2], keep_files=True)
    catalog.close()

    engine = create_engine(f"sqlite:///{library_dir / CATALOG_NAME}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config = migrations_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
        after = _counts(conn)
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        read_state = conn.execute(text("SELECT read_state FROM works WHERE id = 1")).scalar()
    engine.dispose()
    assert "removals" not in tables
    assert after == {**before, "works": 1, "files": 1, "work_tags": 1}  # only the book removed before
    assert read_state == "finished"
