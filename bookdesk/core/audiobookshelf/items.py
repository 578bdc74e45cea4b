"""An Audiobookshelf library item as a plain record, read from what the server sent (an expanded item of
``POST /api/items/batch/get``). The server is a stranger like any provider: every string is made plain
and bounded, a list of people is cut at ``MAX_PEOPLE``, and an item without a title is named by its folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.providers.sanitise import clean_field, plain_text
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef

MAX_PEOPLE = 50  # an item naming thousands of authors is broken, not a book by thousands
MAX_LIST = 50


@dataclass(frozen=True, slots=True)
class AbsItem:
    item_id: str
    library_id: str
    path: str  # the item's folder (or file) as the server sees it
    files: tuple[str, ...]  # its files' paths as the server sees them
    updated_at: int | None  # the server's updatedAt, in ms
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    narrators: tuple[str, ...]
    series: tuple[tuple[str, str], ...]  # (name, sequence as written)
    asin: str | None
    isbn: str | None
    year: str | None
    language: str | None
    publisher: str | None
    genres: tuple[str, ...]
    description: str | None
    duration_seconds: float | None
    has_audio: bool
    has_ebook: bool

    def metadata(self) -> BookMetadata:
        """What BookDesk's matching reads (``importer/already_here.py``)."""
        return BookMetadata(title=self.title, contributors=self._people(), identifiers=self._identifiers())

    def new_work(self) -> NewWork:
        """A work for an item that no local book is: on the server only, owned, no file here."""
        return NewWork(title=self.title, contributors=self._people(),
                       series=[SeriesRef(name, sequence) for name, sequence in self.series],
                       identifiers=self._identifiers(), tags=list(self.genres), subtitle=self.subtitle,
                       description=self.description, language=self.language, publisher=self.publisher,
                       first_published=self.year)

    def kinds(self) -> tuple[str, ...]:
        """The media kinds the server holds of it."""
        return (("audiobook",) if self.has_audio else ()) + (("ebook",) if self.has_ebook else ())

    def snapshot(self) -> dict[str, Any]:
        """The metadata as pulled, kept with the link: what a later push compares with."""
        return {"title": self.title, "subtitle": self.subtitle, "authors": list(self.authors),
                "narrators": list(self.narrators), "series": [list(s) for s in self.series], "asin": self.asin,
                "isbn": self.isbn, "year": self.year, "language": self.language, "publisher": self.publisher,
                "genres": list(self.genres), "description": self.description}

    def _people(self) -> list[Contributor]:
        return [Contributor(a) for a in self.authors] + [Contributor(n, "narrator") for n in self.narrators]

    def _identifiers(self) -> dict[str, str]:
        return {k: v for k, v in (("asin", self.asin), ("isbn", self.isbn)) if v}


def parse_item(raw: dict[str, Any]) -> AbsItem | None:
    """The item, or None when it is not a book (a podcast) or has no id."""
    item_id = clean_field(raw.get("id"), 200)
    media = raw.get("media")
    if not item_id or raw.get("mediaType", "book") != "book" or not isinstance(media, dict):
        return None
    meta = media.get("metadata") if isinstance(media.get("metadata"), dict) else {}
    path = str(raw.get("path") or "")
    files = tuple(str(f.get("metadata", {}).get("path") or "") for f in _dicts(raw.get("libraryFiles")))
    title = clean_field(meta.get("title")) or clean_field(PurePosixPath(path).name) or "Untitled"
    audio = _dicts(media.get("audioFiles")) or _dicts(media.get("tracks"))
    duration = media.get("duration")
    return AbsItem(
        item_id=item_id, library_id=str(raw.get("libraryId") or ""), path=path, files=tuple(f for f in files if f),
        updated_at=raw.get("updatedAt") if isinstance(raw.get("updatedAt"), int) else None,
        title=title, subtitle=clean_field(meta.get("subtitle")),
        authors=_names([a.get("name") for a in _dicts(meta.get("authors"))]),
        narrators=_names(meta.get("narrators") if isinstance(meta.get("narrators"), list) else []),
        series=tuple((name, clean_field(s.get("sequence"), 32) or "") for s in _dicts(meta.get("series"))[:MAX_LIST]
                     if (name := clean_field(s.get("name")))),
        asin=normalise_asin(str(meta.get("asin") or "")) if meta.get("asin") else None,
        isbn=normalise_isbn(str(meta.get("isbn") or "")) if meta.get("isbn") else None,
        year=clean_field(meta.get("publishedYear"), 32), language=clean_field(meta.get("language"), 32),
        publisher=clean_field(meta.get("publisher")),
        genres=_names(meta.get("genres") if isinstance(meta.get("genres"), list) else [], MAX_LIST),
        description=plain_text(meta.get("description")),
        duration_seconds=float(duration) if isinstance(duration, int | float) and duration > 0 else None,
        has_audio=bool(audio) or bool(media.get("numAudioFiles")),
        has_ebook=isinstance(media.get("ebookFile"), dict) or bool(media.get("ebookFormat")))


def finished(progress: dict[str, dict], item_id: str) -> tuple[bool, float | None]:
    """Whether the user finished the item, and how far they are (0..1), from ``GET /api/me``."""
    found = progress.get(item_id)
    if not found:
        return False, None
    value = found.get("progress")
    return bool(found.get("isFinished")), float(value) if isinstance(value, int | float) else None


def _dicts(value: object) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _names(values: list, limit: int = MAX_PEOPLE) -> tuple[str, ...]:
    cleaned = (clean_field(v) for v in values[:limit * 4])
    return tuple(dict.fromkeys(v for v in cleaned if v))[:limit]
