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
    EBOOK,
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
FORMAT = 1
_KINDS = (ANY, EBOOK, AUDIOBOOK)
_NO_IDENTIFIERS: MappingProxyType = MappingProxyType({})


def answer_key(policy: GapPolicy, day: date, provider_order: Sequence[str]) -> str:
    """Everything an answer depends on besides the catalog: the rules' format, the policy, the day (what is
    not out yet) and which provider's listing is preferred."""
    return json.dumps([FORMAT, policy.language, policy.novellas, day.isoformat(), list(provider_order)])


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
    overall = gaps.overall._labels
    answer = json.dumps(
        [gaps.name, gaps.monitored, gaps.ignored, gaps.total, gaps.sources,
         [[k.owned_count, k.missing_positions, k.completion, k.status, 0 if k is not gaps.overall
           and k._labels == overall else k._labels] for k in (gaps.overall, gaps.ebook, gaps.audiobook)],
         [b.position for b in gaps.upcoming], gaps.ignored_positions,
         [[r.source, r.series_name, r.listed, r.have, r.missing, r.upcoming, r.partial] for r in gaps.reports],
         [[f.code, f.message] for f in gaps.flags], gaps.library_top, gaps.library_have, gaps.library_numbered,
         shelf is PLAIN_SHELF], ensure_ascii=False, separators=(",", ":"))
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
    (name, monitored, ignored, total, sources, kinds, upcoming, ignored_positions, reports, flags, top, have,
     numbered, plain) = data
    shelf = PLAIN_SHELF if plain and not books else _KeptShelf(books)
    labels = kinds[0][4]  # the ebooks' or audiobooks' labels when the same as any kind's: 0
    overall, ebook, audiobook = [KindGaps(kind, k[0], tuple(k[1]) if k[1] else (), k[2], k[3],
                                          labels if k[4] == 0 else k[4], shelf)
                                 for kind, k in zip(_KINDS, kinds, strict=True)]
    return SeriesGaps(
        series_id, name, monitored, ignored, total, tuple(sources) if sources else (), overall, ebook, audiobook,
        tuple([shelf.book(p) for p in upcoming]) if upcoming else (),
        tuple(ignored_positions) if ignored_positions else (),
        tuple([SourceReport(r[0], r[1], r[2], r[3], tuple(r[4]), tuple(r[5]), r[6]) for r in reports])
        if reports else (),
        tuple([Flag(code, message) for code, message in flags]) if flags else (), top, have, numbered)
