"""Time the series gap analysis over the synthetic library, against the same analysis worked out afresh and a
per-series ORM peer.

Measures, as medians of ``--runs`` cold runs (a new SeriesService each time, so nothing is
remembered in the process, made as ``bookdesk gaps`` makes it): every series' gaps over a copy of the library
where ``--listed`` of the series also have provider
listings (Hardcover for all of them, Audible for half; some books not out yet, some in
German, novellas and omnibus editions): the realistic case. Each series' answer is kept in the catalog
(migration 0013), so the figure is a run that finds them current, taking turns with the peer that works every
series out afresh (``keep_answers=False``), whose answers must be the same to the last missing book's
details; the first run, which works everything out and keeps it, is reported apart, and so is the next day's
first run (only the series the day can change worked out again) beside a fresh analysis of that day, as is the
library alone
worked out afresh (the cached library is left without kept answers). Also the Series view's
``summaries()`` cold (a new service: the view's first open with nothing saved), at a fresh
start that finds the rows an earlier run saved (the app's usual start: measured in a new process, as
its heap is small then), and warm (reopened, nothing
changed since, or after ``warm()``) and again after one edit (what the app sees: parsed
listings are kept, the rest is worked out again), ``entries()`` of one series, and ``authors()`` (with
the gaps it needs) and ``wanted()`` on a new service. And ``bookdesk gaps --json`` as a command on the
library with listings, beyond the same command's own start (on an empty library, taking turns), with its first
run (working the answers out and keeping them) apart and its document checked against that first run's. The
ORM peer computes the same answer the way a straightforward ORM
implementation would: per series, one query for its entries as ORM objects and one for
their files, then the same rules; its answer is checked against ours. The process runs the
cyclic collector as the app does (``freeze_survivors``), the peer too.

Usage: gaps.py [--books N] [--library DIR] [--seed S] [--runs R] [--listed FRACTION]
Prints one JSON line: {"bench":"gaps","books":..,"series":..,"gaps_ms":..,"peer_ms":..,"ratio":..,...}
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DEFAULT_BOOKS,
    DEFAULT_SEED,
    default_library_dir,
    emit,
    ensure_library,
    log,
    median,
    rounded,
    with_bytecode,
)
from sqlalchemy import select  # noqa: E402
from startup import child_env, measure_rounds  # noqa: E402

from bookdesk.core.collector_pause import collector_paused, freeze_survivors  # noqa: E402
from bookdesk.core.series.gaps import GapPolicy, LibraryEntry, series_gaps  # noqa: E402
from bookdesk.core.series.gaps_json import gaps_json  # noqa: E402
from bookdesk.core.series.listing import ListedBook, SeriesListing  # noqa: E402
from bookdesk.core.series.service import SeriesService  # noqa: E402
from bookdesk.data.catalog import CATALOG_NAME, Catalog, open_catalog  # noqa: E402
from bookdesk.data.gap_repository import GapRepository, StoredListing  # noqa: E402
from bookdesk.data.models import File, SeriesEntry, Work  # noqa: E402

TODAY = date(2025, 6, 1)  # fixed, so "not out yet" means the same on every run
POLICY = GapPolicy(language="en", today=TODAY)


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def cold_gaps(catalog: Catalog, keep: bool = True, policy: GapPolicy = POLICY) -> Callable[[], list]:
    def run() -> list:
        service = SeriesService(catalog, policy, follow_changes=False, keep_answers=keep)  # as `bookdesk gaps` does
        try:
            return service.gaps(include_ignored=True)
        finally:
            service.close()
    return run


def per_series_orm(catalog: Catalog) -> Callable[[], list]:
    """The peer: two ORM queries per series (its entries with their works, then their files)."""
    def run() -> list:
        found = []
        with catalog.read() as session:
            series = GapRepository(session).series_rows()
            for row in series:
                entries = session.execute(select(SeriesEntry, Work).join(Work, Work.id == SeriesEntry.work_id)
                                          .where(SeriesEntry.series_id == row.id)).all()
                kinds: dict[int, int] = {}
                if entries:
                    for work_id, media_kind in session.execute(select(File.work_id, File.media_kind).where(
                            File.work_id.in_([e.work_id for e, _ in entries]))):
                        kinds[work_id] = kinds.get(work_id, 0) | (1 if media_kind == "ebook" else 2)
                listings = [SeriesListing.from_stored(s.source, s.series_name, s.provider_series_id, s.total_primary,
                                                      s.books_json)
                            for s in GapRepository(session).listings([row.id])]
                listings.sort(key=lambda s: s.source != "hardcover")
                tuples = [LibraryEntry(e.work_id, e.label, e.sort_key, e.sort_key_end, w.status, kinds.get(w.id, 0),
                                       w.wanted_kinds, w.first_published) for e, w in entries]
                found.append(series_gaps(row.id, row.name, tuples, listings, POLICY, monitored=row.monitored,
                                         ignored=row.ignored))
        return found
    return run


def add_listings(catalog: Catalog, fraction: float, seed: int) -> int:
    """Provider listings for ``fraction`` of the series, made from what the library holds of each."""
    rng = random.Random(seed)
    with catalog.read() as session:
        repo = GapRepository(session)
        series = repo.series_rows()
        groups: dict[int, list[LibraryEntry]] = {}
        for row in map(LibraryEntry._make, repo.entry_rows()):
            groups.setdefault(row.series_id, []).append(row)
    chosen = [s for s in series if s.id in groups and rng.random() < fraction]
    fetched = datetime(2025, 5, 30, 12)
    stored: list[StoredListing] = []
    for row in chosen:
        entries = groups[row.id]
        author = entries[0].authors
        top = int(max([e.sort_key for e in entries if e.sort_key is not None]
                      + [e.sort_key_end or 0 for e in entries] + [1]))
        count = top + rng.choice((0, 0, 0, 1, 2))
        books = [ListedBook(f"{row.name} {n}", [author], str(n), float(n), release_date=date(2000 + n % 25, 3, 1),
                            language="en", identifiers={"isbn": f"978{row.id:06d}{n:03d}0"},
                            cover_url=f"https://covers.example/{row.id}/{n}.jpg") for n in range(1, count + 1)]
        if count > top and rng.random() < 0.4:
            books[-1].release_date = date(2026, 1 + rng.randrange(12), 1)  # announced, not out yet
        if rng.random() < 0.1:
            books.append(ListedBook(f"{row.name} Novella", [author], "1.5", 1.5, language="en"))
        if count >= 3 and rng.random() < 0.1:
            books.append(ListedBook(f"{row.name} Books 1-3", [author], "1-3", 1.0, is_compilation=True))
        if rng.random() < 0.05:
            books.append(ListedBook(f"{row.name} 2 (Deutsch)", [author], "2", 2.0, language="de"))
        listing = SeriesListing("hardcover", row.name, f"hc-{row.id}", count, books)
        stored.append(StoredListing(row.id, "hardcover", listing.provider_series_id, row.name, count,
                                    listing.books_json(), fetched))
        if rng.random() < 0.5:
            audible = SeriesListing("audnexus", row.name, f"B0{row.id:08d}", None,
                                    [ListedBook(b.title, b.authors, b.label, b.sort_key, language="English")
                                     for b in books[:count] if rng.random() < 0.9])
            stored.append(StoredListing(row.id, "audnexus", audible.provider_series_id, row.name, None,
                                        audible.books_json(), fetched))
    with catalog.write() as session:
        repo = GapRepository(session)
        for listing_row in stored:
            repo.save_listing(listing_row)
    return len(chosen)


def copy_catalog(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"{(source / CATALOG_NAME).as_uri()}?mode=ro", uri=True) as src, \
            sqlite3.connect(target / CATALOG_NAME) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def whole_answer(found: list) -> list:
    """Everything the answers tell, down to each missing book's listing details and the sentences."""
    return [(gaps_json(g), g, [(k.owned, k.missing) for k in (g.overall, g.ebook, g.audiobook)], g.upcoming,
             g.reports, g.flags, g.confidence) for g in found]


def alternated(first: Callable[[], list], second: Callable[[], list], runs: int) -> tuple[list, list, list, list]:
    """Both timed ``runs`` times, taking turns to go first: (first's times, second's, their last answers)."""
    times: tuple[list[float], list[float]] = ([], [])
    found: list = [None, None]
    for run in range(runs):
        for which in ((0, 1) if run % 2 == 0 else (1, 0)):
            took, found[which] = timed((first, second)[which], 1)
            times[which].append(took[0])
    return times[0], times[1], found[0], found[1]


def same_answer(ours: list, theirs: list) -> bool:
    def key(gaps: list) -> list:
        return sorted((g.series_id, g.overall.missing_labels, g.ebook.missing_labels, g.audiobook.missing_labels,
                       g.total) for g in gaps)
    return key(ours) == key(theirs)


def saved_start(folder: Path, cache_file: Path, expected_rows: int) -> float:
    """Milliseconds a fresh process takes for the Series view's rows from ``cache_file``."""
    probe = ("import sys, time; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
             "from gaps import POLICY; from bookdesk.data.catalog import open_catalog;"
             "from bookdesk.core.series.service import SeriesService; from bookdesk.core.series import snapshot;"
             "built = []; build = snapshot.build;"
             "snapshot.build = lambda *args, **kwargs: built.append(1) or build(*args, **kwargs);"
             "catalog = open_catalog(Path(sys.argv[2]), exclusive=False, create=False);"
             "service = SeriesService(catalog, POLICY, cache_file=Path(sys.argv[3]));"
             "started = time.perf_counter(); rows = service.summaries(); took = time.perf_counter() - started;"
             "assert not built, 'the saved rows were not taken';"
             "print(len(rows), took * 1000)")
    done = subprocess.run([sys.executable, "-c", probe, str(Path(__file__).resolve().parent), str(folder),
                           str(cache_file)], capture_output=True, text=True, check=True)
    count, ms = done.stdout.split()
    assert int(count) == expected_rows, (count, expected_rows)
    return float(ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=DEFAULT_BOOKS)
    parser.add_argument("--library", type=Path, help="library folder (default: a cache folder in the temp dir)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--listed", type=float, default=0.3, help="share of series given provider listings")
    args = parser.parse_args(argv)
    # The collector as the app runs it (ui/application.py): what a collector pause made is frozen as the
    # pause ends. Left as a plain process has it, the first young pass after each analysis went over the
    # whole snapshot it had just made, 45-48 ms of a 650 ms run that no person waits for in the app.
    freeze_survivors()
    folder: Path = args.library or default_library_dir(args.books, args.seed)
    built = ensure_library(folder, args.books, args.seed)
    open_catalog(folder, exclusive=False).close()  # migrate the cached library once, outside the timings

    with tempfile.TemporaryDirectory(prefix="bookdesk-gaps-") as scratch:
        listed_folder = Path(scratch) / "listed"
        log(f"copying the catalog to {listed_folder} for the provider listings")
        copy_catalog(folder, listed_folder)
        plain = open_catalog(folder, exclusive=False, create=False)
        listed = open_catalog(listed_folder)
        try:
            series_listed = add_listings(listed, args.listed, args.seed)
            log(f"{series_listed} series have listings")
            cold_gaps(plain, keep=False)()  # warm the OS page cache for both catalogs
            first_times, _ = timed(cold_gaps(listed), 1)  # works every series out and keeps the answers

            library_times, _ = timed(cold_gaps(plain, keep=False), args.runs)  # the shared cache keeps nothing
            times, fresh_times, found, fresh_found = alternated(cold_gaps(listed), cold_gaps(listed, keep=False),
                                                                args.runs)
            with collector_paused():
                fresh_agree = whole_answer(found) == whole_answer(fresh_found)
            if not fresh_agree:
                log("the kept answers differ from those worked out afresh")
            # The next day's first run: what the day can change is worked out again, the rest carried over.
            next_day = GapPolicy(language="en", today=TODAY + timedelta(days=1))
            next_day_times, next_day_found = timed(cold_gaps(listed, policy=next_day), 1)
            next_day_fresh_times, next_day_fresh = timed(cold_gaps(listed, keep=False, policy=next_day), 1)
            with collector_paused():
                next_day_agree = whole_answer(next_day_found) == whole_answer(next_day_fresh)
            peer_times, peer_found = timed(per_series_orm(listed), max(1, args.runs // 3))
            agree = same_answer(found, peer_found)
            if not agree:  # a ratio against other answers says nothing: it is left out
                log("the peer's gaps differ from BookDesk's")
            service_figures = time_the_service(listed, listed_folder, Path(scratch), found, args.runs)
            command_figures = time_the_command(listed_folder, Path(scratch), args.runs)
        finally:
            plain.close()
            listed.close()

    with collector_paused():
        missing = sum(len(g.overall.missing_positions) for g in found)
    gaps_ms, peer_ms = statistics.median(times), statistics.median(peer_times)
    emit({"bench": "gaps", "books": args.books, "series": len(found), "series_listed": series_listed,
          "series_with_gaps": sum(1 for g in found if g.overall.missing_positions), "gaps_found": missing,
          "missing_ebooks": sum(len(g.ebook.missing_positions) for g in found),
          "missing_audiobooks": sum(len(g.audiobook.missing_positions) for g in found),
          "upcoming": sum(len(g.upcoming) for g in found),
          "flagged_series": sum(1 for g in found if g.flags),
          "runs": args.runs,
          "gaps_ms": rounded(gaps_ms, 1), "gaps_ms_min": rounded(min(times), 1),
          "fresh_peer": "the same analysis worked out afresh (keep_answers=False), turns taken",
          "fresh_ms": rounded(statistics.median(fresh_times), 1), "fresh_same_answer": fresh_agree,
          "gaps_vs_fresh": rounded(gaps_ms / statistics.median(fresh_times), 3) if fresh_agree else None,
          "gaps_first_ms": rounded(first_times[0], 1),
          "gaps_next_day_first_ms": rounded(next_day_times[0], 1),
          "next_day_fresh_ms": rounded(next_day_fresh_times[0], 1), "next_day_same_answer": next_day_agree,
          "gaps_ms_library_only": rounded(statistics.median(library_times), 1),
          "target_ms": 300,
          "peer": "per-series ORM queries, same rules", "peer_ms": rounded(peer_ms, 1),
          "peer_same_answer": agree, "ratio": rounded(gaps_ms / peer_ms, 4) if agree else None,
          **service_figures, **command_figures,
          "build_s": None if built is None else rounded(built, 2)})
    return 0


def time_the_service(listed: Catalog, listed_folder: Path, scratch: Path, found: list, runs: int) -> dict:
    """The SeriesService's answers for the views: cold, from saved rows, warm, after one edit."""
    def fresh(ask: Callable[[SeriesService], object]) -> Callable[[], object]:
        def run() -> object:  # a new service: nothing remembered, as when the app has just started
            service = SeriesService(listed, POLICY)
            try:
                return ask(service)
            finally:
                service.close()
        return run

    summaries_cold_times, rows = timed(fresh(SeriesService.summaries), runs)
    # The app's fresh start: a new process (a small heap, as at start) whose service finds the
    # rows an earlier run saved.
    saved_file = scratch / "series-cache.json"
    SeriesService(listed, POLICY, cache_file=saved_file).summaries()
    summaries_saved_times = [saved_start(listed_folder, saved_file, len(rows)) for _ in range(runs)]
    authors_times, people = timed(fresh(SeriesService.authors), max(1, runs // 2))
    wanted_times, wanted = timed(fresh(SeriesService.wanted), max(1, runs // 2))
    service = SeriesService(listed, POLICY)
    try:
        service.warm()
        summaries_warm_times, _ = timed(service.summaries, runs)
        some = next(g.series_id for g in found if g.sources and g.missing)
        entries_times, _ = timed(lambda: service.entries(some), runs)
        after_change_times = []  # the app's case: one edit, then the Series view again
        for run in range(runs):
            service.set_monitored(some, run % 2 == 0)
            started = time.perf_counter()
            service.summaries()
            after_change_times.append((time.perf_counter() - started) * 1000)
    finally:
        service.close()
    return {"summaries_cold_ms": rounded(statistics.median(summaries_cold_times), 1),
            "summaries_saved_ms": rounded(statistics.median(summaries_saved_times), 1),
            "summaries_warm_ms": rounded(statistics.median(summaries_warm_times), 2),
            "summaries_after_change_ms": rounded(statistics.median(after_change_times), 1),
            "summaries_target_ms": 200, "summaries_rows": len(rows),
            "entries_ms": rounded(statistics.median(entries_times), 2),
            "authors_ms": rounded(statistics.median(authors_times), 1), "authors": len(people),
            "wanted_ms": rounded(statistics.median(wanted_times), 1), "wanted": len(wanted)}


def time_the_command(listed_folder: Path, scratch: Path, runs: int) -> dict:
    """``bookdesk gaps --json`` on the library with listings and on an empty one (the command's own start)."""
    empty = scratch / "empty"
    open_catalog(empty).close()
    command = [sys.executable, "-m", "bookdesk", "gaps", "--json", "--library"]
    env = with_bytecode(child_env(scratch))
    started = time.perf_counter()  # the first run works every series out and keeps the answers
    first = subprocess.run([*command, str(listed_folder)], env=env, capture_output=True, check=True).stdout
    first_s = time.perf_counter() - started
    found, errors = measure_rounds({"big": [*command, str(listed_folder)], "empty": [*command, str(empty)]},
                                   env, runs)
    if errors:
        return {"command_errors": errors}
    kept = subprocess.run([*command, str(listed_folder)], env=env, capture_output=True, check=True).stdout
    big, start = (median([r.seconds for r in found[name]]) for name in ("big", "empty"))
    return {"command_s": rounded(big), "command_empty_s": rounded(start),
            "command_beyond_start_s": rounded(big - start), "command_target_s": 0.6,
            "command_first_s": rounded(first_s), "command_same_document": kept == first,
            "command_document_mb": rounded(len(kept) / 1e6, 1)}


if __name__ == "__main__":
    raise SystemExit(main())
