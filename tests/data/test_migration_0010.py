"""Migration 0010 (Audiobookshelf links, pushes, and the servers holding each book) on a catalog BookDesk
wrote at 0009: every book, file and change is still there after upgrading, and after downgrading again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text

from bookdesk.data.abs_models import AbsLink
from bookdesk.data.catalog import SCHEMA_HEAD, open_catalog
from tests.data.old_catalogs import catalog_at, downgraded

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats, read_state) VALUES "
    "(1, 'Ash', 'Ash', 'owned', '', '2026-01-01', '2026-01-01', 'ash', 'Ann Archer', 'archer, ann', '', '', "
    "'M4B', 'finished'), (2, 'Bone', 'Bone', 'owned', '', '2026-01-01', '2026-01-01', 'bone', '', '', '', '', "
    "'EPUB', 'unread')",
    "INSERT INTO files (id, work_id, format, media_kind, path, size, mtime, content_hash, added_at) VALUES "
    "(1, 1, 'm4b', 'audiobook', 'a/Ash.m4b', 3, 1.0, 'h1', '2026-01-01'), "
    "(2, 2, 'epub', 'ebook', 'b/Bone.epub', 3, 1.0, 'h2', '2026-01-01')",
    "INSERT INTO field_changes (work_id, field, old_value, new_value, source, changed_at, undone) VALUES "
    "(1, 'title', '\"A\"', '\"Ash\"', 'user', '2026-01-02', 0)",
]
_TABLES = ("works", "files", "field_changes")


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES}


def _link(work_id: int) -> AbsLink:
    now = datetime(2026, 1, 3)
    return AbsLink(server="Home", library_id="lib", item_id=f"item-{work_id}", work_id=work_id, matched_by="title",
                   has_audio=True, linked_at=now, pulled_at=now)


def test_upgrading_keeps_every_book_on_no_server_and_takes_links(library_dir):
    before = catalog_at(library_dir, "0009", _ROWS, _TABLES)

    catalog = open_catalog(library_dir)
    try:
        with catalog.read() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert _counts(session) == before
            assert set(session.execute(text("SELECT on_server FROM works")).scalars()) == {""}
        with catalog.write() as session:
            session.add(_link(1))
        with catalog.read() as session:
            assert session.execute(select(AbsLink.work_id, AbsLink.item_id)).all() == [(1, "item-1")]
    finally:
        catalog.close()


def test_downgrading_drops_only_the_server_tables_and_loses_no_book(library_dir):
    before = catalog_at(library_dir, "0010", _ROWS, _TABLES)
    catalog = open_catalog(library_dir)
    with catalog.write() as session:
        session.add(_link(1))
    catalog.close()

    def read(conn) -> tuple:  # noqa: ANN001
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(works)"))}
        return _counts(conn), tables, columns, conn.execute(text("SELECT read_state FROM works WHERE id = 1")).scalar()

    after, tables, columns, read_state = downgraded(library_dir, "0009", read)
    assert not {"abs_links", "abs_pushes"} & tables
    assert "on_server" not in columns
    assert after == before
    assert read_state == "finished"
