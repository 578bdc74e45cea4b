"""What a book says about itself (file, sidecar, folder name), before any provider is asked."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from bookdesk.data.catalog_rows import Contributor, SeriesRef


@dataclass(frozen=True, slots=True)
class Chapter:
    title: str
    start_seconds: float


@dataclass(slots=True)
class BookMetadata:
    title: str = ""
    contributors: list[Contributor] = field(default_factory=list)  # authors, narrators, editors, ...
    series: list[SeriesRef] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)  # isbn (13 digits), asin, ...
    language: str | None = None
    publisher: str | None = None
    published: str | None = None  # as given: "2004", "2004-05-01"
    description: str | None = None
    subjects: list[str] = field(default_factory=list)
    subtitle: str | None = None
    cover: bytes | None = None
    cover_ext: str | None = None
    duration_seconds: float | None = None  # audiobooks
    chapters: list[Chapter] = field(default_factory=list)  # audiobooks

    @property
    def authors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role == "author"]

    @property
    def narrators(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role == "narrator"]

    def filled_from(self, weaker: BookMetadata) -> BookMetadata:
        """This metadata, with every field it lacks taken from ``weaker``. People are merged per
        role: a role this one names wins whole; identifiers are merged key by key."""
        merged = BookMetadata()
        for f in fields(BookMetadata):
            mine, theirs = getattr(self, f.name), getattr(weaker, f.name)
            setattr(merged, f.name, mine if mine not in (None, "", [], {}) else theirs)
        roles = {c.role for c in self.contributors}
        merged.contributors = list(self.contributors) + [c for c in weaker.contributors if c.role not in roles]
        merged.identifiers = {**weaker.identifiers, **self.identifiers}
        if self.cover is None and weaker.cover is not None:
            merged.cover, merged.cover_ext = weaker.cover, weaker.cover_ext
        return merged


def one_book(richer: BookMetadata, other: BookMetadata) -> BookMetadata:
    """What two files of one book (an EPUB and its M4B) say of the work together, field by field.

    ``richer`` is the file whose bibliographic fields win where both have one: the ebook, whose
    package document carries series and position, ISBN, language, date and cover, where an
    audiobook's tags are thinner. A field ``richer`` lacks comes from ``other`` (people per role:
    the audiobook's narrators join the ebook's authors; identifiers key by key); a series ``richer``
    names without a position takes the position ``other`` gives it; and the book was first
    published at the earlier of the two dates (an audiobook's year is usually its recording's).
    """
    merged = richer.filled_from(other)
    positions = {s.name.casefold(): s for s in other.series if s.label}
    merged.series = [positions.get(s.name.casefold(), s) if not s.label else s for s in merged.series]
    merged.published = _earlier(richer.published, other.published)
    return merged


def _earlier(first: str | None, second: str | None) -> str | None:
    """The earlier of two dates as given ("2004-05-01", "2015"); the fuller one when their years agree."""
    if not first or not second:
        return first or second
    a, b = first[:4], second[:4]
    if not (a.isdigit() and b.isdigit()) or a == b:
        return first if len(first) >= len(second) else second
    return first if a < b else second
