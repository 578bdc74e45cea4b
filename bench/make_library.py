"""Build a synthetic BookDesk catalog of N works, rows only (no book files), and time it.

Measures: the seconds to create a catalog of ``--books`` works in DIR through the real
``open_catalog`` (so schema and migrations are the app's), bulk-inserted with SQLAlchemy
Core executemany in one transaction, then the FTS index filled by
``search_index.rebuild``. The derived Work columns are computed as
``WorkRepository.refresh`` does, with the same ``sort_keys`` functions.

The spread aims at a real collection: about N/5 authors with a Zipf-like number of
works (a few prolific ones), some pen-name aliases, about N/8 series (60% of works in a
series, a few in two, fractional "2.5" and omnibus "1-3" entries), ebook and audiobook
files (wanted and ignored works have none), ISBNs, tags, languages, diacritics and
leading articles. The same ``--seed`` gives the same catalog.

Usage: make_library.py DIR --books N [--seed S]
Prints {"bench":"make_library","books":N,"authors":..,"series":..,"files":..,"seconds":..}
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_SEED, catalog_book_count, emit, log, rounded  # noqa: E402
from sqlalchemy import Table, insert, select  # noqa: E402

from bookdesk.data import search_index  # noqa: E402
from bookdesk.data.catalog import open_catalog  # noqa: E402
from bookdesk.data.models import (  # noqa: E402
    Author,
    AuthorAlias,
    Contribution,
    File,
    Identifier,
    Series,
    SeriesEntry,
    Tag,
    Work,
)
from bookdesk.vocabulary.folding import fold  # noqa: E402
from bookdesk.vocabulary.people import author_sort  # noqa: E402
from bookdesk.vocabulary.titles import title_sort  # noqa: E402


def _words(text: str) -> tuple[str, ...]:
    """A pool from a long string: words split on spaces, "_" standing for a space inside one."""
    return tuple(word.replace("_", " ") for word in text.split())


# Names that the checks and a person look for: diacritics, particles, letters NFKD keeps (ø, ł).
PINNED_AUTHORS = ("Charlotte Brontë", "Emily Brontë", "Gabriel García Márquez", "Jens Jørgensen",
                  "Ursula K. Le Guin", "Stanisław Lem", "Terry Pratchett", "Agatha Christie")
FIRST_NAMES = _words(
    "Anna Charlotte Emily Gabriel Ursula Jens Søren José François Zoë Chloé Björn Agnieszka Haruki "
    "Chinua Ngozi Olga Tove Selma Mary John James Robert Patricia Linda Michael William Elizabeth David "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Donna Andrew Carol Joshua Michelle Kenneth "
    "Emilia Benoît Hélène Jürgen Åsa Ingrid Lars Mikael Nils Astrid Karin Pedro Lucía Ramón Inés Joaquín "
    "Giulia Matteo Lorenzo Chiara Yuki Kenji Akira Mei Wei Lin Priya Arjun Ananya Rohan Amara Kwame Zainab "
    "Omar Layla Tariq Fatima Dmitri Natalia Ivan Katarzyna Tomasz Małgorzata Jiří Eva Ólafur Sigríður "
    "Niamh Siobhán Seán Aoife Ewan Isla Callum Freya Hugo Léa Théo Manon Élodie Cécile Renée André Noël"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
    "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker "
    "Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris "
    "Rogers Reed Cook Morgan Bell Murphy Bailey Cooper Richardson Cox Howard Ward Peterson Gray Watson "
    "Brooks Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long "
    "Patterson Hughes Flores Washington Butler Simmons Foster Bryant Alexander Russell Griffin Hayes Myers "
    "Ford Hamilton Graham Sullivan Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison "
    "Gibson McDonald Cruz Marshall Gomez Murray Freeman Wells Webb Simpson Stevens Tucker Porter Hunter "
    "Hicks Crawford Henry Boyd Mason Kennedy Warren Dixon Burns Gordon Shaw Holmes Rice Hunt Black Daniels "
    "Palmer Mills Grant Knight Ferguson Stone Hawkins Dunn Perkins Hudson Spencer Stephens Pierce Hansen "
    "Müller Schröder Weiß Köhler Jørgensen Ødegaard Søndergaard Åberg Lindqvist Håkansson Pérez Núñez "
    "Muñoz Ibáñez Gutiérrez Martínez Fernández López Sánchez Rodríguez Márquez Gonçalves Conceição Brontë "
    "Dvořák Čapek Novák Kowalski Wiśniewski Wójcik Łukasiewicz Lévesque Bélanger Côté Gagné Lefèvre "
    "Rossi Bianchi Ferrari Esposito Romano Ricci Tanaka Suzuki Takahashi Watanabe Yamamoto Nakamura Chen "
    "Wang Zhang Liu Huang Kim Park Lee Choi Nguyen Tran Patel Sharma Gupta Singh Okafor Adeyemi Mensah "
    "Abdullah Haddad Khalil Ivanov Petrov Smirnov Volkov Popescu Nagy Horváth Kovács Papadopoulos Yılmaz "
    "Le_Guin van_der_Berg de_la_Cruz von_Trapp O'Brien O'Connor MacLeod"
)
ADJECTIVES = _words(
    "Silent Broken Last Hidden Golden Crimson Lost Forgotten Burning Winter Northern Secret Endless Hollow "
    "Iron Glass Shattered Distant Wild Quiet Bitter Sunken Pale Dark Bright Scarlet Silver Frozen Drowned "
    "Wandering Sleeping Midnight Summer Ancient Crooked Gentle Restless Savage Velvet Paper Stolen Seventh "
    "Little Great Strange Blue Black White Red Green Empty Final Lonely Naïve Fiery Cursed Holy Fallen"
)
NOUNS = _words(
    "Kingdom River Garden House Sea Crown Shadow Storm Mirror Library Orchard Harbor Empire Witness "
    "Daughter Map Clock Bridge Island Letter Tower Forest Song Fire Machine Station Circus Archive "
    "Lighthouse Wolf Raven Queen King Thief Sister Brother Widow Stranger Road City Mountain Desert "
    "Moon Star Sun Heart Blade Gate Door Key Child Ghost Night Dawn Winter Tide Hunt Game Debt Promise "
    "Café Fiancée Séance Odyssey Atlas Cartographer Alchemist Apprentice Orphan Astronomer Sorcerer"
)
PLACES = _words("Montréal Zürich São_Paulo Kraków Reykjavík Córdoba Malmö Göteborg Århus Łódź Köln Besançon "
                "Venice Prague Lisbon Dublin Kyoto Cairo Lagos Lima Oslo Tallinn Vienna Marrakesh")
ARTICLE_STARTS = ("An Unquiet", "An Ordinary", "An Empty", "An Honest", "An Ancient", "An Unexpected")
SERIES_SUFFIXES = ("Chronicles", "Saga", "Trilogy", "Cycle", "Mysteries", "Quartet", "Sequence", "Files",
                   "Adventures", "Legacy", "Series", "Histories")
GENRES = ("Fantasy", "Science Fiction", "Mystery", "Thriller", "Romance", "Historical Fiction", "Horror",
          "Literary Fiction", "Biography", "History", "Science", "Philosophy", "Poetry", "Young Adult",
          "Children", "Crime", "Cozy Mystery", "Space Opera", "Epic Fantasy", "Urban Fantasy", "Memoir",
          "Travel", "Cooking", "Self-Help", "Classics", "Humor", "Short Stories", "Graphic Novel",
          "Dystopia", "Adventure", "Essays", "Politics", "Economics", "Psychology", "Religion", "Art",
          "Music", "Sports", "True Crime", "Nature")
PUBLISHERS = ("Penguin", "Gollancz", "Tor", "Orbit", "HarperCollins", "Random House", "Vintage", "Faber & Faber",
              "Bloomsbury", "Macmillan", "Hachette", "Simon & Schuster", "Éditions Gallimard", "Suhrkamp",
              "Anagrama", "Adelphi", "Bonnier", "Gyldendal", "Baen", "DAW", "Del Rey", "Ace", "Angry Robot",
              "Subterranean Press", "Audible Studios", "Podium Audio", "Tantor Media")
LANGUAGES = (("en", 70), ("de", 8), ("fr", 7), ("es", 6), ("it", 3), ("nl", 2), ("sv", 1), ("pl", 1),
             ("ja", 1), ("pt", 1))
EBOOK_FORMATS = (("epub", 85), ("pdf", 7), ("mobi", 4), ("azw3", 2), ("cbz", 2))
EPOCH = datetime(2015, 1, 1)
BATCH = 20_000
Row = dict[str, object]


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


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class Namer:
    """Unique person names, titles and series names from small pools."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            middle = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.35 else ""
            name = f"{first}{middle} {last}"
            if name not in self.used:
                self.used.add(name)
                return name

    def reserve(self, name: str) -> None:
        self.used.add(name)

    def title(self) -> str:
        rng, roll = self.rng, self.rng.random()
        noun, noun2, adj = rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(ADJECTIVES)
        if roll < 0.22:
            return f"The {adj} {noun}"
        if roll < 0.30:
            return f"The {noun} of {rng.choice(PLACES)}"
        if roll < 0.36:
            return f"A {noun} for the {noun2}"
        if roll < 0.40:
            return f"{rng.choice(ARTICLE_STARTS)} {noun}"
        if roll < 0.60:
            return f"{adj} {noun}"
        if roll < 0.75:
            return f"{noun} of {noun2}s"
        if roll < 0.85:
            return f"{rng.choice(FIRST_NAMES)}'s {noun}"
        if roll < 0.93:
            return f"{noun} and {noun2}"
        return f"{adj} {noun} in {rng.choice(PLACES)}"

    def series_name(self, author: str) -> str:
        rng = self.rng
        while True:
            roll = rng.random()
            if roll < 0.4:
                name = f"The {rng.choice(NOUNS)} {rng.choice(SERIES_SUFFIXES)}"
            elif roll < 0.7:
                name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            elif roll < 0.85:
                name = f"{rng.choice(PLACES)} {rng.choice(SERIES_SUFFIXES)}"
            else:
                name = f"{author.split()[-1]} {rng.choice(SERIES_SUFFIXES)}"
            if name in self.used:
                name = f"{name} {rng.choice(('II', 'Reborn', 'Renewed', 'Rising', 'Legends', 'Tales'))}"
            if name not in self.used:
                self.used.add(name)
                return name


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


def isbn13(rng: random.Random) -> str:
    body = rng.choice(("978", "979")) + f"{rng.randrange(10 ** 9):09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def safe(part: str) -> str:
    return part.replace("/", "_").replace(":", "_")


def build_library(folder: Path, books: int, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the catalog for ``books`` works into ``folder``; returns row counts by table (and narrators)."""
    plan = plan_library(books, seed)
    tables = make_rows(plan, random.Random(seed + 1))
    catalog = open_catalog(folder)
    try:
        with catalog.write() as session:
            for table, rows in tables.items():
                for start in range(0, len(rows), BATCH):
                    session.execute(insert(table), rows[start:start + BATCH])
                log(f"{table.name}: {len(rows)} rows")
            search_index.rebuild(session)
            log("search index rebuilt")
    finally:
        catalog.close()
    return {**{table.name: len(rows) for table, rows in tables.items()}, "narrators": len(plan.narrators)}


def make_rows(plan: Plan, rng: random.Random) -> dict[Table, list[Row]]:
    """Every row of every table, in insertion order (parents first)."""
    narrator_ids = range(len(plan.authors) + 1, len(plan.authors) + len(plan.narrators) + 1)
    sort_names = [author_sort(n) for n in plan.authors]
    authors: list[Row] = [{"id": i, "name": n, "sort_name": author_sort(n), "provider_ids": "{}", "monitored": False}
                          for i, n in enumerate(plan.authors + plan.narrators, start=1)]
    series: list[Row] = [{"id": i, "name": n, "sort_name": title_sort(n), "provider_ids": "{}", "monitored": False,
                          "total_count": None} for i, n in enumerate(plan.series, start=1)]
    aliases: list[Row] = [{"author_id": a + 1, "alias": alias} for a, alias in plan.aliases]
    works: list[Row] = []
    people: list[Row] = []
    entries: list[Row] = []
    idents: list[Row] = []
    tags: list[Row] = []
    files: list[Row] = []
    for work_id, planned in enumerate(plan.works, start=1):
        status = weighted(rng, (("owned", 88), ("wanted", 11), ("ignored", 1)))
        added = EPOCH + timedelta(seconds=rng.randrange(10 * 365 * 86400))
        first = planned.authors[0]
        people += [{"work_id": work_id, "author_id": a + 1, "role": "author", "position": p}
                   for p, a in enumerate(planned.authors)]
        entries += [{"series_id": s + 1, "work_id": work_id, "label": label, "sort_key": start,
                     "sort_key_end": end} for s, label, start, end in planned.series]
        work_files = plan_files(rng, work_id, planned.title, plan.authors[first], sort_names[first], added) \
            if status == "owned" else []
        if audio := next((f for f in work_files if f["media_kind"] == "audiobook"), None):
            narrator = rng.randrange(len(plan.narrators))
            audio["narrators"] = plan.narrators[narrator]
            people.append({"work_id": work_id, "author_id": narrator_ids[narrator], "role": "narrator",
                           "position": len(planned.authors)})
        files += work_files
        if rng.random() < 0.85:
            idents.append({"work_id": work_id, "scheme": "isbn", "value": isbn13(rng)})
        if rng.random() < 0.2:
            asin = "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=8))
            idents.append({"work_id": work_id, "scheme": "asin", "value": f"B0{asin}"})
        tags += [{"work_id": work_id, "tag": t} for t in rng.sample(GENRES, rng.choice((0, 1, 1, 2, 2, 3)))]
        works.append(work_row(rng, work_id, planned, plan, sort_names, status, added, work_files))
    return {Author.__table__: authors, AuthorAlias.__table__: aliases, Series.__table__: series,
            Work.__table__: works, Contribution.__table__: people, SeriesEntry.__table__: entries,
            Identifier.__table__: idents, Tag.__table__: tags, File.__table__: files}


def plan_files(rng: random.Random, work_id: int, title: str, author: str, author_sort_name: str,
               added: datetime) -> list[Row]:
    """One or two files for an owned work: an ebook, an audiobook, or both."""
    roll = rng.random()
    ebook = weighted(rng, EBOOK_FORMATS)
    audio = "m4b" if rng.random() < 0.8 else "mp3"
    formats = [audio] if roll < 0.12 else [ebook, audio] if roll < 0.26 else \
        [ebook, "pdf" if ebook != "pdf" else "epub"] if roll < 0.34 else [ebook]
    folder = f"{safe(author_sort_name)}/{safe(title)} ({work_id})"
    rows: list[Row] = []
    for fmt in formats:
        audiobook = fmt in ("m4b", "mp3")
        size = rng.randrange(80_000_000, 1_500_000_000) if audiobook else \
            rng.randrange(1_000_000, 60_000_000) if fmt in ("pdf", "cbz") else rng.randrange(150_000, 6_000_000)
        rows.append({"work_id": work_id, "format": fmt, "media_kind": "audiobook" if audiobook else "ebook",
                     "path": f"{folder}/{safe(title)} - {safe(author)}.{fmt}", "size": size,
                     "mtime": added.timestamp() - rng.randrange(86400 * 365),
                     "content_hash": f"{rng.getrandbits(256):064x}",
                     "duration_seconds": float(rng.randrange(3 * 3600, 40 * 3600)) if audiobook else None,
                     "chapters_json": None, "narrators": None, "source_path": None, "added_at": added})
    return rows


def work_row(rng: random.Random, work_id: int, planned: PlannedWork, plan: Plan, sort_names: list[str],
             status: str, added: datetime, files: list[Row]) -> Row:
    """The works row with its derived columns computed as ``WorkRepository.refresh`` does."""
    sort_title = title_sort(planned.title)
    year = rng.randrange(1840, 2026)
    published = None if rng.random() < 0.1 else str(year) if rng.random() < 0.65 else \
        f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    display, series_key, series_index = "", "", None
    if planned.series:
        series, label, start, _ = planned.series[0]
        name = plan.series[series]
        display, series_key, series_index = (f"{name} #{label}" if label else name), fold(title_sort(name)), start
    return {
        "id": work_id, "title": planned.title, "sort_title": sort_title,
        "subtitle": rng.choice(("A Novel", "A Memoir", "Stories", "A Mystery")) if rng.random() < 0.08 else None,
        "description": f"A {rng.choice(ADJECTIVES).lower()} tale of {rng.choice(NOUNS).lower()}s and "
                       f"{rng.choice(NOUNS).lower()}s." if rng.random() < 0.3 else None,
        "language": weighted(rng, LANGUAGES), "publisher": rng.choice(PUBLISHERS), "first_published": published,
        "status": status, "rating": rng.choice((2, 4, 6, 8, 10)) if rng.random() < 0.3 else None,
        "cover_path": None, "locked_fields": "", "added_at": added, "updated_at": added,
        "title_key": fold(sort_title),
        "authors_display": " & ".join(plan.authors[a] for a in planned.authors),
        "author_key": fold(" & ".join(sort_names[a] for a in planned.authors)),
        "series_display": display, "series_key": series_key, "series_index": series_index,
        "formats": ", ".join(f.upper() for f in sorted({str(row["format"]) for row in files})),
    }


def verify(folder: Path, books: int) -> None:
    """Check the catalog through the app's own service: count, search and one full record."""
    from bookdesk.core.library_service import LibraryService

    def check(ok: object, problem: str) -> None:
        if not ok:
            raise SystemExit(f"make_library: the catalog is wrong: {problem}")

    service = LibraryService.open(folder)
    try:
        check(service.count() == books, f"count() is {service.count()}, not {books}")
        with service.catalog.read() as session:  # a work with everything, if the catalog is big enough
            work_id = session.execute(select(Work.id).order_by(Work.series_display == "", Work.formats == "",
                                                                 Work.id).limit(1)).scalar_one()
        detail = service.detail(work_id)
        check(detail.authors, f"work {work_id} has no authors")
        check(books < 100 or (detail.series and detail.files), f"work {work_id} lacks a series or files")
        surname = detail.authors[0].split()[-1]
        check(work_id in service.work_ids(search=surname, sort="title"), f"searching {surname!r} misses {work_id}")
        if detail.series:
            check(work_id in service.work_ids(search=detail.series[0].name), f"its series misses work {work_id}")
        brontes = service.work_ids(search="bronte", sort="title")
        check(books < 1000 or any("Brontë" in r.authors for r in service.rows(brontes[:50])), "'bronte' misses Brontë")
        log(f"verified: {books} works; work {work_id} = {detail.title!r} by {detail.authors}, "
            f"series {[(s.name, s.label) for s in detail.series]}, {len(detail.files)} file(s); "
            f"'bronte' finds {len(brontes)}")
    finally:
        service.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--books", type=int, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.books < 1:
        parser.error("--books must be at least 1")
    if catalog_book_count(args.folder) is not None:
        parser.error(f"{args.folder} already holds a catalog; give an empty or new folder")
    started = time.perf_counter()
    counts = build_library(args.folder, args.books, args.seed)
    seconds = time.perf_counter() - started
    verify(args.folder, args.books)
    emit({"bench": "make_library", "books": args.books, "authors": counts["authors"] - counts["narrators"],
          "series": counts["series"], "files": counts["files"], "seconds": rounded(seconds, 2),
          "narrators": counts["narrators"], "aliases": counts["author_aliases"],
          "series_entries": counts["series_entries"], "contributions": counts["contributions"],
          "identifiers": counts["identifiers"], "tags": counts["work_tags"]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
