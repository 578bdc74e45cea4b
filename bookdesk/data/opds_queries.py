"""What the OPDS feeds list, in plain SQL over a read-only DB-API connection: pages of the books you
have (recently added, by an author, in a series in reading order, with a tag, in a language, in a read
state, matching a search) and pages of the headings that lead to them (authors, series, tags,
languages, read states).

Paging is by keyset: a page ends with the sort values of its last row, and the next page starts after
them (``WHERE (key, id) > (?, ?)``), so the 2,000th page of 100,000 books costs what the first does and
a book added between two requests neither repeats nor drops a row. The cursor a client carries is
those values as JSON in base64url, checked on the way back in: anything else is refused as a usage
mistake, never handed to SQLite as it came.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from bookdesk.data import search_index
from bookdesk.data.served_folders import STRANDED_WORKS
from bookdesk.data.work_listing import Connection
from bookdesk.errors import UsageError

PAGE_SIZE = 50  # books or headings a page holds; a client cannot ask for more
# A book the catalog offers: one you have with a file to hand out. Wanted placeholders have none, nor has a
# book whose files went missing, nor one whose every file is outside the library and outside the calibre
# libraries books were brought over from in place (data/served_folders.py). NOT IN reads those few once per
# query, so the counts of languages, tags and read states are what their pages list at little cost.
_OFFERED = f"w.formats != '' AND w.id NOT IN ({STRANDED_WORKS})"
OWNED = f"w.status = 'owned' AND {_OFFERED}"
READ_STATES = ("unread", "reading", "finished")
# Sorts a book whose place in its series is unknown after the numbered ones (keyset rows hold no NULL).
_NO_POSITION = 1e308


@dataclass(frozen=True, slots=True)
class Heading:
    """One entry of a navigation feed: an author, a series, a tag, a language or a read state."""

    key: str  # what its books' feed is asked by: an id, a tag, a language code, a read state
    title: str
    count: int  # books you have under it


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: work ids (or headings) in order, and the cursor of the next page."""

    ids: tuple[int, ...] = ()
    headings: tuple[Heading, ...] = ()
    after: str | None = None  # None: this is the last page


@dataclass(frozen=True, slots=True)
class _Listing:
    """The FROM, WHERE and ORDER BY of one listing; ``order`` ends with the id, so it is total."""

    source: str
    conditions: tuple[str, ...]
    params: tuple[object, ...]
    order: tuple[str, ...]
    descending: bool = False


def recent(connection: Connection, after: str | None = None) -> Page:
    # "+" keeps SQLite off ix_works_status: it fetched every owned book and sorted them all (30-60 ms on
    # 100,000) where walking ix_works_added_at back from the newest stops after a page.
    listing = _Listing("works w", (f"+w.status = 'owned' AND {_OFFERED}",), (), ("w.added_at", "w.id"),
                       descending=True)
    return _works(connection, listing, after)


def by_author(connection: Connection, author_id: int, after: str | None = None) -> Page:
    listing = _Listing("contributions c JOIN works w ON w.id = c.work_id",
                       (OWNED, "c.author_id = ?", "c.role = 'author'"), (author_id,), ("w.title_key", "w.id"))
    return _works(connection, listing, after)


def in_series(connection: Connection, series_id: int, after: str | None = None) -> Page:
    """The series' books in reading order: by position, the unnumbered last, then by title."""
    listing = _Listing("series_entries e JOIN works w ON w.id = e.work_id", (OWNED, "e.series_id = ?"),
                       (series_id,), (f"coalesce(e.sort_key, {_NO_POSITION})", "w.title_key", "w.id"))
    return _works(connection, listing, after)


def with_tag(connection: Connection, tag: str, after: str | None = None) -> Page:
    listing = _Listing("work_tags t JOIN works w ON w.id = t.work_id", (OWNED, "t.tag = ?"), (tag,),
                       ("w.title_key", "w.id"))
    return _works(connection, listing, after)


def in_language(connection: Connection, language: str, after: str | None = None) -> Page:
    """Books in ``language``; the empty code is the books whose language is not known."""
    listing = _Listing("works w", (OWNED, "coalesce(w.language, '') = ?"), (language,), ("w.title_key", "w.id"))
    return _works(connection, listing, after)


def in_read_state(connection: Connection, state: str, after: str | None = None) -> Page:
    if state not in READ_STATES:
        raise UsageError(f"There is no read state {state!r}; choose one of {', '.join(READ_STATES)}.")
    listing = _Listing("works w", (OWNED, "w.read_state = ?"), (state,), ("w.title_key", "w.id"))
    return _works(connection, listing, after)


def matching(connection: Connection, text: str, after: str | None = None) -> Page:
    """Books matching ``text`` as the library's search box matches it (the FTS index), newest first.

    Newest first, not by title: FTS5 hands its matches back in rowid (= work id) order and stops after a
    page, where ordering by title sorted every match first ("garden" on 100,000 books: 2,546 matches,
    16 ms, against 0.3 ms)."""
    expression = search_index.match_expression(text)
    if expression is None:  # nothing but punctuation: nothing to look for
        return Page()
    listing = _Listing("work_fts CROSS JOIN works w ON w.id = work_fts.rowid", (OWNED, "work_fts MATCH ?"),
                       (expression,), ("work_fts.rowid",), descending=True)
    return _works(connection, listing, after)


def authors(connection: Connection, after: str | None = None) -> Page:
    """Everyone credited as an author of a book you have, by sort name."""
    return _headings(connection, "authors", after, _AUTHOR_COUNT)


def series(connection: Connection, after: str | None = None) -> Page:
    """Every series holding a book you have, by sort name."""
    return _headings(connection, "series", after, _SERIES_COUNT)


def tags(connection: Connection, after: str | None = None) -> Page:
    """Every tag of a book you have, alphabetically; tags are few, so they are counted in one pass."""
    clause, params = _after_clause(("t.tag",), after, 1)
    rows = _fetch(connection, f"""SELECT t.tag, count(*) FROM work_tags t JOIN works w ON w.id = t.work_id
        WHERE {OWNED} {clause} GROUP BY t.tag ORDER BY t.tag LIMIT ?""", [*params, PAGE_SIZE + 1])
    return _heading_page([Heading(tag, tag, count) for tag, count in rows], [(tag,) for tag, _ in rows])


def languages(connection: Connection) -> Page:
    """Each language of the books you have ("" for those not known), with how many; a handful."""
    rows = _fetch(connection, f"""SELECT coalesce(w.language, ''), count(*) FROM works w WHERE {OWNED}
        GROUP BY 1 ORDER BY 1""", [])
    return Page(headings=tuple(Heading(code, code, count) for code, count in rows))


def read_states(connection: Connection) -> Page:
    counts = dict(_fetch(connection, f"SELECT w.read_state, count(*) FROM works w WHERE {OWNED} GROUP BY 1", []))
    return Page(headings=tuple(Heading(state, state, counts.get(state, 0)) for state in READ_STATES))


def heading_name(connection: Connection, table: str, key: int) -> str | None:
    """The name of author or series ``key`` (``table``: "authors" or "series"), None when there is none."""
    if table not in ("authors", "series"):
        raise ValueError(table)
    row = connection.execute(f"SELECT name FROM {table} WHERE id = ?", [key]).fetchone()  # type: ignore[attr-defined]
    return row[0] if row else None


def updated_times(connection: Connection, ids: tuple[int, ...]) -> dict[int, str]:
    """When each of ``ids`` last changed, as stored ("2026-01-31 12:00:00.000000")."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return dict(_fetch(connection, f"SELECT id, updated_at FROM works WHERE id IN ({marks})", list(ids)))


def owned_file(connection: Connection, file_id: int) -> tuple[str, str] | None:
    """(path relative to the library, format) of file ``file_id`` of a book you have, else None."""
    row = connection.execute(  # type: ignore[attr-defined]
        f"SELECT f.path, f.format FROM files f JOIN works w ON w.id = f.work_id WHERE f.id = ? AND {OWNED}",
        [file_id]).fetchone()
    return (row[0], row[1]) if row else None


def cover(connection: Connection, work_id: int) -> tuple[str | None, str, str] | None:
    """(cover path relative to the library or None, title, authors) of book ``work_id``, None when it is
    not a book you have."""
    row = connection.execute(  # type: ignore[attr-defined]
        f"SELECT w.cover_path, w.title, w.authors_display FROM works w WHERE w.id = ? AND {OWNED}",
        [work_id]).fetchone()
    return (row[0] or None, row[1], row[2]) if row else None


# How many books you have of each author or series of a page. CROSS JOIN makes SQLite start from the
# page's few ids: left to choose, it walked every owned work (1.4 s on 100,000 books).
_AUTHOR_COUNT = f"""SELECT c.author_id, count(*) FROM contributions c CROSS JOIN works w ON w.id = c.work_id
 WHERE c.role = 'author' AND {OWNED} AND c.author_id IN ({{marks}}) GROUP BY c.author_id"""
_SERIES_COUNT = f"""SELECT e.series_id, count(*) FROM series_entries e CROSS JOIN works w ON w.id = e.work_id
 WHERE {OWNED} AND e.series_id IN ({{marks}}) GROUP BY e.series_id"""
# Authors or series are read in sort order this many at a time, and those with no book you have (a
# wanted book's author) left out, until a page is full. Asking SQLite for "those with a book" in one
# query tested all 20,000 authors before sorting (80-110 ms); sorting the table is 2 ms.
_CANDIDATES = 400


def _works(connection: Connection, listing: _Listing, after: str | None) -> Page:
    clause, cursor_params = _after_clause(listing.order, after, len(listing.order), listing.descending)
    direction = " DESC" if listing.descending else ""
    sql = (f"SELECT w.id, {', '.join(listing.order)} FROM {listing.source}"
           f" WHERE {' AND '.join(listing.conditions)} {clause}"
           f" ORDER BY {', '.join(column + direction for column in listing.order)} LIMIT ?")
    rows = _fetch(connection, sql, [*listing.params, *cursor_params, PAGE_SIZE + 1])
    page, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    return Page(ids=tuple(row[0] for row in page), after=_cursor(page[-1][1:]) if more else None)


def _headings(connection: Connection, table: str, after: str | None, count_sql: str) -> Page:
    """A page of ``table``'s rows (authors or series) that have a book you have, each with how many."""
    # lower(): "de Saint-Exupéry" among the D's, not after every capital letter.
    order = ("lower(sort_name)", "id")
    clause, cursor_params = _after_clause(order, after, 2)
    found: list[tuple[Heading, tuple[object, ...]]] = []
    while len(found) <= PAGE_SIZE:
        rows = _fetch(connection, f"SELECT id, name, lower(sort_name) FROM {table} WHERE 1 {clause}"
                      f" ORDER BY lower(sort_name), id LIMIT {_CANDIDATES}", cursor_params)
        if rows:
            counts = dict(_fetch(connection, count_sql.format(marks=",".join("?" * len(rows))),
                                 [row[0] for row in rows]))
            found += [(Heading(str(key), name, counts[key]), (sort_name, key))
                      for key, name, sort_name in rows if key in counts]
        if len(rows) < _CANDIDATES:
            break
        clause, cursor_params = _after_clause(order, _cursor((rows[-1][2], rows[-1][0])), 2)
    return _heading_page([heading for heading, _ in found], [key for _, key in found])


def _heading_page(headings: list[Heading], keys: list[tuple[object, ...]]) -> Page:
    more = len(headings) > PAGE_SIZE
    return Page(headings=tuple(headings[:PAGE_SIZE]), after=_cursor(keys[PAGE_SIZE - 1]) if more else None)


def _fetch(connection: Connection, sql: str, params: list[object]) -> list[tuple]:
    return connection.execute(sql, params).fetchall()  # type: ignore[attr-defined]


def _after_clause(order: tuple[str, ...], after: str | None, width: int,
                  descending: bool = False) -> tuple[str, list[object]]:
    """``AND (order...) > (?...)`` for the rows after ``after``'s, or nothing on the first page."""
    if after is None:
        return "", []
    values = _values(after, width)
    comparison = "<" if descending else ">"
    return (f"AND ({', '.join(order)}) {comparison} ({', '.join('?' * width)})", values)


def _cursor(values: tuple[object, ...]) -> str:
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _values(after: str, width: int) -> list[object]:
    """The sort values a cursor carries, refused unless they are what this code made: ``width`` plain
    strings and numbers."""
    values = None
    if len(after) <= 2000:  # a cursor of ours is a few dozen characters; a long one is refused unread
        try:
            values = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            values = None
    if not (isinstance(values, list) and len(values) == width
            and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values)):
        raise UsageError("This page address was not made by BookDesk, or is damaged; start again from the "
                         "catalog's first page.")
    return values
