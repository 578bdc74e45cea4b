"""Migration 0012 (the search index also keeps one-letter prefixes) on a catalog BookDesk wrote at 0011:
every book, and everything the index held, is still found after upgrading, and after downgrading again."""

from __future__ import annotations

from sqlalchemy import text

from bookdesk.data.catalog import SCHEMA_HEAD, open_catalog
from bookdesk.data.work_repository import WorkRepository
from tests.data.old_catalogs import catalog_at, downgraded

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats, read_state) VALUES "
    "(1, 'Ash', 'Ash', 'owned', '', '2026-01-01', '2026-01-01', 'ash', 'Ann Brontë', 'bronte, ann', '', '', "
    "'EPUB', 'finished'), (2, 'Bone', 'Bone', 'owned', '', '2026-01-01', '2026-01-01', 'bone', 'Łukasz Nowak', "
    "'nowak, lukasz', 'Keys', 'keys', 'EPUB', 'unread'), (3, 'Cedar', 'Cedar', 'wanted', '', '2026-01-01', "
    "'2026-01-01', 'cedar', '', '', '', '', '', 'unread')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(1, 1, 'epub', 'ebook', 'a/Ash.epub', 3, 1.0, 'h1', '2026-01-01')",
    # What the index held at 0011, folded as BookDesk folds it (search_index.index_text)
    "INSERT INTO work_fts (rowid, title, authors, series, tags, identifiers) VALUES "
    "(1, 'ash ', 'ann bronte', NULL, 'poetry', '978-0-306-40615-7 9780306406157'), "
    "(2, 'bone ', 'lukasz nowak', 'keys', NULL, NULL), (3, 'cedar ', NULL, NULL, NULL, NULL)",
]
_TABLES = ("works", "files", "work_fts")
# What a person types, and the books each finds, in title order
_SEARCHES = {"a": [1], "b": [1, 2], "c": [3], "k": [2], "l": [2], "bronte": [1], "9": [1], "978-0": [1],
             "p": [1], "z": []}


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES}


def _found(session) -> dict[str, list[int]]:  # noqa: ANN001
    return {typed: WorkRepository(session).ids(typed) for typed in _SEARCHES}


def _index_sql(conn) -> str:  # noqa: ANN001
    return conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'work_fts'")).scalar()


def test_upgrading_keeps_every_book_and_finds_the_same_books(library_dir):
    before = catalog_at(library_dir, "0011", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    try:
        with catalog.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert _counts(session) == before
            assert "prefix = '1 2 3'" in _index_sql(session)
            assert _found(session) == _SEARCHES
        with catalog.write() as session:  # the index still takes changes after the migration
            session.execute(text("UPDATE works SET title = 'Alder', title_key = 'alder' WHERE id = 3"))
            session.execute(text("DELETE FROM work_fts WHERE rowid = 3"))
            session.execute(text("INSERT INTO work_fts (rowid, title) VALUES (3, 'alder')"))
        with catalog.read() as session:
            assert WorkRepository(session).ids("a") == [3, 1]
    finally:
        catalog.close()


def test_downgrading_keeps_every_book_and_what_the_index_held(library_dir):
    before = catalog_at(library_dir, "0012", _ROWS, _TABLES)

    def read(conn) -> tuple[dict[str, int], str, list[tuple]]:  # noqa: ANN001
        rows = conn.execute(text("SELECT rowid, * FROM work_fts ORDER BY rowid")).all()
        return _counts(conn), _index_sql(conn), rows

    after, sql, rows = downgraded(library_dir, "0011", read)
    assert after == before
    assert "prefix = '2 3'" in sql
    assert rows[0] == (1, "ash ", "ann bronte", None, "poetry", "978-0-306-40615-7 9780306406157")
    catalog = open_catalog(library_dir)  # and up again, as the next start of BookDesk does
    try:
        with catalog.read() as session:
            assert _found(session) == _SEARCHES
    finally:
        catalog.close()
