"""``bookdesk wanted [--library DIR] [--json]``: the wanted books."""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.cli.series_reading import read_series
from bookdesk.core.series.summaries import WantedBook

add_arguments = add_json_option  # --json is its one option


def main(args: argparse.Namespace, library: Path) -> int:
    books = read_series(library, lambda service: service.wanted())
    if args.json:
        emit_json({"wanted": [wanted_json(b) for b in books]})
        return 0
    for book in books:
        series = "; ".join(f"{name} #{label}" if label else name for name, label in book.series)
        kinds = f" ({', '.join(book.media_kinds)})" if book.media_kinds else ""
        due = f", out {book.release_date.isoformat()}" if book.release_date else ""
        say(f"{book.id:>6}  {book.title} — {book.authors or 'Unknown'}{kinds}" + (f"  [{series}]" if series else "")
            + due)
    say(f"{len(books)} wanted book(s)")
    return 0


def wanted_json(book: WantedBook) -> dict:
    return {"id": book.id, "title": book.title, "authors": book.authors,
            "series": [{"name": name, "position": label} for name, label in book.series],
            "media_kinds": list(book.media_kinds), "status": book.status,
            "release_date": book.release_date.isoformat() if book.release_date else None,
            "cover_url": book.cover_url}
