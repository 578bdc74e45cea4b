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

The parts: _library_words.py (the name pools), _library_plan.py (who wrote what, in which series),
_library_rows.py (the rows of every table); this file writes them, checks and times.

Usage: make_library.py DIR --books N [--seed S]
Prints {"bench":"make_library","books":N,"authors":..,"series":..,"files":..,"seconds":..}
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_SEED, catalog_book_count, emit, log, rounded  # noqa: E402
from _library_plan import plan_library  # noqa: E402
from _library_rows import make_rows  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from bookdesk.data import search_index  # noqa: E402
from bookdesk.data.catalog import open_catalog  # noqa: E402
from bookdesk.data.models import Work  # noqa: E402

BATCH = 20_000


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
