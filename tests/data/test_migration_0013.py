"""Migration 0013 (each series' gap answer kept in the catalog) on a catalog BookDesk wrote at 0012: the books
and series are as they were, the answers are worked out and kept at the first reading, and downgrading drops
only the kept answers."""

from __future__ import annotations

from sqlalchemy import text

from bookdesk.core.series.gaps import GapPolicy
from bookdesk.core.series.service import SeriesService
from bookdesk.data.catalog import open_catalog
from tests.data.old_catalogs import catalog_at, downgraded

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats, read_state) VALUES "
    "(1, 'Ash', 'Ash', 'owned', '', '2026-01-01', '2026-01-01', 'ash', 'Ann Author', 'author, ann', 'Embers #1', "
    "'embers', 'EPUB', 'unread'), (2, 'Cinder', 'Cinder', 'owned', '', '2026-01-01', '2026-01-01', 'cinder', "
    "'Ann Author', 'author, ann', 'Embers #3', 'embers', 'EPUB', 'unread')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(1, 1, 'epub', 'ebook', 'a/Ash.epub', 3, 1.0, 'h1', '2026-01-01'), "
    "(2, 2, 'epub', 'ebook', 'a/Cinder.epub', 3, 1.0, 'h2', '2026-01-01')",
    "INSERT INTO series (id, name, sort_name, provider_ids, monitored, ignored) VALUES (1, 'Embers', 'embers', '{}', 0, 0)",
    "INSERT INTO series_entries (id, series_id, work_id, label, sort_key) VALUES (1, 1, 1, '1', 1.0), "
    "(2, 1, 2, '3', 3.0)",
]
_TABLES = ("works", "files", "series", "series_entries")


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES}


def _missing(catalog) -> list[str]:  # noqa: ANN001
    service = SeriesService(catalog, GapPolicy(), follow_changes=False)
    try:
        [embers] = service.gaps()
    finally:
        service.close()
    return embers.overall.missing_labels


def test_upgrading_keeps_every_book_and_keeps_the_answers_at_the_first_reading(library_dir):
    before = catalog_at(library_dir, "0012", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    try:
        with catalog.read() as session:
            assert _counts(session) == before
            assert session.execute(text("SELECT count(*) FROM gap_answers")).scalar() == 0
        assert _missing(catalog) == ["2"]
        with catalog.read() as session:
            assert session.execute(text("SELECT series_id FROM gap_answers")).scalars().all() == [1]
        assert _missing(catalog) == ["2"]  # read back from what was kept
    finally:
        catalog.close()


def test_downgrading_drops_only_the_kept_answers(library_dir):
    before = catalog_at(library_dir, "0012", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    try:
        _missing(catalog)
    finally:
        catalog.close()

    def read(conn) -> tuple[dict[str, int], list[str]]:  # noqa: ANN001
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'gap_answer%'")).scalars().all()
        return _counts(conn), tables

    assert downgraded(library_dir, "0012", read) == (before, [])
    catalog = open_catalog(library_dir)  # and up again, as the next start of BookDesk does
    try:
        assert _missing(catalog) == ["2"]
    finally:
        catalog.close()
