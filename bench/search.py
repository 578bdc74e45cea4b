"""Search-as-you-type latency on a big library, against a naive LIKE scan.

Measures: the wall time of ``LibraryService.work_ids(search=q, sort="title")`` (FTS5 match,
then the ids in title order, as the library view asks for them) for ~200 queries a person
would type: full author surnames, 3-5 letter prefixes of a surname typed one letter at a
time, title words, series names, ISBNs (whole and first digits), two-word queries,
diacritic-free spellings of accented names, and queries that match nothing. Queries are
drawn from the catalog itself with a fixed seed. A warm-up of other queries runs first.

Peer, in the same run: the same queries as a plain sqlite3
``title LIKE '%q%' OR authors_display LIKE '%q%' ORDER BY title_key`` scan of the works
table (what a naive app does). Reports p50/p95/max and the p95 ratio (BookDesk / peer).

Usage: search.py [--books N] [--library DIR] [--seed S]
Prints {"bench":"search","books":N,"queries":..,"p50_ms":..,"p95_ms":..,"max_ms":..,
        "peer":"sqlite LIKE scan","peer_p95_ms":..,"ratio_p95":..,...}
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DEFAULT_BOOKS,
    DEFAULT_SEED,
    default_library_dir,
    emit,
    ensure_library,
    log,
    percentile,
    rounded,
)

from bookdesk.core.library_service import LibraryService  # noqa: E402
from bookdesk.data.catalog import CATALOG_NAME  # noqa: E402
from bookdesk.vocabulary.folding import fold  # noqa: E402

# Accent-free spellings a person types for names and places the synthetic library holds.
UNACCENTED = ("bronte", "garcia marquez", "jorgensen", "stanislaw lem", "muller", "krakow", "lodz",
              "odegaard")
NOTHING = ("xyzzy", "qwertyuiop", "zzyzx books", "florbnick", "9999999999999")
WORD = re.compile(r"\w{4,}")
STOP = {"the", "and", "for", "books"}


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str


class QueryMaker:
    """Realistic queries, taken from what the catalog holds."""

    def __init__(self, db: sqlite3.Connection, rng: random.Random) -> None:
        self.db, self.rng = db, rng
        self.max_id = int(db.execute("SELECT max(id) FROM works").fetchone()[0])

    def _random_work(self, column: str, where: str = "1") -> str:
        while True:  # a random id weights authors by their number of works, as people's searches are
            row = self.db.execute(f"SELECT {column} FROM works WHERE id >= ? AND {where} ORDER BY id LIMIT 1",
                                  (self.rng.randint(1, self.max_id),)).fetchone()
            if row and row[0]:
                return str(row[0])

    def _first_author(self) -> str:
        return self._random_work("authors_display").split(" & ")[0]

    def surname(self) -> str:
        return self._first_author().split()[-1]

    def prefixes(self) -> list[str]:
        while len(name := self.surname()) < 6:
            pass
        typed = fold(name) if self.rng.random() < 0.5 else name.lower()
        return [typed[:n] for n in (3, 4, 5)]

    def title_word(self) -> str:
        words = [w for w in WORD.findall(self._random_work("title")) if w.lower() not in STOP]
        return self.rng.choice(words) if words else self.title_word()

    def series(self) -> str:
        return self._random_work("series_display", "series_display != ''").rsplit(" #", 1)[0]

    def isbn(self, digits: int = 13) -> str:
        row = self.db.execute("SELECT value FROM identifiers WHERE id >= ? AND scheme = 'isbn' ORDER BY id LIMIT 1",
                              (self.rng.randint(1, self.max_id),)).fetchone()
        return str(row[0])[:digits] if row else self.isbn(digits)

    def two_words(self) -> str:
        if self.rng.random() < 0.5:
            parts = self._first_author().split()
            return f"{parts[0]} {parts[-1]}"
        return f"{self.surname()} {self.title_word()}".lower()

    def mix(self, scale: float = 1.0) -> list[Query]:
        def many(count: int, kind: str, make: Callable[[], str]) -> list[Query]:
            return [Query(kind, make()) for _ in range(max(1, round(count * scale)))]

        queries = many(42, "surname", self.surname)
        for _ in range(max(1, round(20 * scale))):
            queries += [Query("prefix", p) for p in self.prefixes()]
        queries += many(30, "title word", self.title_word)
        queries += many(20, "series", self.series)
        queries += many(12, "isbn", self.isbn)
        queries += many(3, "isbn prefix", lambda: self.isbn(7))
        queries += many(20, "two words", self.two_words)
        queries += [Query("unaccented", q) for q in UNACCENTED]
        queries += [Query("nothing", q) for q in NOTHING]
        return queries


def time_ms(run: Callable[[str], list[int]], queries: list[Query]) -> tuple[list[float], list[int]]:
    timings, hits = [], []
    for query in queries:
        started = time.perf_counter()
        found = run(query.text)
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(len(found))
    return timings, hits


def like_scan(db: sqlite3.Connection) -> Callable[[str], list[int]]:
    def run(text: str) -> list[int]:
        pattern = f"%{text}%"
        return [r[0] for r in db.execute(
            "SELECT id FROM works WHERE title LIKE ? OR authors_display LIKE ? ORDER BY title_key, id",
            (pattern, pattern))]
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=DEFAULT_BOOKS)
    parser.add_argument("--library", type=Path, help="library folder (default: a cache folder in the temp dir)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    folder: Path = args.library or default_library_dir(args.books, args.seed)
    built = ensure_library(folder, args.books, args.seed)

    peer_db = sqlite3.connect(f"{(folder / CATALOG_NAME).as_uri()}?mode=ro", uri=True)
    maker = QueryMaker(peer_db, random.Random(args.seed))
    queries = maker.mix()
    warm_up = QueryMaker(peer_db, random.Random(args.seed + 1000)).mix(scale=0.1)
    service = LibraryService.open(folder, exclusive=False)
    try:
        def bookdesk(text: str) -> list[int]:
            return service.work_ids(search=text, sort="title")

        time_ms(bookdesk, warm_up)
        time_ms(like_scan(peer_db), warm_up)
        timings, hits = time_ms(bookdesk, queries)
        peer_timings, _ = time_ms(like_scan(peer_db), queries)
    finally:
        service.close()
        peer_db.close()

    slowest = sorted(zip(timings, queries, hits, strict=True), key=lambda t: t[0], reverse=True)[:8]
    for ms, query, found in slowest:
        log(f"slow: {ms:7.1f} ms  {query.kind:<11} {query.text!r} -> {found} works")
    by_kind: dict[str, list[float]] = {}
    for ms, query in zip(timings, queries, strict=True):
        by_kind.setdefault(query.kind, []).append(ms)
    misses = [q.text for q, n in zip(queries, hits, strict=True) if q.kind == "unaccented" and n == 0]
    p95, peer_p95 = percentile(timings, 0.95), percentile(peer_timings, 0.95)
    emit({"bench": "search", "books": args.books, "queries": len(queries),
          "p50_ms": rounded(percentile(timings, 0.5), 2), "p95_ms": rounded(p95, 2),
          "max_ms": rounded(max(timings), 2),
          "peer": "sqlite LIKE scan", "peer_p50_ms": rounded(percentile(peer_timings, 0.5), 2),
          "peer_p95_ms": rounded(peer_p95, 2), "peer_max_ms": rounded(max(peer_timings), 2),
          "ratio_p95": rounded(p95 / peer_p95, 3),
          "p95_ms_by_kind": {k: rounded(percentile(v, 0.95), 2) for k, v in by_kind.items()},
          "slowest": [[q.text, rounded(ms, 1), n] for ms, q, n in slowest[:5]],
          "unaccented_misses": misses,
          "build_s": None if built is None else rounded(built, 2)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
