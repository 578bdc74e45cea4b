"""Several providers' listings of one series merged into required and upcoming positions.

Each source keeps what it said (its positions, its count); the merged view keeps, per
position, the preferred source's book and every source that lists it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bookdesk.core.series.listing import ListedBook, SeriesListing
from bookdesk.core.series.policy import Flag, GapPolicy
from bookdesk.core.series.wording import display_source, folded_title, iso_language, join_labels, same_title
from bookdesk.vocabulary.positions import format_number, position_of

_INF = float("inf")
_MAX_FILL = 100  # a listing skipping positions below this is read as a hole in it; above, as a numbering by year


class ListedPosition:
    """A listed position: the preferred source's book and every source that lists it."""

    __slots__ = ("book", "sources")

    def __init__(self, book: ListedBook, source: str) -> None:
        self.book = book
        self.sources = [source]


@dataclass(slots=True)
class SourcePositions:
    source: str
    series_name: str
    count: int  # the source's count of primary books: its own total, else the numbered positions it lists
    required: set[float] = field(default_factory=set)
    upcoming: set[float] = field(default_factory=set)
    # No count of its own: the listing shows some books of the series, never how many there are
    # (Audnexus lists only the books it was asked about, Open Library's series pages are incomplete).
    partial: bool = False


@dataclass(slots=True)
class MergedListings:
    positions: dict[float, ListedPosition]
    sources: list[SourcePositions]
    total: int | None

    def required(self) -> set[float]:
        return set().union(*(s.required for s in self.sources))

    def upcoming(self) -> set[float]:
        return set().union(*(s.upcoming for s in self.sources))


def merge_listings(name: str, listings: Sequence[SeriesListing], policy: GapPolicy, today: date,
                   flags: list[Flag]) -> MergedListings:
    """Required and upcoming positions of every listing, merged keeping which source said what.

    A listed book is left out when it has no number, is a compilation or a range ("1-3"), is
    an edition of another position ("Book 2, Dramatized Adaptation"), is a novella and the
    policy does not ask for them, or is in another language than the user's. One released
    later than ``today`` is upcoming. A whole position a listing skips is required, title unknown.
    A listing without a count (``total_primary`` None) is partial: its books are required, but it gives
    no total and is no evidence that nothing else is missing.
    """
    merged: dict[float, ListedPosition] = {}
    sources: list[SourcePositions] = []
    language = iso_language(policy.language) if policy.language else None
    for listing in listings:
        shown = display_source(listing.source)
        if isinstance(listing.series_name, str) and listing.series_name and listing.series_name != name \
                and folded_title(listing.series_name) != folded_title(name):
            flags.append(Flag("renamed", f"{shown} calls this series {listing.series_name!r}."))
        report = SourcePositions(listing.source, listing.series_name, 0)
        mine, numbered = _listed_books(listing, shown, policy.novellas, language, today, report, flags)
        _count_positions(listing, shown, numbered, report, flags)
        _merge_into(merged, mine, listing.source, shown, flags)
        sources.append(report)
    counts = {s.source: s.count for s in sources if not s.partial}  # a partial listing counts nothing
    if len(set(counts.values())) > 1:
        said = ", ".join(f"{display_source(s)} {n}" for s, n in counts.items())
        flags.append(Flag("sources_disagree", f"The sources count the primary books differently: {said}."))
    return MergedListings(merged, sources, max(counts.values()) if counts else None)


def _listed_books(listing: SeriesListing, shown: str, novellas: bool, language: str | None, today: date,
                  report: SourcePositions, flags: list[Flag]) -> tuple[dict[float, ListedBook], set[float]]:
    """The books of one listing that count, by position (each sorted into the report's required or upcoming),
    and the whole positions it numbers."""
    mine: dict[float, ListedBook] = {}
    numbered: set[float] = set()
    for book in listing.entries:
        if book.is_compilation:
            continue
        key, label = book.sort_key, book.label
        if type(key) is float and 0 <= key < _INF and type(label) is str and label.isdigit():
            position = key  # the usual entry: "3" at 3.0, nothing to read
        else:
            found = position_of(label, key)
            if found.start is None or found.end is not None:
                continue
            position = found.start
            if found.secondary:
                flags.append(Flag("edition", f"{shown} lists {book.title or label!r} ({label or position}) "
                                             f"as an edition of book {found.label}, not a book of its own."))
                continue
        if position == int(position):
            numbered.add(position)
        elif not novellas:
            continue
        if language and isinstance(book.language, str) and iso_language(book.language) not in (None, language):
            continue
        first = mine.get(position)
        if first is not None:
            if not same_title(first.title, book.title):
                flags.append(Flag("duplicate_position", f"{shown} lists two books at {format_number(position)}: "
                                                        f"{first.title!r} and {book.title!r}; the first is kept."))
            continue
        mine[position] = book
        if _day(book.release_date) > today:
            report.upcoming.add(position)
        else:
            report.required.add(position)
    return mine, numbered


def _count_positions(listing: SeriesListing, shown: str, numbered: set[float], report: SourcePositions,
                     flags: list[Flag]) -> None:
    """The listing's count of primary books (its own, else its numbered positions with the ones it skips, which
    become required) and whether it is partial."""
    skipped: list[float] = []
    if numbered:
        top = int(max(numbered))
        if top <= _MAX_FILL:
            skipped = [float(n) for n in range(1, top + 1) if n not in numbered]
        if skipped:
            flags.append(Flag("skipped_position",
                              f"{shown} lists no book {join_labels(map(format_number, skipped))}; "
                              "counted as missing with the title unknown."))
            report.required.update(skipped)
    report.count = len(numbered) + len(skipped)
    primary = listing.total_primary
    report.partial = not (isinstance(primary, int) and not isinstance(primary, bool) and primary >= 0)
    if not report.partial:
        if primary != report.count and numbered:
            flags.append(Flag("count_mismatch", f"{shown} counts {primary} primary books but lists "
                                                f"{report.count} numbered positions."))
        report.count = primary


def _merge_into(merged: dict[float, ListedPosition], mine: dict[float, ListedBook], source: str, shown: str,
                flags: list[Flag]) -> None:
    """One source's books added to the merged positions: the first source's book stays, later ones are noted."""
    for position, book in mine.items():
        seen = merged.get(position)
        if seen is None:
            merged[position] = ListedPosition(book, source)
            continue
        if source not in seen.sources:
            seen.sources.append(source)
        if not same_title(seen.book.title, book.title):
            flags.append(Flag("sources_disagree", f"Book {format_number(position)} is {seen.book.title!r} for "
                                                  f"{display_source(seen.sources[0])} and {book.title!r} for {shown}."))


def _day(value: object) -> date:
    """A listed release date as a day (a datetime is cut to its day); ``date.min`` when there is none."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.min
