"""calibre as a real peer for the search bench: a calibre library holding the same books as a
BookDesk catalog, its search timed in its own process, and ``calibredb search`` as a person runs it.

calibre's Python is reached through ``calibre-debug -c`` (the Debian package's own interpreter and
modules); nothing of calibre is imported here.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from _common import log, with_bytecode

from bookdesk.data.catalog import CATALOG_NAME

CALIBRE_DEBUG = "/usr/bin/calibre-debug"
CALIBREDB = "/usr/bin/calibredb"

# Runs inside calibre-debug: argv = [library, books.json]. Adds every book without files, in one call.
_BUILD = """
import json, sys
from calibre.library import db
from calibre.ebooks.metadata.book.base import Metadata
cache = db(sys.argv[1]).new_api
books = []
for b in json.load(open(sys.argv[2])):
    mi = Metadata(b["title"], b["authors"] or ["Unknown"])
    if b["series"]:
        mi.series, mi.series_index = b["series"], b["series_index"] or 1.0
    mi.tags = b["tags"]
    if b["isbn"]:
        mi.isbn = b["isbn"]
    books.append((mi, {}))
cache.add_books(books, add_duplicates=True)
"""

# Runs inside calibre-debug: argv = [library, queries.json, warm_up.json]; prints one JSON line.
_SEARCH = """
import json, sys, time
from calibre.library import db
cache = db(sys.argv[1]).new_api
for q in json.load(open(sys.argv[3])):
    cache.search(q)
timings, hits = [], []
for q in json.load(open(sys.argv[2])):
    started = time.perf_counter()
    found = cache.search(q)
    timings.append((time.perf_counter() - started) * 1000)
    hits.append(len(found))
print(json.dumps({"timings_ms": timings, "hits": hits}))
"""


def calibre_env(config: Path) -> dict[str, str]:
    return with_bytecode(dict(os.environ, CALIBRE_CONFIG_DIRECTORY=str(config), QT_QPA_PLATFORM="offscreen"))


def _books(folder: Path) -> list[dict]:
    """The works of a BookDesk catalog as calibre metadata: title, authors, first series, tags, ISBN."""
    db = sqlite3.connect(f"{(folder / CATALOG_NAME).as_uri()}?mode=ro", uri=True)
    try:
        tags: dict[int, list[str]] = {}
        for work_id, tag in db.execute("SELECT work_id, tag FROM work_tags"):
            tags.setdefault(work_id, []).append(tag)
        isbns = dict(db.execute("SELECT work_id, min(value) FROM identifiers WHERE scheme = 'isbn' GROUP BY work_id"))
        rows = db.execute("SELECT id, title, authors_display, series_display, series_index FROM works ORDER BY id")
        return [{"title": title, "authors": [a for a in authors.split(" & ") if a],
                 "series": series.rsplit(" #", 1)[0] if series else "", "series_index": index,
                 "tags": tags.get(work_id, []), "isbn": isbns.get(work_id)}
                for work_id, title, authors, series, index in rows]
    finally:
        db.close()


def ensure_calibre_library(folder: Path, target: Path, config: Path) -> None:
    """A calibre library at ``target`` holding the books of the BookDesk catalog in ``folder``.

    Built on tmpfs and copied over: calibre commits and syncs each book, which on a busy disk takes
    minutes for what takes seconds in memory."""
    if (target / "metadata.db").exists():
        log(f"reusing the calibre library {target}")
        return
    log(f"building a calibre library of the books in {folder}")
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as scratch:
        books_file, library = Path(scratch) / "books.json", Path(scratch) / "library"
        books_file.write_text(json.dumps(_books(folder)))
        subprocess.run([CALIBRE_DEBUG, "-c", _BUILD, str(library), str(books_file)], env=calibre_env(config),
                       check=True, capture_output=True)
        shutil.copytree(library, target)


def calibre_search_times(library: Path, config: Path, queries: list[str],
                         warm_up: list[str]) -> tuple[list[float], list[int]]:
    """calibre's own search (``Cache.search``, in one warm calibre process): milliseconds and hits per query."""
    with tempfile.TemporaryDirectory() as scratch:
        asked, warm = Path(scratch) / "queries.json", Path(scratch) / "warm.json"
        asked.write_text(json.dumps(queries))
        warm.write_text(json.dumps(warm_up))
        done = subprocess.run([CALIBRE_DEBUG, "-c", _SEARCH, str(library), str(asked), str(warm)],
                              env=calibre_env(config), check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["timings_ms"], result["hits"]


def calibredb_search_command(library: Path, query: str) -> list[str]:
    return [CALIBREDB, "search", "--with-library", str(library), "--limit", "100000", query]
