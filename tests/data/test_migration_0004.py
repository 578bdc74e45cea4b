"""Migration 0004 (series listings, checks, ignore rules) on a catalog BookDesk wrote at 0003.

The regression this guards: rebuilding ``works`` in an Alembic batch drops the table, and with
foreign keys on that deletes every file, credit and series entry through ON DELETE CASCADE.
"""

from __future__ import annotations

import sqlite3

from alembic import command
from sqlalchemy import create_engine, text

from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from bookdesk.data.work_repository import WorkRepository
from tests.data.old_catalogs import catalog_at, migrations_config

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats) VALUES (1, 'A Wizard of Earthsea', "
    "'Wizard of Earthsea', 'owned', '', '2026-01-01', '2026-01-01', 'wizard of earthsea', 'Ursula K. Le Guin', "
    "'le guin, ursula k.', 'Earthsea #1', 'earthsea', 'EPUB')",
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats) VALUES (2, 'The Farthest Shore', "
    "'Farthest Shore', 'wanted', '', '2026-01-01', '2026-01-01', 'farthest shore', 'Ursula K. Le Guin', "
    "'le guin, ursula k.', 'Earthsea #3', 'earthsea', '')",
    "INSERT INTO work_fts (rowid, title) VALUES (1, 'a wizard of earthsea')",
    "INSERT INTO authors (id, name, sort_name, provider_ids, monitored) VALUES (1, 'Ursula K. Le Guin', "
    "'Le Guin, Ursula K.', '{}', 1)",
    "INSERT INTO contributions (work_id, author_id, role, position) VALUES (1, 1, 'author', 0)",
    "INSERT INTO contributions (work_id, author_id, role, position) VALUES (2, 1, 'author', 0)",
    "INSERT INTO series (id, name, sort_name, provider_ids, monitored, total_count) VALUES (1, 'Earthsea', "
    "'Earthsea', '{}', 1, 6)",
    "INSERT INTO series_entries (series_id, work_id, label, sort_key) VALUES (1, 1, '1', 1.0)",
    "INSERT INTO series_entries (series_id, work_id, label, sort_key) VALUES (1, 2, '3', 3.0)",
    "INSERT INTO identifiers (work_id, scheme, value) VALUES (1, 'isbn', '9780547773742')",
    "INSERT INTO work_tags (work_id, tag) VALUES (1, 'Fantasy')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(1, 1, 'epub', 'ebook', 'Le Guin/Wizard.epub', 10, 0, 'h1', '2026-01-01')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(2, 1, 'm4b', 'audiobook', 'Le Guin/Wizard.m4b', 20, 0, 'h2', '2026-01-01')",
    "INSERT INTO import_sources (source_path, size, mtime_ns, content_hash, work_id, file_id, created_work, mode, "
    "correlation_id, imported_at) VALUES ('/in/w.epub', 10, 0, 'h1', 1, 1, 1, 'copy', 'BD-AAAAA', '2026-01-01')",
    "INSERT INTO review_items (work_id, correlation_id, state, reason, candidates_json, created_at) VALUES "
    "(1, 'BD-AAAAA', 'pending', '', '[]', '2026-01-01')",
]
_COUNTS = ("works", "files", "contributions", "series_entries", "identifiers", "work_tags", "authors", "series",
           "import_sources", "review_items")


def _catalog_at_0003(folder) -> dict[str, int]:
    return catalog_at(folder, "0003", _ROWS, _COUNTS)


def test_a_0003_catalog_migrates_keeping_every_book_file_credit_and_series_entry(library_dir):
    before = _catalog_at_0003(library_dir)

    upgraded = open_catalog(library_dir)
    try:
        with upgraded.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            after = {table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in _COUNTS}
            assert after == before
            assert session.execute(text("SELECT ignored, monitored, total_count FROM series")).one() == (0, 1, 6)
            assert session.execute(text("SELECT cover_url, wanted_kinds FROM works ORDER BY id")).all() == \
                [(None, ""), (None, "")]
            for table in ("series_listings", "series_checks"):
                assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
            indexes = {row[1] for row in session.execute(text("PRAGMA index_list(files)"))}
            assert "ix_files_work_kind" in indexes
            assert WorkRepository(session).ids("wizard") == [1]
            assert [f.media_kind for f in WorkRepository(session).detail(1).files] == ["ebook", "audiobook"]
    finally:
        upgraded.close()
    [backup] = library_dir.glob(f"{CATALOG_NAME}.bak-0003-*")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    copy.close()


def test_the_migrated_catalog_works_for_the_series_gaps(library_dir):
    _catalog_at_0003(library_dir)
    from bookdesk.core.series.service import SeriesService

    upgraded = open_catalog(library_dir)
    service = SeriesService(upgraded)
    try:
        [gaps] = service.gaps()
        assert gaps.name == "Earthsea" and gaps.overall.owned == ("1",)
        assert gaps.overall.missing_labels == ["2", "3"] and gaps.overall.missing[1].wanted_work_id == 2
        assert gaps.audiobook.owned == ("1",)
    finally:
        service.close()
        upgraded.close()


def test_0004_can_be_taken_back_to_0003_without_losing_books(library_dir):
    before = _catalog_at_0003(library_dir)
    open_catalog(library_dir).close()

    engine = create_engine(f"sqlite:///{library_dir / CATALOG_NAME}")
    config = migrations_config()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
        after = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in _COUNTS}
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(works)"))}
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
    engine.dispose()
    assert after == before
    assert not {"cover_url", "wanted_kinds"} & columns
