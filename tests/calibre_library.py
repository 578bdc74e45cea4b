"""A calibre library made the way calibre makes one, by the real ``calibredb``, for the tests of reading
and importing calibre libraries (bookdesk/core/calibre/): three books with series, several formats, covers,
ratings, tags, identifiers, publishers, languages, HTML comments and custom columns of most kinds.

Built once per test run (calibredb is slow: each call starts calibre), in the folder the test workers
share, under the lock the calibre server fixture's runs take turns with; each test copies it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.corpus import build_corpus
from tests.servers.calibre_server import _BUSY, BUSY_TIMEOUT, CALIBREDB, built_once, calibre_env, taking_turns

MISSING = "calibredb is not installed (Debian package calibre)"

# label, name, datatype, extra options
CUSTOM_COLUMNS = (
    ("read", "Read", "bool", []),
    ("shelf", "Shelf", "enumeration", ['--display={"enum_values": ["Next", "Later", "Never"]}']),
    ("moods", "Moods", "text", ["--is-multiple"]),
    ("pages", "Pages", "int", []),
    ("started", "Started", "datetime", []),
    ("notes", "Notes", "comments", []),
)

# What calibredb set_metadata gives each book, by the order they were added (calibre ids 1, 2, 3).
METADATA = (
    {"authors": "Ursula K. Le Guin & Jørgen Brontë", "author_sort": "Le Guin, Ursula K. & Brontë, Jørgen",
     "series": "Earthsea Cycle", "series_index": "2", "tags": "Fantasy,Wizards", "rating": "4",
     "publisher": "Parnassus", "pubdate": "1971-05-01", "languages": "eng,fra",
     "identifiers": "isbn:9780689845369,goodreads:13642,amazon:B008T9L2KQ",
     "comments": "<div><p>The <b>second</b> book &amp; a tomb.</p><script>alert(1)</script></div>",
     "timestamp": "2019-03-04"},
    {"authors": "O'Brien, Flann", "series": "Earthsea Cycle", "series_index": "2.5", "tags": "Comedy",
     "rating": "3", "languages": "eng", "identifiers": "google:abcDEF123,mydb:x-42",
     "comments": "Plain comment, two\n\nparagraphs."},
    {"authors": "Hiro Nakamura", "title": "Café: ¿Qué? [Ω] — \"quotes\" & 'more' / slash", "tags": ""},
)

CUSTOM_VALUES = (
    {"read": "true", "shelf": "Next", "moods": "dark,quiet", "pages": "205", "started": "2020-01-02",
     "notes": "<p>Loved <i>it</i></p>"},
    {"read": "false", "shelf": "Later", "pages": "99"},
    {},
)


def calibredb(home: Path, *args: str) -> str:
    """Run ``calibredb`` taking turns with every other test process; its standard output."""
    assert CALIBREDB is not None
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        with taking_turns(Path("/tmp") / "bookdesk-tests-calibredb.lock"):
            done = subprocess.run([CALIBREDB, *args], env=calibre_env(home), capture_output=True, text=True,
                                  timeout=300)
        if done.returncode == 0:
            return done.stdout
        if _BUSY not in done.stdout + done.stderr or time.monotonic() > deadline:
            raise RuntimeError(f"calibredb {args[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        time.sleep(0.5)


def build(folder: Path) -> Path:
    """The library at ``folder/library``; the EPUBs it came from stay in ``folder/books``."""
    home, library = folder / "home", folder / "library"
    truth = build_corpus(folder / "books", 3)
    books = [folder / "books" / t["file"] for t in truth]
    for label, name, datatype, extra in CUSTOM_COLUMNS:
        calibredb(home, "add_custom_column", "--with-library", str(library), *extra, label, name, datatype)
    calibredb(home, "add", "--with-library", str(library), *map(str, books))
    for book_id, fields in enumerate(METADATA, start=1):
        options = [f"--field={name}:{value}" for name, value in fields.items()]
        calibredb(home, "set_metadata", "--with-library", str(library), *options, str(book_id))
    for book_id, values in enumerate(CUSTOM_VALUES, start=1):
        for label, value in values.items():
            calibredb(home, "set_custom", "--with-library", str(library), label, str(book_id), value)
    # A second format of the first book, and a third book with no files at all but its cover.
    other = folder / "books" / "other.pdf"
    other.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    calibredb(home, "add_format", "--with-library", str(library), "1", str(other))
    return library


def listed(library: Path, home: Path) -> list[dict]:
    """What ``calibredb list --for-machine`` says of every book: the truth the reader is checked against."""
    out = calibredb(home, "list", "--with-library", str(library), "--fields", "all", "--for-machine")
    return sorted(json.loads(out), key=lambda b: b["id"])


@pytest.fixture(scope="session", name="calibre_made")
def calibre_made_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """(a calibre library made by calibredb, what ``calibredb list`` says of it), built once per run."""
    if CALIBREDB is None:
        pytest.skip(MISSING)
    return built_once(tmp_path_factory, "calibre-made", lambda folder: listed(build(folder), folder / "home"))


@pytest.fixture(name="calibre_copy")
def calibre_copy_fixture(calibre_made: tuple[Path, list[dict]], tmp_path: Path) -> tuple[Path, list[dict]]:
    """A copy of the calibre library of its own for one test, and what calibredb lists of it."""
    library, books = calibre_made
    copy = tmp_path / "Calibre Library"
    shutil.copytree(library, copy)
    return copy, books
