"""Search-as-you-type latency on a big library, against a naive LIKE scan.

Measures: the wall time of ``LibraryService.work_ids(search=q, sort="title")`` (FTS5 match,
then the ids in title order, as the library view asks for them) for ~200 queries a person
would type: full author surnames, 3-5 letter prefixes of a surname typed one letter at a
time, title words, series names, ISBNs (whole and first digits), two-word queries,
diacritic-free spellings of accented names, and queries that match nothing. Queries are
drawn from the catalog itself with a fixed seed. A warm-up of other queries runs first. Apart from
that mix, the first letter a person types (each of a-z alone), the search that matches the most: three
rounds, taking turns with the peer, each letter's median.

Peer, in the same run, giving the same answers: a scan without an index, each query's words
as ``LIKE '% word%'`` (a word's start) over the words the index holds for each work (titles,
people and their aliases, series, tags, identifiers, folded as the index folds them), in
title order. Every query's ids are compared with BookDesk's; ``peer_same_answers`` counts the
queries where both agree, and the ratio is reported only over answers that agree.

Real peer, on the same 10,000 books (``--calibre-books``; 0 leaves it out): a calibre library
holding the books of the 10,000-book synthetic library, searched by calibre's own search in a
warm calibre process against ``LibraryService.work_ids`` on that library, and
``calibredb search`` against ``bookdesk list --search --json`` as whole commands, alternated.
calibre's search looks for the text anywhere in any field and BookDesk for words' starts, so
their hit counts differ; the counts are reported.

Usage: search.py [--books N] [--library DIR] [--seed S] [--calibre-books N]
Prints {"bench":"search","books":N,"queries":..,"p50_ms":..,"p95_ms":..,"max_ms":..,
        "peer":..,"peer_p95_ms":..,"ratio_p95":..,"peer_same_answers":..,"calibre":{..},"load_average":{..}}
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _calibre_peer import calibre_env, calibre_search_times, calibredb_search_command, ensure_calibre_library  # noqa: E402, I001
from _common import (  # noqa: E402
    DEFAULT_BOOKS,
    DEFAULT_SEED,
    default_library_dir,
    emit,
    ensure_library,
    log,
    median,
    percentile,
    rounded,
    with_bytecode,
)

from bookdesk.core.library_service import LibraryService  # noqa: E402
from bookdesk.data import search_index  # noqa: E402
from bookdesk.data.catalog import CATALOG_NAME  # noqa: E402
from bookdesk.vocabulary.folding import fold  # noqa: E402

# Accent-free spellings a person types for names and places the synthetic library holds.
UNACCENTED = ("bronte", "garcia marquez", "jorgensen", "stanislaw lem", "muller", "krakow", "lodz",
              "odegaard")
ONE_LETTERS = "abcdefghijklmnopqrstuvwxyz"
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


def time_ms(run: Callable[[str], list[int]], queries: list[Query]) -> tuple[list[float], list[list[int]]]:
    """Milliseconds and the ids found, per query."""
    timings, found = [], []
    for query in queries:
        started = time.perf_counter()
        ids = run(query.text)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(ids)
    return timings, found


_FTS_TOKEN = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer takes for a word
_COLUMN_BREAK = " \x01 "  # between columns, so that no phrase spans two of them


def word_scan(catalog_db: sqlite3.Connection) -> Callable[[str], list[int]]:
    """The same-answer peer: the index's own folded words for every work, copied into a plain
    table in memory and scanned with LIKE for each word's start; no index is used."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE peer (id INTEGER PRIMARY KEY, title_key TEXT, words TEXT)")
    keys = dict(catalog_db.execute("SELECT id, title_key FROM works"))
    rows = catalog_db.execute("SELECT rowid, title, authors, series, tags, identifiers FROM work_fts")
    db.executemany("INSERT INTO peer VALUES (?, ?, ?)", (
        (work_id, keys.get(work_id, ""),
         _COLUMN_BREAK.join(" " + " ".join(_FTS_TOKEN.findall(column or "")) for column in columns))
        for work_id, *columns in rows))

    def like(words: list[str]) -> str:
        escaped = " ".join(w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words)
        return f"% {escaped}%"

    def run(text: str) -> list[int]:
        clauses, values = [], []
        for match in search_index._TERM.finditer(fold(text)):  # the words a person typed, as BookDesk reads them
            words = _FTS_TOKEN.findall(match.group())
            if match.group(1):  # a hyphenated number: with or without its hyphens
                clauses.append("(words LIKE ? ESCAPE '\\' OR words LIKE ? ESCAPE '\\')")
                values += [like(["".join(words)]), like(words)]
            elif words:
                clauses.append("words LIKE ? ESCAPE '\\'")
                values.append(like(words))
        if not clauses:
            return []
        return [r[0] for r in db.execute(
            f"SELECT id FROM peer WHERE {' AND '.join(clauses)} ORDER BY title_key, id", values)]
    return run


LETTER_ROUNDS = 3


def one_letters(ours: Callable[[str], list[int]], peer: Callable[[str], list[int]]) -> tuple[list[float], list[list[int]],
                                                                                      list[float], list[list[int]]]:
    """Each letter alone, LETTER_ROUNDS times, BookDesk and the peer taking turns to go first; each letter's
    median milliseconds for both, and the ids found. One pass on a shared machine made a letter's time the
    luck of the moment: the slowest letter moved 75-109 ms between two runs of the same code."""
    letters = [Query("one letter", letter) for letter in ONE_LETTERS]
    rounds: dict[str, list[list[float]]] = {"ours": [], "peer": []}
    found: dict[str, list[list[int]]] = {}
    for n in range(LETTER_ROUNDS):
        both = [("ours", ours), ("peer", peer)]
        for name, run in both if n % 2 == 0 else reversed(both):
            timings, found[name] = time_ms(run, letters)
            rounds[name].append(timings)
    ours_ms, peer_ms = ([median(list(times)) for times in zip(*rounds[name], strict=True)] for name in ("ours", "peer"))
    return ours_ms, found["ours"], peer_ms, found["peer"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=DEFAULT_BOOKS)
    parser.add_argument("--library", type=Path, help="library folder (default: a cache folder in the temp dir)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--calibre-books", type=int, default=10_000, help="books for the calibre comparison (0: none)")
    args = parser.parse_args(argv)
    folder: Path = args.library or default_library_dir(args.books, args.seed)
    built = ensure_library(folder, args.books, args.seed)

    peer_db = sqlite3.connect(f"{(folder / CATALOG_NAME).as_uri()}?mode=ro", uri=True)
    maker = QueryMaker(peer_db, random.Random(args.seed))
    queries = maker.mix()
    warm_up = QueryMaker(peer_db, random.Random(args.seed + 1000)).mix(scale=0.1)
    peer = word_scan(peer_db)
    service = LibraryService.open(folder, exclusive=False)
    try:
        def bookdesk(text: str) -> list[int]:
            return service.work_ids(search=text, sort="title")

        time_ms(bookdesk, warm_up)
        time_ms(peer, warm_up)
        timings, found = time_ms(bookdesk, queries)
        peer_timings, peer_found = time_ms(peer, queries)
        letter_timings, letter_found, peer_letter_timings, peer_letter_found = one_letters(bookdesk, peer)
    finally:
        service.close()
        peer_db.close()
    hits = [len(ids) for ids in found]
    agree = [ours == theirs for ours, theirs in zip(found, peer_found, strict=True)]
    for query, ours, theirs, same in zip(queries, found, peer_found, agree, strict=True):
        if not same:
            log(f"answers differ: {query.text!r}: BookDesk {len(ours)}, peer {len(theirs)}")

    slowest = sorted(zip(timings, queries, hits, strict=True), key=lambda t: t[0], reverse=True)[:8]
    for ms, query, count in slowest:
        log(f"slow: {ms:7.1f} ms  {query.kind:<11} {query.text!r} -> {count} works")
    by_kind: dict[str, list[float]] = {}
    for ms, query in zip(timings, queries, strict=True):
        by_kind.setdefault(query.kind, []).append(ms)
    misses = [q.text for q, n in zip(queries, hits, strict=True) if q.kind == "unaccented" and n == 0]
    p95, peer_p95 = percentile(timings, 0.95), percentile(peer_timings, 0.95)
    same_ours = [t for t, same in zip(timings, agree, strict=True) if same]
    same_peer = [t for t, same in zip(peer_timings, agree, strict=True) if same]
    figures = {"bench": "search", "books": args.books, "queries": len(queries),
               "p50_ms": rounded(percentile(timings, 0.5), 2), "p95_ms": rounded(p95, 2),
               "max_ms": rounded(max(timings), 2),
               "peer": "LIKE scan of each word's start over the index's own folded words, no index",
               "peer_same_answers": sum(agree),
               "peer_p50_ms": rounded(percentile(peer_timings, 0.5), 2),
               "peer_p95_ms": rounded(peer_p95, 2), "peer_max_ms": rounded(max(peer_timings), 2),
               "ratio_p95": rounded(percentile(same_ours, 0.95) / percentile(same_peer, 0.95), 3) if same_ours else None,
               "p95_ms_by_kind": {k: rounded(percentile(v, 0.95), 2) for k, v in by_kind.items()},
               "slowest": [[q.text, rounded(ms, 1), n] for ms, q, n in slowest[:5]],
               "unaccented_misses": misses,
               "one_letter_p50_ms": rounded(percentile(letter_timings, 0.5), 2),
               "one_letter_max_ms": rounded(max(letter_timings), 2),
               "one_letter_peer_p50_ms": rounded(percentile(peer_letter_timings, 0.5), 2),
               "one_letter_peer_max_ms": rounded(max(peer_letter_timings), 2),
               "one_letter_same_answers": sum(a == b for a, b in zip(letter_found, peer_letter_found, strict=True)),
               "one_letter_most_hits": max(len(ids) for ids in letter_found), "one_letter_target_ms": 30,
               "build_s": None if built is None else rounded(built, 2)}
    if args.calibre_books:
        figures["calibre"] = against_calibre(args.calibre_books, args.seed)
    emit(figures)
    return 0


def against_calibre(books: int, seed: int) -> dict[str, object]:
    """BookDesk and calibre on the same ``books`` books: each one's search in a warm process, then
    ``bookdesk list --search`` and ``calibredb search`` as whole commands, taking turns to go first."""
    folder = default_library_dir(books, seed)
    ensure_library(folder, books, seed)
    calibre_library, config = folder.with_name(folder.name + "-calibre"), folder.with_name("calibre-config")
    ensure_calibre_library(folder, calibre_library, config)
    db = sqlite3.connect(f"{(folder / CATALOG_NAME).as_uri()}?mode=ro", uri=True)
    try:
        texts = [q.text for q in QueryMaker(db, random.Random(seed)).mix(scale=0.5)]
        warm_up = [q.text for q in QueryMaker(db, random.Random(seed + 1000)).mix(scale=0.1)]
    finally:
        db.close()
    service = LibraryService.open(folder, exclusive=False)
    try:
        time_ms(lambda t: service.work_ids(search=t, sort="title"), [Query("warm", t) for t in warm_up])
        ours, found = time_ms(lambda t: service.work_ids(search=t, sort="title"), [Query("q", t) for t in texts])
    finally:
        service.close()
    theirs, their_hits = calibre_search_times(calibre_library, config, texts, warm_up)
    commands: dict[str, list[float]] = {"bookdesk list --search": [], "calibredb search": []}
    env = with_bytecode(dict(calibre_env(config), BOOKDESK_CONFIG_DIR=str(config / "bookdesk"),  # no user
                             BOOKDESK_LOG_DIR=str(config / "bookdesk-logs")))  # settings or logs; .pyc kept
    for n, text in enumerate(texts[:: max(1, len(texts) // 6)][:6]):
        both = [("bookdesk list --search", [sys.executable, "-m", "bookdesk", "list", "--library", str(folder),
                                            "--search", text, "--json"]),
                ("calibredb search", calibredb_search_command(calibre_library, text))]
        for name, command in both if n % 2 == 0 else reversed(both):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, env=env, check=False)
            commands[name].append(time.perf_counter() - started)
    p95, peer_p95 = percentile(ours, 0.95), percentile(theirs, 0.95)
    return {"books": books, "queries": len(texts), "p50_ms": rounded(percentile(ours, 0.5), 2),
            "p95_ms": rounded(p95, 2), "calibre_p50_ms": rounded(percentile(theirs, 0.5), 2),
            "calibre_p95_ms": rounded(peer_p95, 2), "ratio_p95": rounded(p95 / peer_p95, 3),
            "same_hit_counts": sum(len(a) == b for a, b in zip(found, their_hits, strict=True)),
            "command_s": {name: rounded(median(times)) for name, times in commands.items()},
            "command_ratio": rounded(median(commands["bookdesk list --search"])
                                     / median(commands["calibredb search"]), 3),
            "peer": "calibre Cache.search in a warm calibre process; calibredb search as a command"}


if __name__ == "__main__":
    raise SystemExit(main())
