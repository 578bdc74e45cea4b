"""Hardcover's series and bibliographies: the fullest series data of the four providers.

What Hardcover offers (GraphQL, https://api.hardcover.app/v1/graphql, a token, 60 requests a
minute, queries at most three levels deep, no ``_like``/``_ilike``/``_regex`` filters):

- ``series`` / ``series_by_pk``: ``name``, ``books_count``, ``primary_books_count`` (books at a whole
  number position: 1, 2, 3, not 1.5 nor none);
- ``book_series`` (a book's place in a series): ``position`` (a number), ``details`` (the position as
  printed: "1-3" for an omnibus whose ``position`` is 1), ``featured``, ``compilation``;
- ``books``: ``compilation``, ``release_date``, ``canonical_id`` (set on a book merged into another:
  a duplicate to leave out), the default physical/ebook/audio editions with their language;
- ``search(query_type: "Series")``: the website's Typesense index, for finding a series by name.

A translation is its own book at the original's position and an omnibus sits at its first book's
position, so a listing has several books at some positions. They are all kept, each with its
language and compilation flag: choosing between them is the gap engine's work.

Each call makes one request, or two when a name has first to be found: the listing asks for
``books`` rather than ``series { book_series { book { ... } } }`` so that an edition's language is
still within the depth limit.
"""

from __future__ import annotations

import json
import logging

from bookdesk.core.net.client import HttpClient
from bookdesk.core.net.rate_limiter import HARDCOVER_RATE
from bookdesk.core.providers.endpoints import base_url as resolve_url
from bookdesk.core.providers.endpoints import rate_key
from bookdesk.core.providers.fields import as_dict, as_list, asin, first_author, https, isbn13, people
from bookdesk.core.providers.hardcover import DEFAULT_URL, URL_ENV, clean_token, graphql
from bookdesk.core.providers.languages import iso639_1
from bookdesk.core.providers.sanitise import clean_field
from bookdesk.core.providers.series_common import MAX_ENTRIES, listed_book, same_person, series_key
from bookdesk.core.providers.series_listing import ListedBook, SeriesListing, sorted_entries

log = logging.getLogger(__name__)

SOURCE = "hardcover"
LABEL = "Hardcover"
SERIES_LIMIT = 300  # books asked for in one series (translations included)
AUTHOR_LIMIT = 200  # books asked for of one author
SEARCH_HITS = 5

_BOOK = """
    id title subtitle release_date release_year compilation
    image { url }
    contributions { contribution author { name } }
    default_physical_edition { isbn_13 language { code2 } }
    default_ebook_edition { isbn_13 language { code2 } }
    default_audio_edition { asin language { code2 } }
"""
_SERIES_BOOKS = """
query SeriesListing($id: Int!, $limit: Int!) {
  series_by_pk(id: $id) { id name books_count primary_books_count }
  books(where: {book_series: {series_id: {_eq: $id}}, canonical_id: {_is_null: true}},
        order_by: {users_count: desc}, limit: $limit) {
    BOOK_FIELDS
    book_series(where: {series_id: {_eq: $id}}) { position details compilation }
  }
}
""".replace("BOOK_FIELDS", _BOOK.strip())
_AUTHOR_BOOKS = """
query AuthorBooks($name: String!, $limit: Int!) {
  books(where: {contributions: {author: {name: {_eq: $name}}}, canonical_id: {_is_null: true}},
        order_by: {users_count: desc}, limit: $limit) {
    BOOK_FIELDS
    book_series(order_by: {featured: desc}) { position details compilation featured
                                             series { id name primary_books_count } }
  }
}
""".replace("BOOK_FIELDS", _BOOK.strip())
_SEARCH = """
query Search($query: String!, $type: String!, $perPage: Int!) {
  search(query: $query, query_type: $type, per_page: $perPage, page: 1) { results }
}
"""
_AUTHOR_ROLES = frozenset({"", "author", "writer"})


class HardcoverSeries:
    """Series listings and bibliographies from Hardcover, through the worker's HttpClient (so the
    limiter keeps to 60 a minute and answers are cached)."""

    name = SOURCE
    label = LABEL

    def __init__(self, client: HttpClient, base_url: str | None = None, *, token: str | None = None) -> None:
        self.client = client
        self.base_url = resolve_url(base_url, URL_ENV, DEFAULT_URL)
        self._token = clean_token(token)
        self._key = rate_key(self.base_url)
        client.limiter.ensure_rate(self._key, HARDCOVER_RATE)

    def configured(self) -> bool:
        return self._token is not None

    def __repr__(self) -> str:  # never the token
        return f"HardcoverSeries({self.base_url!r}, configured={self.configured()})"

    # ----- series --------------------------------------------------------------------------

    async def series_listing(self, name: str | None = None, *, series_id: int | str | None = None,
                             author: str | None = None, notes: list[str] | None = None,
                             user_waiting: bool = False) -> SeriesListing | None:
        """The books Hardcover lists in a series: the one with ``series_id`` (Hardcover's id, as a
        book's ``book_series`` gives it) when known, else the one called ``name``, found with
        Hardcover's series search (``author`` picks between series of one name). None when there is
        no such series or no token.

        One request by id, two by name. Remarks about positions that had to be normalised are
        appended to ``notes``.
        """
        if not self.configured():
            return None
        found_id = _int_id(series_id)
        if found_id is None:
            if not name:
                return None
            found_id = await self.find_series(name, author=author, user_waiting=user_waiting)
            if found_id is None:
                return None
        data = await self._graphql(_SERIES_BOOKS, {"id": found_id, "limit": SERIES_LIMIT}, user_waiting)
        record = as_dict(data.get("series_by_pk"))
        title = clean_field(record.get("name"), 300)
        if not title:
            return None
        remarks: list[str] = []
        where = f"{LABEL}, {title}"
        entries: list[ListedBook] = []
        books = as_list(data.get("books"))
        if len(books) >= SERIES_LIMIT:
            remarks.append(f"{where}: Hardcover has more than {SERIES_LIMIT} books in this series (translations "
                           f"included); the {SERIES_LIMIT} most read are listed.")
        for book in books:
            book = as_dict(book)
            for place in as_list(book.get("book_series")) or [{}]:
                entry = self._entry(book, as_dict(place), remarks, where)
                if entry is not None:
                    entries.append(entry)
        if len(entries) > MAX_ENTRIES:
            remarks.append(f"{where}: {len(entries)} books listed; only the first {MAX_ENTRIES} are kept.")
            entries = entries[:MAX_ENTRIES]
        if notes is not None:
            notes.extend(remarks)
        return SeriesListing(source=SOURCE, series_name=title, provider_series_id=str(found_id),
                             total_primary=_count(record.get("primary_books_count")),
                             entries=sorted_entries(entries))

    async def find_series(self, name: str, *, author: str | None = None, user_waiting: bool = False) -> int | None:
        """The id of the Hardcover series called ``name`` (one search request), or None.

        Only a series whose name is the same once case, accents, punctuation and a leading "The"
        are set aside is taken (failing that, once a trailing "Series", "Saga"... is set aside too):
        the search also returns series that merely contain the words. Between several of that
        name, one by ``author`` is preferred, then the one with most readers (the search's order).
        """
        text = clean_field(name, 200)
        if not text or not self.configured():
            return None
        data = await self._graphql(_SEARCH, {"query": text, "type": "Series", "perPage": SEARCH_HITS}, user_waiting)
        documents = [(d, clean_field(d.get("name"), 300) or "") for d in _search_documents(data)]
        wanted, loose = series_key(text, strict=True), series_key(text)
        matching = ([d for d, n in documents if n and series_key(n, strict=True) == wanted]
                    or [d for d, n in documents if n and series_key(n, strict=True) == loose]
                    or [d for d, n in documents if n and series_key(n) == loose])
        if author:
            by_author = [d for d in matching if same_person(d.get("author_name"), author)]
            matching = by_author or matching
        for document in matching:
            found = _int_id(document.get("id"))
            if found is not None:
                return found
        return None

    # ----- authors -------------------------------------------------------------------------

    async def author_bibliography(self, author: str, *, user_waiting: bool = False) -> list[ListedBook]:
        """The books Hardcover credits to ``author`` as author (not narrator or translator), most read
        first, each once, its label and sort key those of its featured series ("" without one);
        ``author_series`` says which series that is.

        One request (three when Hardcover spells the name differently); the same answer then serves
        ``author_series`` from the cache.
        """
        books = await self._author_books(author, user_waiting)
        found: list[ListedBook] = []
        for book in books:
            places = [as_dict(p) for p in as_list(book.get("book_series"))]
            featured = next((p for p in places if p.get("featured") is True), places[0] if places else {})
            entry = self._entry(book, featured, None, "")
            if entry is not None:
                found.append(entry)
        return found

    async def author_series(self, author: str, *, notes: list[str] | None = None,
                            user_waiting: bool = False) -> list[SeriesListing]:
        """The series ``author``'s books belong to, each with those of the author's books Hardcover
        places in it and the series' own primary count (from the same answer as
        ``author_bibliography``: no further request when it is cached)."""
        books = await self._author_books(author, user_waiting)
        grouped: dict[int, tuple[str, int | None, list[ListedBook]]] = {}
        remarks: list[str] = []
        for book in books:
            for place in as_list(book.get("book_series")):
                place = as_dict(place)
                series = as_dict(place.get("series"))
                series_id, name = _int_id(series.get("id")), clean_field(series.get("name"), 300)
                if series_id is None or not name:
                    continue
                entry = self._entry(book, place, remarks, f"{LABEL}, {name}")
                if entry is None:
                    continue
                grouped.setdefault(series_id, (name, _count(series.get("primary_books_count")), []))[2].append(entry)
        if notes is not None:
            notes.extend(remarks)
        return [SeriesListing(source=SOURCE, series_name=name, provider_series_id=str(series_id), total_primary=total,
                              entries=sorted_entries(entries))
                for series_id, (name, total, entries) in grouped.items()]

    async def _author_books(self, author: str, user_waiting: bool) -> list[dict]:
        """The author's books: one request for the name as given ("Le Guin, Ursula K." is asked as
        "Ursula K. Le Guin"); when Hardcover knows no one of that exact name, an author search
        and, if it finds the person under another spelling or a pen name, a request for that."""
        name = clean_field(first_author([author]) or "", 200)
        if not name or not self.configured():
            return []
        books = await self._books_by(name, user_waiting)
        if books:
            return books
        data = await self._graphql(_SEARCH, {"query": name, "type": "Author", "perPage": SEARCH_HITS}, user_waiting)
        for document in _search_documents(data):
            known = clean_field(document.get("name"), 200)
            spellings = [known, *(clean_field(n, 200) for n in as_list(document.get("alternate_names")))]
            if known and known != name and any(same_person(s, name) for s in spellings if s):
                return await self._books_by(known, user_waiting)
        return []

    async def _books_by(self, name: str, user_waiting: bool) -> list[dict]:
        data = await self._graphql(_AUTHOR_BOOKS, {"name": name, "limit": AUTHOR_LIMIT}, user_waiting)
        books = [as_dict(b) for b in as_list(data.get("books"))]
        return [b for b in books if _credited_as_author(b, name)]

    # ----- inside ------------------------------------------------------------------------

    def _entry(self, book: dict, place: dict, remarks: list[str] | None, where: str) -> ListedBook | None:
        book_id = book.get("id")
        if not isinstance(book_id, int | str) or isinstance(book_id, bool):
            return None
        editions = [as_dict(book.get(k)) for k in ("default_physical_edition", "default_ebook_edition",
                                                   "default_audio_edition")]
        identifiers = {"hardcover": str(book_id)}
        isbn = next((isbn13(e.get("isbn_13")) for e in editions if isbn13(e.get("isbn_13"))), None)
        if isbn:
            identifiers["isbn"] = isbn
        audio_asin = asin(editions[2].get("asin"))
        if audio_asin:
            identifiers["asin"] = audio_asin
        language = next((iso639_1(as_dict(e.get("language")).get("code2")) for e in editions
                         if iso639_1(as_dict(e.get("language")).get("code2"))), None)
        return listed_book(
            title=book.get("title"), subtitle=book.get("subtitle"), authors=_authors(book.get("contributions")),
            position=place.get("position"), details=place.get("details"),
            compilation=book.get("compilation") is True or place.get("compilation") is True,
            released=book.get("release_date") or book.get("release_year"), language=language,
            identifiers=identifiers, cover_url=https(as_dict(book.get("image")).get("url")),
            remarks=remarks, where=where)

    async def _graphql(self, query: str, variables: dict, user_waiting: bool) -> dict:
        return await graphql(self.client, self.base_url, self._token, self._key, query, variables,
                             user_waiting=user_waiting, service=LABEL)


def _int_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        number = int(value.strip())
        return number if number > 0 else None
    return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100_000 else None


def _authors(contributions: object) -> list[str]:
    """The people credited as author (Hardcover leaves ``contribution`` empty for them)."""
    names = []
    for entry in as_list(contributions):
        entry = as_dict(entry)
        if str(entry.get("contribution") or "").strip().lower() in _AUTHOR_ROLES:
            names.append(as_dict(entry.get("author")).get("name"))
    return [c.name for c in people(names)]


def _credited_as_author(book: dict, name: str) -> bool:
    """False when the person appears on the book only as narrator, translator, illustrator...;
    True when credited as author, or when the contributions are not there to say."""
    roles = [str(as_dict(e).get("contribution") or "").strip().lower() for e in as_list(book.get("contributions"))
             if same_person(as_dict(as_dict(e).get("author")).get("name"), name)]
    return not roles or any(role in _AUTHOR_ROLES for role in roles)


def _search_documents(data: dict) -> list[dict]:
    """The documents of a ``search`` answer, whose ``results`` may come as an object or as JSON text."""
    results = as_dict(data.get("search")).get("results")
    if isinstance(results, str):
        try:
            results = json.loads(results)
        except ValueError:
            return []
    hits = results if isinstance(results, list) else as_list(as_dict(results).get("hits"))
    documents = []
    for hit in hits:
        hit = as_dict(hit)
        document = hit.get("document", hit)
        if isinstance(document, dict):
            documents.append(document)
    return documents
