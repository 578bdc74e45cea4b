"""What make_library.py decides before it writes a row: every author, series and work, who wrote
what, and at which place in which series."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from _library_words import PINNED_AUTHORS, Namer


@dataclass
class PlannedWork:
    title: str
    authors: list[int]  # indexes into the author list, in credit order
    series: list[tuple[int, str, float | None, float | None]] = field(default_factory=list)
    # (series index, label, sort_key, sort_key_end); the first one is what the list shows


@dataclass
class Plan:
    authors: list[str]
    aliases: list[tuple[int, str]]
    series: list[str]
    works: list[PlannedWork]
    narrators: list[str]



def plan_library(books: int, seed: int) -> Plan:
    """Decide every author, series and work: who wrote what, in which series and at which place."""
    rng = random.Random(seed)
    people = Namer(rng)
    for name in PINNED_AUTHORS:
        people.reserve(name)
    authors = [people.person() for _ in range(max(1, books // 5) - len(PINNED_AUTHORS))]
    # Pinned names land at popular, middling and rare ranks.
    for rank, name in zip((3, 60, 15, 400, 8, 120, 1, 0), PINNED_AUTHORS, strict=True):
        authors.insert(min(rank, len(authors)), name)
    aliases = [(i, people.person()) for i in rng.sample(range(len(authors)), max(1, len(authors) // 40))]
    narrators = [people.person() for _ in range(max(1, books // 200))]
    # Zipf-like popularity: the weight of rank r is 1/(r+50), so the top author has a few hundred works.
    cumulative = list(accumulate(1.0 / (rank + 50) for rank in range(len(authors))))

    def popular_author() -> int:
        return bisect(cumulative, rng.random() * cumulative[-1])

    titles = Namer(rng)
    series_names: list[str] = []
    works: list[PlannedWork] = []
    series_of_author: dict[int, list[int]] = {}
    series_count = max(1, books // 8)
    in_series = max(1, round(books * 0.6))
    lengths = [1 + min(39, int(rng.expovariate(1 / max(0.5, in_series / series_count - 1))))
               for _ in range(series_count)]
    while (diff := in_series - sum(lengths)) != 0:
        i = rng.randrange(series_count)
        if diff > 0 or lengths[i] > 1:
            lengths[i] += 1 if diff > 0 else -1
    for length in lengths:
        author = popular_author()
        index = len(series_names)
        name = titles.series_name(authors[author])
        series_names.append(name)
        series_of_author.setdefault(author, []).append(index)
        for label, start, end in series_positions(rng, length):
            title = f"{name}: Books {label}" if end is not None else titles.title()
            works.append(PlannedWork(title, [author], [(index, label, start, end)]))

    # Standalone works: every author without a book first, then by popularity.
    credited = set(series_of_author)
    idle = iter([i for i in range(len(authors)) if i not in credited])
    for _ in range(books - len(works)):
        author = next(idle, None)
        works.append(PlannedWork(titles.title(), [popular_author() if author is None else author]))

    # A few works in two series: an umbrella series over an author's first two series.
    umbrellas = [a for a, owned in series_of_author.items() if len(owned) >= 2][: max(1, series_count // 100)]
    members_of: dict[int, list[PlannedWork]] = {}
    for work in works:
        if work.series:
            members_of.setdefault(work.series[0][0], []).append(work)
    for author in umbrellas:
        first, second = series_of_author[author][:2]
        index = len(series_names)
        series_names.append(f"{authors[author]} Universe")
        members = members_of[first] + members_of[second]
        for position, work in enumerate(members, start=1):
            work.series.append((index, str(position), float(position), None))

    for work in works:  # co-authors
        roll = rng.random()
        extra = 2 if roll < 0.01 else 1 if roll < 0.08 else 0
        for _ in range(extra):
            other = popular_author()
            if other not in work.authors:
                work.authors.append(other)
    rng.shuffle(works)  # ids follow import order, not author or series
    return Plan(authors, aliases, series_names, works, narrators)


def series_positions(rng: random.Random, length: int) -> Iterator[tuple[str, float | None, float | None]]:
    """(label, sort_key, sort_key_end) for ``length`` entries: 1, 2, 2.5, 3, ..., an omnibus "1-3"."""
    novella = rng.randrange(1, length) if length >= 3 and rng.random() < 0.08 else None
    omnibus = length >= 5 and rng.random() < 0.06
    prequel = length >= 3 and rng.random() < 0.03
    position = 0
    for slot in range(length):
        if omnibus and slot == length - 1:
            yield "1-3", 1.0, 3.0
        elif prequel and slot == 0:
            yield "Prequel", None, None
        elif novella is not None and slot == novella:
            yield f"{position}.5", position + 0.5, None
        else:
            position += 1
            yield str(position), float(position), None
