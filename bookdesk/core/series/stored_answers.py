"""A series' gaps as the catalog keeps them (data/gap_answers.py): written as compact JSON, read back into
the same SeriesGaps a fresh analysis makes, down to each missing book's listing details.

JSON, not pickle: what the catalog holds must never be able to run code. Lists rather than objects, and
every answer of a library parsed in one ``json.loads``: 12,000 series are read back in a fraction of the
time working them out takes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from types import MappingProxyType

from bookdesk.core.series.gap_results import (
    ANY,
    AUDIOBOOK,
    COMPLETE,
    EBOOK,
    INCOMPLETE,
    PARTIAL,
    PLAIN_SHELF,
    KindGaps,
    MissingBook,
    SeriesGaps,
    Shelf,
    SourceReport,
)
from bookdesk.core.series.policy import Flag, GapPolicy

# Bumped whenever the rules or the encoding change what an answer holds: answers of another format are
# under another key, so they are worked out again rather than read wrong.
FORMAT = 2
_STATUSES = (COMPLETE, PARTIAL, INCOMPLETE)  # kept as their index: one small int, not a new string, each
_STATUS_INDEX = {status: index for index, status in enumerate(_STATUSES)}
_NO_IDENTIFIERS: MappingProxyType = MappingProxyType({})


def answer_key(policy: GapPolicy, day: date, provider_order: Sequence[str]) -> str:
    """Everything an answer depends on besides the catalog: the rules' format, the policy, the day (what is
    not out yet) and which provider's listing is preferred."""
    return json.dumps([FORMAT, policy.language, policy.novellas, day.isoformat(), list(provider_order)])  # day 4th


def other_day(key: str, other: str) -> bool:
    """Whether ``other`` is ``key`` on another day: its answers hold for every series whose answer the day
    cannot change (data/gap_answers.dated_series)."""
    try:
        mine, theirs = json.loads(key), json.loads(other)
    except ValueError:
        return False
    return isinstance(theirs, list) and len(theirs) == len(mine) and theirs[3] != mine[3] \
        and theirs[:3] + theirs[4:] == mine[:3] + mine[4:]


def encode(gaps: SeriesGaps) -> tuple[str, str]:
    """The answer, and apart from it its missing books (most readers never ask for them)."""
    shelf = gaps.overall._shelf
    books: dict[float, MissingBook] = {}
    if shelf is not PLAIN_SHELF:  # missing books with what listings or wanted works say of them
        for kind in (gaps.overall, gaps.ebook, gaps.audiobook):
            for book in kind.missing:
                books[book.position] = book
    for book in gaps.upcoming:
        books.setdefault(book.position, book)
    # One flat list, an empty one as 0 and the ebooks' or audiobooks' labels as 0 when the same as any kind's:
    # what reading back costs is the objects JSON makes, and most series have few things to say.
    overall = gaps.overall._labels
    flat: list = [gaps.name, gaps.monitored, gaps.ignored, gaps.total, gaps.sources or 0, shelf is PLAIN_SHELF]
    for kind in (gaps.overall, gaps.ebook, gaps.audiobook):
        flat += [kind.owned_count, kind.missing_positions or 0, kind.completion, _STATUS_INDEX[kind.status],
                 0 if kind is not gaps.overall and kind._labels == overall else kind._labels]
    flat += [[b.position for b in gaps.upcoming] or 0, gaps.ignored_positions or 0,
             [[r.source, r.series_name, r.listed, r.have, r.missing, r.upcoming, r.partial] for r in gaps.reports] or 0,
             [[f.code, f.message] for f in gaps.flags] or 0, gaps.library_top, gaps.library_have,
             gaps.library_numbered]
    answer = json.dumps(flat, ensure_ascii=False, separators=(",", ":"))
    return answer, json.dumps([_book(b) for b in books.values()], ensure_ascii=False, separators=(",", ":")) \
        if books else ""


def decode_all(answers: Sequence[tuple[int, str, str]]) -> list[SeriesGaps]:
    """(series id, answer, books) as ``encode`` made them back into SeriesGaps, in the same order."""
    if not answers:
        return []
    parsed = json.loads("[" + ",".join([text for _, text, _ in answers]) + "]")
    return [_gaps(series_id, data, books) for (series_id, _, books), data in zip(answers, parsed, strict=True)]


class _KeptShelf(Shelf):
    """The missing books of a series as kept, read when first asked for: most callers want only counts, and
    reading every book of a library at once was most of the time of reading the answers back."""

    __slots__ = ("kept",)

    def __init__(self, kept: str) -> None:
        super().__init__({}, {})
        self.kept = kept

    def book(self, position: float) -> MissingBook:
        if self.kept:
            self._read()
        return Shelf.book(self, position)

    def authors(self, position: float) -> tuple[str, ...]:
        if self.kept:
            self._read()
        return Shelf.authors(self, position)

    def _read(self) -> None:
        self.books = {b[0]: _missing_book(b) for b in json.loads(self.kept)}
        self.kept = ""


def _book(book: MissingBook) -> list:
    return [book.position, book.label, book.title, book.authors,
            book.release_date.isoformat() if book.release_date else None, book.cover_url, book.language,
            dict(book.identifiers), book.sources, book.wanted_work_id]


def _missing_book(data: list) -> MissingBook:
    position, label, title, authors, released, cover, language, identifiers, sources, wanted = data
    return MissingBook(position, label, title, tuple(authors), date.fromisoformat(released) if released else None,
                       cover, language, MappingProxyType(identifiers) if identifiers else _NO_IDENTIFIERS,
                       tuple(sources), wanted)


def _gaps(series_id: int, data: list, books: str) -> SeriesGaps:
    (name, monitored, ignored, total, sources, plain, owned0, missing0, done0, status0, labels0, owned1, missing1,
     done1, status1, labels1, owned2, missing2, done2, status2, labels2, upcoming, ignored_positions, reports, flags,
     top, have, numbered) = data
    shelf = PLAIN_SHELF if plain and not books else _KeptShelf(books)
    statuses = _STATUSES
    overall = KindGaps(ANY, owned0, tuple(missing0) if missing0 else (), done0, statuses[status0], labels0, shelf)
    ebook = KindGaps(EBOOK, owned1, tuple(missing1) if missing1 else (), done1, statuses[status1],
                     labels0 if labels1 == 0 else labels1, shelf)
    audiobook = KindGaps(AUDIOBOOK, owned2, tuple(missing2) if missing2 else (), done2, statuses[status2],
                         labels0 if labels2 == 0 else labels2, shelf)
    return SeriesGaps(
        series_id, name, monitored, ignored, total, tuple(sources) if sources else (), overall, ebook, audiobook,
        tuple([shelf.book(p) for p in upcoming]) if upcoming else (),
        tuple(ignored_positions) if ignored_positions else (),
        tuple([SourceReport(r[0], r[1], r[2], r[3], tuple(r[4]), tuple(r[5]), r[6]) for r in reports])
        if reports else (),
        tuple([Flag(code, message) for code, message in flags]) if flags else (), top, have, numbered)
