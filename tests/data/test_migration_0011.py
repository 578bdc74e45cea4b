"""Migration 0011 (calibre links and custom fields) on a catalog BookDesk wrote at 0010: every book, file and
change is still there after upgrading, and after downgrading again."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import create_engine, select, text

from bookdesk.data.calibre_models import CalibreLink, CustomField
from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from tests.data.old_catalogs import catalog_at, migrations_config

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats, read_state) VALUES "
    "(1, 'Ash', 'Ash', 'owned', '', '2026-01-01', '2026-01-01', 'ash', 'Ann Archer', 'archer, ann', '', '', "
    "'EPUB', 'finished')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(1, 1, 'epub', 'ebook', '/calibre/Ash.epub', 3, 1.0, '', '2026-01-01')",
    "INSERT INTO field_changes (work_id, field, old_value, new_value, source, changed_at, undone) VALUES "
    "(1, 'title', 'null', '\"Ash\"', 'calibre', '2026-01-02', 0)",
]
_TABLES = ("works", "files", "field_changes")


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES}


def _linked(session) -> None:  # noqa: ANN001
    session.add(CalibreLink(work_id=1, library="/calibre", book_id=7, book_uuid="u-7", last_modified="2026-01-01",
                            synced_at=datetime(2026, 1, 3)))
    session.add(CustomField(work_id=1, name="shelf", label="Shelf", kind="text", value_json='"Next"',
                            source="calibre"))


def test_upgrading_keeps_every_book_and_takes_calibre_links(library_dir):
    before = catalog_at(library_dir, "0010", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    try:
        with catalog.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert _counts(session) == before
        with catalog.write() as session:
            _linked(session)
        with catalog.read() as session:
            assert session.execute(select(CalibreLink.work_id, CalibreLink.book_id)).all() == [(1, 7)]
            assert session.execute(select(CustomField.value_json)).scalars().all() == ['"Next"']
    finally:
        catalog.close()


def test_downgrading_drops_only_the_calibre_tables_and_loses_no_book(library_dir):
    before = catalog_at(library_dir, "0011", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    with catalog.write() as session:
        _linked(session)
    catalog.close()

    engine = create_engine(f"sqlite:///{library_dir / CATALOG_NAME}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config = migrations_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
        after = _counts(conn)
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        read_state = conn.execute(text("SELECT read_state FROM works WHERE id = 1")).scalar()
    engine.dispose()
    assert not {"calibre_links", "custom_fields"} & tables
    assert after == before
    assert read_state == "finished"
