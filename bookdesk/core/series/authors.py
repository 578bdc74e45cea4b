"""Authors' figures: what each has per media kind, and what is missing of the series they write.

Definitions:

- *Owned* (per kind): books crediting the author (as author) that cover that kind (see gaps.py).
- *Missing* (per kind): the missing books of the series the author writes. A missing book a
  provider lists with its authors counts for the authors it names (matched by name or alias);
  one without named authors counts for the series' main author: whoever is credited on most
  of its books (all of them, when several are credited equally). Series the user ignores and
  books not out yet are not missing.
- Completion: owned / (owned + missing); status as for series: complete when nothing is
  missing, partial when something is owned, incomplete otherwise.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence

from bookdesk.core.series.gaps import SeriesGaps
from bookdesk.core.series.summaries import AuthorOverview, counted_figures
from bookdesk.data.author_repository import AuthorCounts, AuthorRecord
from bookdesk.vocabulary.folding import fold


def main_authors(credits: Iterable[tuple[int, int, int]]) -> dict[int, tuple[int, ...]]:
    """Series id -> the authors credited on most of its books, from (series, author, books) rows."""
    best: dict[int, tuple[int, list[int]]] = {}
    for series_id, author_id, books in credits:
        found = best.get(series_id)
        if found is None or books > found[0]:
            best[series_id] = (books, [author_id])
        elif books == found[0]:
            found[1].append(author_id)
    return {series_id: tuple(sorted(ids)) for series_id, (_, ids) in best.items()}


class NameIndex:
    """Author ids by name or alias: exact first, then case and accents aside (folded only when needed)."""

    def __init__(self, people: Iterable[tuple[int, str, Iterable[str]]]) -> None:
        self._people = list(people)
        self._exact = {name: author_id for author_id, name, aliases in self._people for name in (*aliases, name)}
        self._folded: dict[str, int] | None = None
        self._seen: dict[str, int | None] = {}

    def get(self, name: str) -> int | None:
        found = self._exact.get(name)
        if found is not None:
            return found
        if name in self._seen:
            return self._seen[name]
        if self._folded is None:
            self._folded = {fold(n): author_id for author_id, name_, aliases in self._people
                            for n in (*aliases, name_)}
        found = self._seen[name] = self._folded.get(fold(name))
        return found


def missing_by_author(gaps: Iterable[SeriesGaps], mains: Mapping[int, tuple[int, ...]],
                      names: NameIndex) -> dict[int, list[int]]:
    """Author id -> [missing in any kind, missing ebooks, missing audiobooks].

    ``names`` finds the authors that listings give among the library's authors.
    """
    counts: dict[int, list[int]] = {}
    for series in gaps:
        if series.ignored:
            continue
        default = mains.get(series.series_id, ())
        for index, kind in enumerate((series.overall, series.ebook, series.audiobook)):
            positions = kind.missing_positions
            if not positions:
                continue
            if not series.sources:  # the library alone: every missing book is the main author's
                for author_id in default:
                    counts.setdefault(author_id, [0, 0, 0])[index] += len(positions)
                continue
            for position in positions:
                named = {found for a in kind.listed_authors(position) if (found := names.get(a)) is not None}
                for author_id in named or default:
                    counts.setdefault(author_id, [0, 0, 0])[index] += 1
    return counts


def author_overviews(people: Sequence[AuthorRecord], counts: Mapping[int, AuthorCounts],
                     credits: Iterable[tuple[int, int, int]], gaps: Iterable[SeriesGaps]) -> list[AuthorOverview]:
    """Every author of ``people`` with owned (``counts``) and missing books per media kind, and the
    number of series they are the main author of (``credits``: series, author, books)."""
    mains = main_authors(credits)
    names = NameIndex((p.id, p.name, p.aliases) for p in people)
    missing = missing_by_author(gaps, mains, names)
    series_count: dict[int, int] = {}
    for ids in mains.values():
        for author_id in ids:
            series_count[author_id] = series_count.get(author_id, 0) + 1
    counted, nothing, none = counted_figures, (0, 0, 0), AuthorCounts(0, 0, 0, 0)
    overviews = []
    for person in people:
        had = counts.get(person.id, none)
        lacking = missing.get(person.id, nothing)
        overviews.append(AuthorOverview(
            person.id, person.name, person.sort_name, person.aliases, person.monitored,
            counted(had.owned, lacking[0]), counted(had.ebook, lacking[1]), counted(had.audiobook, lacking[2]),
            had.wanted, series_count.get(person.id, 0)))
    return overviews



def same_gaps(before: Sequence[SeriesGaps], now: Sequence[SeriesGaps]) -> bool:
    """Whether two snapshots hold the same series' gaps: a series that changed is a new object in a snapshot,
    one that did not is the same object (snapshot.refresh), so identity tells, in C."""
    return len(before) == len(now) and all(map(operator.is_, before, now))
