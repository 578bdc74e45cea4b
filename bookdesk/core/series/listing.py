"""What a provider says a series holds: the plain records the provider side hands over to be stored.

``SeriesListing.books_json`` / ``from_stored`` are the stored form: a JSON array with one array
per book, its fields in ``ListedBook`` order (every listed book of a library is read at once,
and arrays read twice as fast as objects). Reading is forgiving: a field of the wrong type is
dropped, never the listing; a book stored as an object (field names as keys) reads too.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any


@dataclass(slots=True)
class ListedBook:
    """One book a provider lists in a series, with the position as the provider prints it."""

    title: str
    authors: list[str] = field(default_factory=list)
    label: str = ""  # as printed: "3", "2.5", "1-3", "Book 2, Dramatized Adaptation", "Prequel"
    sort_key: float | None = None  # the provider's own number for the position, when it gives one
    is_compilation: bool = False  # a box set or omnibus: never a required position
    release_date: date | None = None
    language: str | None = None  # any form ("en", "eng", "English"); compared as ISO 639-1
    identifiers: dict[str, str] = field(default_factory=dict)
    cover_url: str | None = None


@dataclass(slots=True)
class SeriesListing:
    """Every book one provider lists in one series."""

    source: str  # the provider's key: hardcover, audnexus, googlebooks, openlibrary
    series_name: str
    provider_series_id: str | None = None
    total_primary: int | None = None  # the provider's count of primary (numbered, non-compilation) books
    entries: list[ListedBook] = field(default_factory=list)

    def books_json(self) -> str:
        """The entries as the catalog stores them."""
        stored = [_book_dict(book) for book in self.entries]
        return json.dumps([[fields[name] for name in _FIELDS] for fields in stored], ensure_ascii=False,
                          separators=(",", ":"))

    @classmethod
    def from_stored(cls, source: str, series_name: str, provider_series_id: str | None,
                    total_primary: int | None, books_json: str) -> SeriesListing:
        return cls(source=source, series_name=series_name, provider_series_id=provider_series_id,
                   total_primary=total_primary, entries=books_from_json(books_json))


def _book_dict(book: ListedBook) -> dict[str, Any]:
    """The stored form; a field of the wrong shape is stored as nothing rather than failing the listing."""
    authors = book.authors
    released = book.release_date
    return {"title": book.title if isinstance(book.title, str) else str(book.title or ""),
            "authors": [authors] if isinstance(authors, str) else
            [str(a) for a in authors if a] if isinstance(authors, list | tuple) else [],
            "label": book.label if isinstance(book.label, str) else str(book.label or ""),
            "sort_key": book.sort_key if isinstance(book.sort_key, int | float) and not isinstance(book.sort_key, bool)
            and math.isfinite(book.sort_key) else None,
            "is_compilation": bool(book.is_compilation),
            "release_date": released.isoformat() if isinstance(released, date) else
            released if isinstance(released, str) else None,
            "language": book.language if isinstance(book.language, str) else None,
            "identifiers": {str(k): str(v) for k, v in book.identifiers.items() if v}
            if isinstance(book.identifiers, dict) else {},
            "cover_url": book.cover_url if isinstance(book.cover_url, str) else None}


def books_from_json(text: str) -> list[ListedBook]:
    """The stored entries; anything unreadable is dropped rather than failing the series."""
    try:
        raw = json.loads(text)
    except (TypeError, ValueError):
        return []
    if not isinstance(raw, list):
        return []
    books: list[ListedBook] = []
    for item in raw:
        if type(item) is list:
            if len(item) == len(_FIELDS):
                books.append(_book_of(*item))
        elif type(item) is dict:
            books.append(_book_of(*(item.get(name) for name in _FIELDS)))
    return books


_FIELDS = ("title", "authors", "label", "sort_key", "is_compilation", "release_date", "language", "identifiers",
           "cover_url")  # the order of ListedBook's fields and of the stored arrays


def _book_of(title: object, authors: object, label: object, sort_key: object, is_compilation: object,
             release_date: object, language: object, identifiers: object, cover_url: object) -> ListedBook:
    # Lists and maps are taken as read; the rules look at their items' types where it matters.
    return ListedBook(
        title if type(title) is str else "" if title is None else str(title),
        authors if type(authors) is list else [],
        label if type(label) is str else str(label or ""),
        sort_key if type(sort_key) is float else float(sort_key) if type(sort_key) is int else None,
        bool(is_compilation),
        _date(release_date),
        language if type(language) is str else None,
        identifiers if type(identifiers) is dict else {},
        cover_url if type(cover_url) is str else None,
    )


def _date(value: object) -> date | None:
    if type(value) is not str:
        return None
    try:
        return date.fromisoformat(value)  # what books_json writes
    except ValueError:
        return parse_date(value)


@lru_cache(maxsize=4096)  # the wanted list reads the same few thousand dates each time it is read again
def parse_date(value: str | None) -> date | None:
    """ "2025-03-04" -> that day; "2025-03" or "2025" -> the first day of it; anything else -> None."""
    if not value:
        return None
    text = value.strip()[:10]
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        if len(parts) == 1 and len(text) == 4:
            return date(int(text), 1, 1)
    except ValueError:
        return None
    return None
