"""Which series a book's series name means: a series is known by its name and its people.

Two authors' "Archive Saga" are two series, each with its own gaps and its own wanted books.
A series' *people* are the authors credited on its books (the placeholder "Unknown Author" is
nobody), compared as ``vocabulary.people.person_key`` compares them ("J.K. Rowling" is
"Rowling, J. K."). A book joins, among the series of its series' name:

1. the first whose people include one of the book's authors, so a co-author added on one
   book, or the authors listed in another order, keep one series;
2. failing that, the first with nobody credited yet (its books name no author), which the
   book's authors then make theirs;
3. failing that, a new series.

A book that names nobody joins the only series of that name, or, when several authors have
one, the first with nobody credited; failing both, a new series. So a series' author is in
effect the main author of its first book, joined by everyone who writes with them.

The writers (``work_writer``, ``WorkRepository``) find series through ``SeriesResolver``, and
migration 0007 splits the series merged before it with ``split_by_people``: one rule, replayed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR
from bookdesk.data.models import Author, Contribution, Series, SeriesEntry
from bookdesk.vocabulary.people import person_key
from bookdesk.vocabulary.titles import title_sort

_CHUNK = 900  # stays under SQLite's limit of bound parameters in an IN (...)


def people_keys(names: Iterable[str]) -> frozenset[str]:
    """The keys of the people ``names`` credit as authors ("Unknown Author" and blanks are nobody)."""
    return frozenset(key for name in names if name and name != UNKNOWN_AUTHOR and (key := person_key(name)))


def choose(candidates: Sequence[frozenset[str]], people: frozenset[str]) -> int | None:
    """Which of the same-named series (their people, oldest first) a book crediting ``people`` joins,
    by index; None: a new series."""
    if people:
        for index, theirs in enumerate(candidates):
            if theirs & people:
                return index
        for index, theirs in enumerate(candidates):
            if not theirs:
                return index
        return None
    if len(candidates) == 1:
        return 0
    for index, theirs in enumerate(candidates):
        if not theirs:
            return index
    return None


def split_by_people(works: Sequence[frozenset[str]]) -> list[list[int]]:
    """The works of one merged series (their people, in the order they joined it) grouped as separate
    series would hold them: indexes into ``works``, the group of the first work first."""
    groups: list[list[int]] = []
    people: list[frozenset[str]] = []
    for index, credited in enumerate(works):
        found = choose(people, credited)
        if found is None:
            groups.append([index])
            people.append(credited)
        else:
            groups[found].append(index)
            people[found] |= credited
    return groups


@dataclass(slots=True)
class KnownSeries:
    """A series of some name as the resolver knows it: its id (None until inserted) and people."""

    name: str
    id: int | None
    sort_name: str
    people: frozenset[str] = field(default_factory=frozenset)


class SeriesResolver:
    """Finds, or makes, the series each book's series name means, for one session.

    ``load`` reads every series of the given names with their people in a few queries; ``resolve``
    then decides in memory (books resolved earlier in the same batch count); ``create`` inserts the new
    series in one statement.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_name: dict[str, list[KnownSeries]] = {}
        self._new: list[KnownSeries] = []

    def load(self, names: Iterable[str]) -> None:
        wanted = [name for name in dict.fromkeys(names) if name not in self._by_name]
        for name in wanted:
            self._by_name[name] = []
        found: dict[int, KnownSeries] = {}
        for start in range(0, len(wanted), _CHUNK):
            for series_id, name, sort_name in self.session.execute(
                    select(Series.id, Series.name, Series.sort_name)
                    .where(Series.name.in_(wanted[start:start + _CHUNK])).order_by(Series.id)):
                found[series_id] = known = KnownSeries(name, series_id, sort_name)
                self._by_name[name].append(known)
        ids = list(found)
        credited: dict[int, list[str]] = {}
        for start in range(0, len(ids), _CHUNK):
            for series_id, author in self.session.execute(
                    select(SeriesEntry.series_id, Author.name)
                    .join(Contribution, Contribution.work_id == SeriesEntry.work_id)
                    .join(Author, Author.id == Contribution.author_id)
                    .where(SeriesEntry.series_id.in_(ids[start:start + _CHUNK]), Contribution.role == "author")):
                credited.setdefault(series_id, []).append(author)
        for series_id, names_ in credited.items():
            found[series_id].people = people_keys(names_)

    def resolve(self, name: str, authors: Iterable[str]) -> KnownSeries:
        """The series called ``name`` a book by ``authors`` belongs in (see the module's rules)."""
        if name not in self._by_name:
            self.load([name])
        candidates = self._by_name[name]
        people = people_keys(authors)
        index = choose([c.people for c in candidates], people)
        if index is None:
            known = KnownSeries(name, None, title_sort(name), people)
            candidates.append(known)
            self._new.append(known)
            return known
        known = candidates[index]
        known.people |= people
        return known

    def create(self) -> None:
        """Insert the series ``resolve`` decided to make, giving each its id."""
        new, self._new = self._new, []
        if not new:
            return
        rows = [{"name": k.name, "sort_name": k.sort_name, "provider_ids": "{}", "monitored": False} for k in new]
        ids = self.session.execute(insert(Series).returning(Series.id, sort_by_parameter_order=True), rows).scalars()
        for known, series_id in zip(new, ids, strict=True):
            known.id = series_id

    def series_id(self, name: str, authors: Iterable[str]) -> tuple[int, str]:
        """(id, sort name) of the series of one book, made now if need be."""
        known = self.resolve(name, authors)
        self.create()
        assert known.id is not None
        return known.id, known.sort_name
