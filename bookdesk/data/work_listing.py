"""The library list in SQL: which works a list shows (its shelf), matching a search, in which order.
``work_ids`` runs it over a DB-API connection: the window's (``WorkRepository.ids``, through its session)
and a command's that reads without SQLAlchemy (data/catalog_reader.py). ``WorkRepository.count`` counts
a shelf."""

from __future__ import annotations

import json
from typing import Protocol

from bookdesk.data import search_index
from bookdesk.errors import UsageError


class Connection(Protocol):
    """What the listing needs of a DB-API connection (sqlite3's)."""

    def execute(self, sql: str, parameters: list[object] = ..., /) -> object: ...


# Columns of ``works`` a person can sort the library by, and the SQL order for each (always ending in
# the id, so the order is total and paging is stable).
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title_key",),
    "authors": ("author_key", "title_key"),
    "series": ("series_key", "series_index"),
    "formats": ("formats",),
    "status": ("status",),
    "added": ("added_at",),
    "published": ("first_published",),
    "read_state": ("read_state",),
    "rating": ("rating",),
    "on_server": ("on_server",),
}

# What the Library view can show, each a condition in SQL: the books you have, those in one read
# state, or the wanted placeholders. No shelf is every work, as ``bookdesk list`` prints them.
# SQLite fetches a shelf through ix_works_status or ix_works_read_state and sorts it (100,000 books:
# 85-150 ms on the worker); walking the sort column's index instead and testing each row was slower
# (160-230 ms), as every test reads the row from the table.
SHELVES: dict[str, tuple[str, tuple[str, ...]]] = {
    "books": ("status = ?", ("owned",)),
    "unread": ("status = ? AND read_state = ?", ("owned", "unread")),
    "reading": ("status = ? AND read_state = ?", ("owned", "reading")),
    "finished": ("status = ? AND read_state = ?", ("owned", "finished")),
    "wanted": ("status = ?", ("wanted",)),
    "on_server": ("status = ? AND on_server != ?", ("owned", "")),  # on an Audiobookshelf server
}


def ids_sql(search: str | None, sort: str, descending: bool, shelf: str | None) -> tuple[str, list[object]]:
    """The query for the ids of the works on ``shelf`` matching ``search`` (FTS), in order."""
    if sort not in SORT_COLUMNS:
        raise UsageError(f"Cannot sort by {sort!r}; choose one of {', '.join(SORT_COLUMNS)}.")
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{column} {direction}" for column in (*SORT_COLUMNS[sort], "id"))
    conditions, params = shelf_condition(shelf)
    expression = search_index.match_expression(search) if search else None
    source = "works"
    if expression is not None:  # None: no search, or only punctuation
        # The index's matches drive the join, each looking up its work by id. Written as
        # "id IN (SELECT rowid ...)" SQLite first copied every match into a temporary index, and on a
        # shelf walked ix_works_status probing it: the letter "s" on 100,000 books (68,607 matches)
        # took 20-40 ms more. No column of work_fts shares a name with one of works (SORT_COLUMNS,
        # SHELVES), so the names stay unqualified.
        source = "work_fts CROSS JOIN works ON works.id = work_fts.rowid"
        conditions.append("work_fts MATCH ?")
        params.append(expression)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT works.id FROM {source}{where} ORDER BY {order}", params


def work_ids(connection: Connection, search: str | None = None, sort: str = "title", descending: bool = False,
             shelf: str | None = None) -> list[int]:
    """Ids of every work matching ``search`` (FTS) on ``shelf`` (``SHELVES``; None: every work), in order.

    This runs on every keystroke and sort over up to 100,000 rows, so it reads through the
    DB-API cursor (three times faster than building a Row per id), and SQLite hands the ids back as
    one JSON array: a row per id cost Python's sqlite3 about 0.26 µs each, 26 ms of 100,000 ids'
    32, the array and json.loads half of that. The aggregate takes the rows in the subquery's
    order (SQLite reads an ordered subquery of an aggregate as a co-routine, never flattened); the
    sort tests (tests/data/test_sorting.py) hold it to that.
    """
    sql, params = ids_sql(search, sort, descending, shelf)
    row = connection.execute(f"SELECT json_group_array(id) FROM ({sql})", params).fetchone()  # type: ignore[attr-defined]
    return json.loads(row[0])


def shelf_condition(shelf: str | None) -> tuple[list[str], list[object]]:
    if shelf is None:
        return [], []
    if shelf not in SHELVES:
        raise UsageError(f"There is no shelf {shelf!r}; choose one of {', '.join(SHELVES)}.")
    condition, params = SHELVES[shelf]
    return [condition], list(params)
