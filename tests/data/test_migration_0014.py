"""Migration 0014 (the local API's keys) on a catalog at 0013: every book is still there after upgrading
and after downgrading again; the table of keys comes and goes."""

from __future__ import annotations

import sqlite3

from bookdesk.data.catalog import CATALOG_NAME, SCHEMA_HEAD, open_catalog
from tests.data.old_catalogs import catalog_at, downgraded

_ROWS = [
    "INSERT INTO works (id, title, sort_title, status, locked_fields, added_at, updated_at, title_key, "
    "authors_display, author_key, series_display, series_key, formats, read_state) VALUES "
    "(1, 'Ash', 'Ash', 'owned', '', '2026-01-01', '2026-01-01', 'ash', 'Ann Archer', 'archer, ann', '', '', "
    "'EPUB', 'finished')",
]


def _tables(connection) -> set[str]:  # noqa: ANN001
    return {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_upgrading_adds_the_keys_table_and_downgrading_removes_only_it(library_dir):
    assert SCHEMA_HEAD == "0014"
    before = catalog_at(library_dir, "0013", _ROWS, ("works",))
    open_catalog(library_dir).close()
    with sqlite3.connect(library_dir / CATALOG_NAME) as connection:
        assert "api_keys" in _tables(connection)
        assert connection.execute("SELECT count(*) FROM works").fetchone()[0] == before["works"]
        connection.execute("INSERT INTO api_keys (name, scope, key_hash, created_at) VALUES ('a', 'read', 'h', 'now')")
        try:
            connection.execute("INSERT INTO api_keys (name, scope, key_hash, created_at) "
                               "VALUES ('b', 'admin', 'h2', 'now')")
            raise AssertionError("a scope other than read or write was taken")
        except sqlite3.IntegrityError:
            pass

    tables, works = downgraded(library_dir, "0013", lambda c: (
        {r[0] for r in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")},
        c.exec_driver_sql("SELECT title FROM works").fetchall()))
    assert "api_keys" not in tables and works == [("Ash",)]
