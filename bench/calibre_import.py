"""Bringing a 10,000-book calibre library over in place, against calibre reading the same library.

The calibre library is made once and kept (``--calibre``, by default under /tmp): N EPUBs made by
tests/corpus.py, added by calibre itself in one ``calibre-debug`` process through its own API
(``Cache.add_books``, what ``calibredb add`` calls, in batches of 1,000 instead of one process per
call: 10,000 ``calibredb`` runs would take hours), each book with its EPUB, a cover, tags, identifiers,
a rating, a publisher, a date, HTML comments, a series for most, and two custom columns (made by
``calibredb add_custom_column``: a yes/no "read" and a text "shelf"). It is built on tmpfs and copied.

In one run, ``--runs`` times each (three by default), taking turns to go first:
- BookDesk: ``python -m bookdesk calibre import LIB --library FRESH --json`` (in place, into an empty library),
- calibre: ``calibredb list --fields all --for-machine --with-library LIB`` (calibre reading every field of
  every book and printing it),
each a separate process timed from start to exit, with the peak of its summed RSS (bench/_measure.py).
Figures are the medians; BookDesk's books/s are over its whole command, and over the job itself as its
report gives it. Targets: >= 1,000 books/s and <= 300 MB.

Then a re-run after calibre changed many books (``--rerun``, 2,000 by default; 0 leaves it out): a copy of
the library is brought over once, calibre's own API changes the rating, publisher, tags and a custom column
of that many books (their last-modified times move, as an edit in calibre moves them), and each run takes a
fresh copy of that BookDesk library and runs the import again, timed as above against ``calibredb list`` of
the changed library, taking turns to go first. ``--skip-import`` measures the re-run alone.

Usage: calibre_import.py [--books N] [--calibre DIR] [--runs R] [--rerun N] [--skip-import]
Prints {"bench":"calibre_import","books":N,"bookdesk_books_per_s":..,"peak_mb":..,"calibredb_list_s":..,
"rerun_changed":..,"rerun_job_s":..,"rerun_calibredb_list_s":..,...}
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _calibre_peer import CALIBRE_DEBUG, CALIBREDB, calibre_env  # noqa: E402
from _common import REPO, emit, log, make_corpus, median, rounded, with_bytecode  # noqa: E402
from _measure import measure  # noqa: E402

# Runs inside calibre-debug: argv = [library, books.json, cover]. Adds the books 1,000 at a time.
_BUILD = """
import json, sys
from calibre.library import db
from calibre.ebooks.metadata.book.base import Metadata
cache = db(sys.argv[1]).new_api
cover = open(sys.argv[3], "rb").read()
books = json.load(open(sys.argv[2]))
for start in range(0, len(books), 1000):
    batch = []
    for b in books[start:start + 1000]:
        mi = Metadata(b["title"], [b["author"]])
        if b["series"]:
            mi.series, mi.series_index = b["series"], b["index"] or 1.0
        mi.tags = b["tags"]
        mi.set_identifiers(b["identifiers"])
        mi.rating, mi.publisher, mi.comments = b["rating"], b["publisher"], b["comments"]
        mi.cover_data = ("png", cover)
        batch.append((mi, {"epub": b["path"]}))
    ids = cache.add_books(batch, add_duplicates=True)[0]
    cache.set_field("#read", {book_id: i % 3 == 0 for i, book_id in enumerate(ids)})
    cache.set_field("#shelf", {book_id: ("Next", "Later")[i % 2] for i, book_id in enumerate(ids)})
    print(start + len(batch), flush=True)
"""


# Runs inside calibre-debug: argv = [library, N]. Changes N books as a person's bulk edit in calibre does.
_CHANGE = """
import sys
from calibre.library import db
cache = db(sys.argv[1]).new_api
ids = sorted(cache.all_book_ids())[:int(sys.argv[2])]
cache.set_field("rating", {i: 10 for i in ids})
cache.set_field("publisher", {i: "Changed Press" for i in ids})
cache.set_field("tags", {i: ("Fiction", "Changed") for i in ids})
cache.set_field("#shelf", {i: "Changed" for i in ids})
"""


def calibre_count(library: Path) -> int | None:
    try:
        db = sqlite3.connect(f"{(library / 'metadata.db').as_uri()}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM books").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return None


def ensure_calibre_library(target: Path, books: int) -> None:
    if calibre_count(target) == books:
        log(f"reusing the calibre library {target}")
        return
    shutil.rmtree(target, ignore_errors=True)
    log(f"building a calibre library of {books:,} books in {target} (once; it is kept)")
    sys.path.insert(0, str(REPO))
    from tests.corpus import png

    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as scratch:
        work = Path(scratch)
        make_corpus(work / "corpus", books)
        truth = json.loads((work / "corpus" / "manifest.json").read_text(encoding="utf-8"))
        listed = [{"title": t["title"], "author": t["author"] or "Unknown", "series": t["series"], "index": t["index"],
                   "path": str(work / "corpus" / t["file"]), "tags": ["Fiction", f"Shelf {k % 40}"],
                   "identifiers": {"isbn": t["isbn"]} if t["isbn"] else {"goodreads": str(1000 + k)},
                   "rating": (k % 5) * 2 + 2, "publisher": f"Press {k % 25}",
                   "comments": f"<p>A <b>book</b> of {t['title']}.</p>"} for k, t in enumerate(truth)]
        (work / "books.json").write_text(json.dumps(listed), encoding="utf-8")
        (work / "cover.png").write_bytes(png((120, 80, 40), 300, 450))
        library, env = work / "library", calibre_env(work / "config")
        for label, kind in (("read", "bool"), ("shelf", "text")):
            subprocess.run([CALIBREDB, "add_custom_column", "--with-library", str(library), label, label.title(), kind],
                           env=env, check=True, capture_output=True)
        subprocess.run([CALIBRE_DEBUG, "-c", _BUILD, str(library), str(work / "books.json"), str(work / "cover.png")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        shutil.copytree(library, target)
    log(f"built: {calibre_count(target):,} books")


def rerun(library: Path, changed: int, runs: int, env: dict, calibre: dict, scratch: Path) -> dict[str, object]:
    """The re-run after calibre changed ``changed`` books, against calibredb list of the changed library."""
    changing, base = scratch / "calibre-changed", scratch / "rerun-base"
    shutil.copytree(library, changing)
    first = subprocess.run([sys.executable, "-m", "bookdesk", "calibre", "import", str(changing), "--library",
                            str(base), "--json"], env=env, capture_output=True, text=True)
    if first.returncode != 0:
        raise SystemExit(f"the first import failed: {first.stderr}")
    subprocess.run([CALIBRE_DEBUG, "-c", _CHANGE, str(changing), str(changed)], env=calibre, check=True,
                   stdout=subprocess.DEVNULL)
    ours, theirs, jobs = [], [], []
    for run in range(runs):
        for side in (("bookdesk", "calibre") if run % 2 == 0 else ("calibre", "bookdesk")):
            if side == "calibre":
                theirs.append(measure([CALIBREDB, "list", "--fields", "all", "--for-machine", "--with-library",
                                       str(changing)], calibre))
                continue
            fresh = scratch / f"rerun-{run}"
            shutil.copytree(base, fresh)
            done = measure([sys.executable, "-m", "bookdesk", "calibre", "import", str(changing), "--library",
                            str(fresh), "--json"], env)
            report = json.loads(done["stdout"])
            if report["updated"] != changed:
                raise SystemExit(f"the re-run brought {report['updated']} of {changed} changes: {done['stderr']}")
            ours.append(done)
            jobs.append(report["seconds"])
        log(f"re-run {run + 1}: bookdesk {ours[-1]['seconds']:.2f} s (job {jobs[-1]:.2f} s), "
            f"calibredb list {theirs[-1]['seconds']:.2f} s")
    return {"rerun_changed": changed, "rerun_s": rounded(median([r["seconds"] for r in ours])),
            "rerun_job_s": rounded(median(jobs)), "rerun_job_books_per_s": rounded(changed / median(jobs), 1),
            "rerun_peak_mb": rounded(max(r["peak_kb"] for r in ours) / 1024, 1),
            "rerun_calibredb_list_s": rounded(median([r["seconds"] for r in theirs]))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--calibre", type=Path, help="the calibre library to use (made there if missing)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rerun", type=int, default=2_000, help="books changed in calibre before a re-run; 0: none")
    parser.add_argument("--skip-import", action="store_true", help="measure the re-run alone")
    args = parser.parse_args()
    library = args.calibre or Path(tempfile.gettempdir()) / "bookdesk-bench" / f"calibre-{args.books}"
    ensure_calibre_library(library, args.books)
    env = with_bytecode(dict(os.environ, PYTHONPATH=str(REPO)))
    calibre = calibre_env(Path(tempfile.gettempdir()) / "bookdesk-bench" / "calibre-config")
    ours, theirs, job_seconds = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        again = rerun(library, args.rerun, args.runs, env, calibre, Path(scratch)) if args.rerun else {}
        for run in range(0 if args.skip_import else args.runs):
            order = ("bookdesk", "calibre") if run % 2 == 0 else ("calibre", "bookdesk")
            for side in order:
                if side == "bookdesk":
                    fresh = Path(scratch) / f"library-{run}"
                    done = measure([sys.executable, "-m", "bookdesk", "calibre", "import", str(library), "--library",
                                    str(fresh), "--json"], env)
                    report = json.loads(done["stdout"])
                    if report["added"] != args.books:
                        raise SystemExit(f"BookDesk added {report['added']} of {args.books}: {done['stderr']}")
                    ours.append(done)
                    job_seconds.append(report["seconds"])
                else:
                    theirs.append(measure([CALIBREDB, "list", "--fields", "all", "--for-machine", "--with-library",
                                           str(library)], calibre))
            log(f"run {run + 1}: bookdesk {ours[-1]['seconds']:.2f} s, calibredb list {theirs[-1]['seconds']:.2f} s")
    if args.skip_import:
        emit({"bench": "calibre_import", "books": args.books, "runs": args.runs, "mode": "in-place", **again})
        return
    ours_s, theirs_s = median([r["seconds"] for r in ours]), median([r["seconds"] for r in theirs])
    emit({**again, "bench": "calibre_import", "books": args.books, "runs": args.runs, "mode": "in-place",
          "bookdesk_s": rounded(ours_s), "bookdesk_books_per_s": rounded(args.books / ours_s, 1),
          "bookdesk_job_s": rounded(median(job_seconds)),
          "bookdesk_job_books_per_s": rounded(args.books / median(job_seconds), 1),
          "peak_mb": rounded(max(r["peak_kb"] for r in ours) / 1024, 1),
          "calibredb_list_s": rounded(theirs_s), "calibredb_list_books_per_s": rounded(args.books / theirs_s, 1),
          "calibredb_list_peak_mb": rounded(max(r["peak_kb"] for r in theirs) / 1024, 1),
          "ratio": rounded(theirs_s / ours_s, 2),
          "targets_met": args.books / ours_s >= 1000 and max(r["peak_kb"] for r in ours) / 1024 <= 300})


if __name__ == "__main__":
    main()
