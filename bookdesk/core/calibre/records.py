"""A calibre library as plain records, what ``library_db.read_library`` makes of its ``metadata.db``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CalibreAuthor:
    name: str  # as calibre shows it ("O'Brien, Flann": calibre keeps a comma in a name as "|")
    sort: str  # calibre's author sort, often made by hand
    link: str = ""  # the address calibre's author link points at, if any


@dataclass(frozen=True, slots=True)
class CalibreFormat:
    format: str  # lower case: epub, pdf, azw3, ...
    path: Path  # where calibre keeps the file
    size: int  # on disk, when the library was read
    mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class CustomColumn:
    id: int
    label: str  # the machine name calibre uses ("read" for the column shown as #read)
    name: str  # the name a person sees ("Read")
    datatype: str  # bool, int, float, text, comments, datetime, enumeration, rating, series, composite
    is_multiple: bool
    normalized: bool  # its values live in a table of their own, linked to books
    display: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(slots=True)
class CalibreBook:
    id: int
    uuid: str
    title: str
    path: str  # its folder, relative to the library
    title_sort: str = ""  # calibre's title sort ("Tombs of Atuan, The"), often made by hand
    author_sort: str = ""  # calibre's author sort of this book ("Le Guin, Ursula K."): BookDesk keeps one per author
    authors: list[CalibreAuthor] = field(default_factory=list)
    series: str | None = None
    series_index: float | None = None
    tags: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)  # as calibre keeps them: isbn, amazon, goodreads...
    rating: int | None = None  # 0-10, calibre's half stars (BookDesk's scale too)
    publisher: str | None = None
    pubdate: str | None = None  # "1971-05-02"; None where calibre holds its "undefined" date
    timestamp: datetime | None = None  # when it was added to calibre
    last_modified: datetime | None = None
    languages: list[str] = field(default_factory=list)  # two-letter codes where known, else as calibre has them
    comments: str | None = None  # plain text (calibre keeps HTML)
    formats: list[CalibreFormat] = field(default_factory=list)
    cover: Path | None = None
    custom: dict[str, object] = field(default_factory=dict)  # column label -> value (a list for tag-like ones)
    problems: list[str] = field(default_factory=list)  # what of it could not be read, in words
    missing: list[str] = field(default_factory=list)  # formats calibre lists whose file is not on disk ("pdf")
    missing_at: list[Path] = field(default_factory=list)  # where calibre says each of those is, in that order

    def file_missing(self, kind: str, where: Path) -> str:
        """The words a file calibre lists but the disk has not gets, in the book's problems."""
        return f"{self.title}: its {kind.upper()} file is missing ({where}); the book comes over without it."

    def held_here(self, kinds: set[str]) -> None:
        """The formats of ``kinds`` are not missing after all: the book here has its own file of each (an
        import of files moved them out of calibre's folder, or had them from elsewhere)."""
        for kind, where in [(k, w) for k, w in zip(self.missing, self.missing_at, strict=True) if k in kinds]:
            self.missing.remove(kind)
            self.missing_at.remove(where)
            self.problems.remove(self.file_missing(kind, where))


@dataclass(slots=True)
class CalibreLibrary:
    folder: Path
    library_id: str  # calibre's uuid of the library
    books: list[CalibreBook] = field(default_factory=list)
    columns: list[CustomColumn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the library as a whole
