"""``bookdesk history WORK_ID [--library DIR] [--json]``: every change to one book's metadata."""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.core.library_service import LibraryService


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("work_id", type=int, metavar="WORK_ID")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.work_id, args.json)


def run(library: Path, work_id: int, as_json: bool) -> int:
    service = LibraryService.open(library, exclusive=False, create=False)
    try:
        book = service.detail(work_id)
        changes = service.history(work_id)
    finally:
        service.close()
    if as_json:
        emit_json({"work_id": work_id, "title": book.title, "changes": [
            {"id": c.id, "field": c.field, "old": c.old_value, "new": c.new_value, "source": c.source,
             "correlation_id": c.correlation_id, "changed_at": c.changed_at.isoformat() + "Z", "undone": c.undone}
            for c in changes]})
    else:
        say(f"{book.title} — {len(changes)} changes")
        for c in changes:
            undone = " (undone)" if c.undone else ""
            say(f"  {c.changed_at:%Y-%m-%d %H:%M}  {c.field}: {c.old_value!r} -> {c.new_value!r}  "
                f"[{c.source}, {c.correlation_id}]{undone}")
    return 0
