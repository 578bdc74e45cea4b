"""What the gap rules answer: per series and media kind, what is owned and missing, the missing books
with what the listings know of them, and the sentences that say why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple

from bookdesk.core.series.merge import ListedPosition
from bookdesk.core.series.policy import Flag
from bookdesk.core.series.wording import display_source, join_labels
from bookdesk.vocabulary.positions import format_number

EBOOK, AUDIOBOOK, ANY = "ebook", "audiobook", "any"
MEDIA_KINDS = (EBOOK, AUDIOBOOK)
KIND_BITS = {EBOOK: 1, AUDIOBOOK: 2}
COMPLETE, PARTIAL, INCOMPLETE = "complete", "partial", "incomplete"
POSITION_LABELS = {float(n): str(n) for n in range(0, 101)}  # format_number of the usual positions, ready
_NO_IDENTIFIERS: Mapping[str, str] = MappingProxyType({})


class MissingBook(NamedTuple):
    """A required position no work covers, with what the listings know of it.

    A named tuple: a library with thousands of missing audiobooks makes thousands of these.
    """

    position: float
    label: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    release_date: date | None = None
    cover_url: str | None = None
    language: str | None = None
    identifiers: Mapping[str, str] = _NO_IDENTIFIERS
    sources: tuple[str, ...] = ()  # the providers that list it; empty: the library alone says it exists
    wanted_work_id: int | None = None  # a wanted work already stands for it


class Shelf:
    """The missing books of one series, made when first asked for (most callers want only counts)."""

    __slots__ = ("books", "listed", "wanted")

    def __init__(self, listed: dict[float, ListedPosition], wanted: dict[float, int]) -> None:
        self.listed = listed
        self.wanted = wanted
        self.books: dict[float, MissingBook] = {}

    def authors(self, position: float) -> tuple[str, ...]:
        """The authors a listing gives for ``position``, without making its MissingBook."""
        found = self.books.get(position)
        if found is not None:
            return found.authors
        listed = self.listed.get(position)
        return tuple(a for a in listed.book.authors if isinstance(a, str)) \
            if listed is not None and isinstance(listed.book.authors, list | tuple) else ()

    def keep(self, positions: Iterable[float]) -> None:
        """Keep what the listings say of ``positions`` only: a library's worth of listed books kept alive
        for nothing would be walked by the garbage collector after every analysis."""
        listed = self.listed
        self.listed = {p: listed[p] for p in positions if p in listed}

    def book(self, position: float) -> MissingBook:
        found = self.books.get(position)
        if found is None:
            found = self.books[position] = _missing_book(position, self.listed.get(position),
                                                         self.wanted.get(position))
        return found


PLAIN_SHELF = Shelf({}, {})


@dataclass(slots=True)
class KindGaps:
    """Owned and missing for one media kind (or ``any``)."""

    media_kind: str
    owned_count: int  # covered positions (an omnibus 1-3 is 3), unnumbered labels, and books with no label
    missing_positions: tuple[float, ...]
    completion: float  # percent, one decimal
    status: str  # complete | partial | incomplete
    _labels: dict[str, float] = field(repr=False, compare=False)
    _shelf: Shelf = field(repr=False, compare=False)

    @property
    def owned(self) -> tuple[str, ...]:
        """Owned labels in series order ("Prequel", "1-3", "4", "4.5"); one per position."""
        labels = self._labels
        return tuple(sorted(labels, key=labels.__getitem__)) if len(labels) > 1 else tuple(labels)

    @property
    def missing(self) -> tuple[MissingBook, ...]:
        return tuple([self._shelf.book(p) for p in self.missing_positions])

    @property
    def missing_labels(self) -> list[str]:
        return [POSITION_LABELS.get(p) or format_number(p) for p in self.missing_positions]

    def listed_authors(self, position: float) -> tuple[str, ...]:
        """The authors a provider gives for a missing position (empty when none does)."""
        return self._shelf.authors(position)


@dataclass(slots=True)
class SourceReport:
    """What one provider's listing says against the library."""

    source: str
    series_name: str
    listed: int  # its count of primary books
    have: int
    missing: tuple[str, ...]
    upcoming: tuple[str, ...]
    partial: bool = False  # the source gave no count: it listed some books, not the series

    def sentence(self) -> str:
        books = "book" if self.listed == 1 else "books"
        if self.partial:
            text = (f"{display_source(self.source)} lists {self.listed} {books} of this series but not how many it "
                    f"has; you have {self.have} of {'it' if self.listed == 1 else 'them'}")
            text += f"; missing {join_labels(self.missing)}" if self.missing else ""
        else:
            text = f"{display_source(self.source)} lists {self.listed} primary {books}; you have {self.have}; "
            text += f"missing {join_labels(self.missing)}" if self.missing else "nothing missing"
        if self.upcoming:
            text += f"; {join_labels(self.upcoming)} not out yet"
        return text


@dataclass(slots=True)
class SeriesGaps:
    series_id: int
    name: str
    monitored: bool
    ignored: bool  # the user is not interested in this series
    total: int | None
    sources: tuple[str, ...]  # the providers whose listings were used, preferred first
    overall: KindGaps  # any media kind
    ebook: KindGaps
    audiobook: KindGaps
    upcoming: tuple[MissingBook, ...]
    ignored_positions: tuple[str, ...]
    reports: tuple[SourceReport, ...]
    flags: tuple[Flag, ...]
    library_top: int = 0  # the highest whole position the library names (for the library-only sentence)
    library_have: int = 0  # of positions 1..library_top, how many are owned
    library_numbered: int = 0  # how many numbered positions the library names (0.5 and 2.5 included)

    def kind(self, media_kind: str | None) -> KindGaps:
        if media_kind in (None, ANY):
            return self.overall
        if media_kind == EBOOK:
            return self.ebook
        if media_kind == AUDIOBOOK:
            return self.audiobook
        raise ValueError(f"unknown media kind {media_kind!r}")

    @property
    def missing(self) -> tuple[MissingBook, ...]:
        return self.overall.missing

    @property
    def complete(self) -> bool:
        return not self.overall.missing_positions

    @property
    def confidence(self) -> str:
        """Why the answer is what it is: "Hardcover lists 9 primary books; you have 6; missing 3, 5 and 8"."""
        if self.reports:
            text = ". ".join(report.sentence() for report in self.reports)
            if all(report.partial for report in self.reports):  # listings of some books prove nothing whole
                text += (". No provider says how many books the series has, so "
                         + ("more may be missing" if self.overall.missing_positions else
                            "it is not known to be complete"))
            return text
        if not self.library_top:
            if self.library_numbered:  # "0.5", "0": a number, but none that says which books exist
                return "No provider lists this series, and your books in it are numbered only before book 1."
            return "No provider lists this series, and none of your books in it carries a number."
        text = (f"No provider lists this series; from your library, books 1 to {self.library_top}: "
                f"you have {self.library_have}; ")
        missing = self.overall.missing_labels
        return text + (f"missing {join_labels(missing)}" if missing else "nothing missing")


def _missing_book(position: float, listed: ListedPosition | None, wanted_work_id: int | None) -> MissingBook:
    label = POSITION_LABELS.get(position) or format_number(position)
    if listed is None:
        return MissingBook(position, label, wanted_work_id=wanted_work_id)
    book = listed.book  # as a provider client made it: take only what has the right shape
    return MissingBook(
        position, label, book.title if isinstance(book.title, str) and book.title else None,
        tuple(a for a in book.authors if isinstance(a, str)) if isinstance(book.authors, list | tuple) else (),
        _release_day(book.release_date),
        book.cover_url if isinstance(book.cover_url, str) else None,
        book.language if isinstance(book.language, str) else None,
        MappingProxyType(book.identifiers) if isinstance(book.identifiers, dict) and book.identifiers
        else _NO_IDENTIFIERS,
        tuple(listed.sources), wanted_work_id)


def _release_day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
