"""``bookdesk list [--library DIR] [--search TEXT] [--json]``"""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.data.catalog_reader import reading
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_details import work_details
from bookdesk.data.work_listing import work_ids


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", metavar="TEXT")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.search, args.json)


def book_json(book: WorkDetail) -> dict:
    return {
        "id": book.id,
        "title": book.title,
        "authors": book.authors,
        "series": [{"name": s.name, "position": s.label} for s in book.series],
        "identifiers": book.identifiers,
        "language": book.language,
        "first_published": book.first_published,
        "cover": book.cover_path,  # relative to the library folder
        "files": [{"path": f.path, "format": f.format, "size": f.size} for f in book.files],
        "status": book.status,
        "read_state": book.read_state,  # unread, reading or finished
        "on_server": list(book.on_server),  # the Audiobookshelf servers holding it, by name
    }


def run(library: Path, search: str | None, as_json: bool) -> int:
    # Listing only reads, so it may share the library with a running BookDesk; the window's queries over a
    # plain sqlite3 connection, as SQLAlchemy's import alone took most of the command's start.
    with reading(library) as connection:
        books = work_details(connection, work_ids(connection, search))
    if as_json:
        emit_json({"books": [book_json(b) for b in books]})
        return 0
    for book in books:
        series = "; ".join(s.display for s in book.series)
        line = f"{book.id:>6}  {book.title} — {', '.join(book.authors) or 'Unknown'}"
        say(line + (f"  [{series}]" if series else ""))
    say(f"{len(books)} book(s)")
    return 0
