"""What each OPDS feed holds, the same for OPDS 1.2 (Atom, ``atom.py``) and OPDS 2.0 (JSON, ``json2.py``):
its title, the headings it leads to or the books it lists, and the page after it. Addresses here are
paths below the catalog's root ("authors/12?after=..."); each format puts its own root in front.

Read through ``data/opds_queries.py`` (which books, in which order, page by page) and
``data/work_details.py`` (each book's full record, as the window reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from bookdesk.data import opds_queries as queries
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.served_folders import calibre_folders
from bookdesk.data.work_details import work_details
from bookdesk.data.work_listing import Connection
from bookdesk.errors import NotFoundError
from bookdesk.serve.opds.links import served_files

READ_STATE_TITLES = {"unread": "Unread", "reading": "Reading", "finished": "Finished"}


@dataclass(frozen=True, slots=True)
class Heading:
    """A navigation entry: where it leads (a path below the root), and what it says."""

    id: str  # a URN, the same in both formats and on every page
    title: str
    path: str
    summary: str = ""
    count: int | None = None  # books under it, when counted
    books: bool = True  # it leads to a feed of books (acquisition), not to more headings


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    path: str  # this page's own path
    headings: tuple[Heading, ...] = ()
    books: tuple[WorkDetail, ...] = ()
    updated: dict[int, str] = field(default_factory=dict)  # each book's last change, as stored
    next_path: str | None = None
    up_path: str | None = ""  # None for the root, which has nothing above it
    navigation: bool = False  # a feed of headings; else of books (OPDS 1.2's acquisition feed), maybe none


ROOT_ID = "urn:bookdesk:opds"


def root() -> Feed:
    """The first feed a reader opens: the ways into the library."""
    ways = [
        Heading(f"{ROOT_ID}:recent", "Recently added", "recent", "The books added last, newest first"),
        Heading(f"{ROOT_ID}:authors", "Authors", "authors", "Books by author", books=False),
        Heading(f"{ROOT_ID}:series", "Series", "series", "Series, each in reading order", books=False),
        Heading(f"{ROOT_ID}:tags", "Tags", "tags", "Books by tag", books=False),
        Heading(f"{ROOT_ID}:languages", "Languages", "languages", "Books by language", books=False),
        Heading(f"{ROOT_ID}:states", "Read state", "states", "Unread, reading and finished books", books=False),
    ]
    return Feed(ROOT_ID, "BookDesk library", "", headings=tuple(ways), up_path=None, navigation=True)


def recent(connection: Connection, after: str | None) -> Feed:
    return _books(connection, f"{ROOT_ID}:recent", "Recently added", "recent", queries.recent(connection, after))


def author_books(connection: Connection, author_id: int, after: str | None) -> Feed:
    name = _named(connection, "authors", author_id)
    page = queries.by_author(connection, author_id, after)
    return _books(connection, f"{ROOT_ID}:author:{author_id}", name, f"authors/{author_id}", page, up="authors")


def series_books(connection: Connection, series_id: int, after: str | None) -> Feed:
    name = _named(connection, "series", series_id)
    page = queries.in_series(connection, series_id, after)
    return _books(connection, f"{ROOT_ID}:series:{series_id}", name, f"series/{series_id}", page, up="series")


def tag_books(connection: Connection, tag: str, after: str | None) -> Feed:
    page = queries.with_tag(connection, tag, after)
    return _books(connection, f"{ROOT_ID}:tag:{_urn(tag)}", tag, _query("tags/books", tag=tag), page, up="tags")


def language_books(connection: Connection, code: str, after: str | None) -> Feed:
    page = queries.in_language(connection, code, after)
    return _books(connection, f"{ROOT_ID}:language:{_urn(code)}", _language_title(code),
                  _query("languages/books", code=code), page, up="languages")


def state_books(connection: Connection, state: str, after: str | None) -> Feed:
    page = queries.in_read_state(connection, state, after)
    return _books(connection, f"{ROOT_ID}:state:{state}", READ_STATE_TITLES[state], f"states/{state}", page,
                  up="states")


def search(connection: Connection, text: str, after: str | None) -> Feed:
    page = queries.matching(connection, text, after)
    return _books(connection, f"{ROOT_ID}:search:{_urn(text)}", f"Search: {text}", _query("search", q=text), page)


def authors(connection: Connection, after: str | None) -> Feed:
    page = queries.authors(connection, after)
    headings = [Heading(f"{ROOT_ID}:author:{h.key}", h.title, f"authors/{h.key}", _books_count(h.count), h.count)
                for h in page.headings]
    return _headings(f"{ROOT_ID}:authors", "Authors", "authors", headings, page.after)


def series(connection: Connection, after: str | None) -> Feed:
    page = queries.series(connection, after)
    headings = [Heading(f"{ROOT_ID}:series:{h.key}", h.title, f"series/{h.key}", _books_count(h.count), h.count)
                for h in page.headings]
    return _headings(f"{ROOT_ID}:series", "Series", "series", headings, page.after)


def tags(connection: Connection, after: str | None) -> Feed:
    page = queries.tags(connection, after)
    headings = [Heading(f"{ROOT_ID}:tag:{_urn(h.key)}", h.title, _query("tags/books", tag=h.key), _books_count(h.count),
                        h.count) for h in page.headings]
    return _headings(f"{ROOT_ID}:tags", "Tags", "tags", headings, page.after)


def languages(connection: Connection) -> Feed:
    page = queries.languages(connection)
    headings = [Heading(f"{ROOT_ID}:language:{_urn(h.key)}", _language_title(h.key), _query("languages/books", code=h.key),
                        _books_count(h.count), h.count) for h in page.headings]
    return _headings(f"{ROOT_ID}:languages", "Languages", "languages", headings, None)


def states(connection: Connection) -> Feed:
    page = queries.read_states(connection)
    headings = [Heading(f"{ROOT_ID}:state:{h.key}", READ_STATE_TITLES[h.key], f"states/{h.key}",
                        _books_count(h.count), h.count) for h in page.headings]
    return _headings(f"{ROOT_ID}:states", "Read state", "states", headings, None)


def _books(connection: Connection, feed_id: str, title: str, path: str, page: queries.Page, up: str = "") -> Feed:
    # The queries list only books with a file to hand out (OPDS 2.0 allows no publication without an
    # acquisition link); a book's other files, outside every folder served, get no link.
    folders = calibre_folders(connection)
    books = tuple(served_files(book, folders) for book in work_details(connection, page.ids))
    return Feed(feed_id, title, path, books=books, updated=queries.updated_times(connection, page.ids),
                next_path=_next(path, page.after), up_path=up)


def _headings(feed_id: str, title: str, path: str, headings: list[Heading], after: str | None) -> Feed:
    return Feed(feed_id, title, path, headings=tuple(headings), next_path=_next(path, after), navigation=True)


def _named(connection: Connection, table: str, key: int) -> str:
    name = queries.heading_name(connection, table, key)
    if name is None:
        raise NotFoundError(f"There is no {'author' if table == 'authors' else 'series'} {key} in this library.")
    return name


def _next(path: str, after: str | None) -> str | None:
    if after is None:
        return None
    return f"{path}{'&' if '?' in path else '?'}{urlencode({'after': after})}"


def _query(path: str, **values: str) -> str:
    return f"{path}?{urlencode(values)}"


def _urn(value: str) -> str:
    """A tag, language or search as the last part of a URN: an Atom id is a URI, so no space or "<" in it."""
    return quote(value, safe="")


def _books_count(count: int) -> str:
    return f"{count} book{'' if count == 1 else 's'}"


def _language_title(code: str) -> str:
    return code or "Language not known"
