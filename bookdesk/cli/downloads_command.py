"""``bookdesk downloads [--library DIR] [--json]``: every download of the library and its state."""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import DownloadRecord

add_arguments = add_json_option  # --json is its one option


def main(args: argparse.Namespace, library: Path) -> int:
    """Every download of the library, newest change first."""
    service = LibraryService.open(library, exclusive=False, create=False)
    try:
        records = service.downloads()
    finally:
        service.close()
    if args.json:
        emit_json({"downloads": [_download(r) for r in records]})
        return 0
    if not records:
        say("No downloads.")
    for r in records:
        total = f"/{r.bytes_total:,}" if r.bytes_total else ""
        error = f"  {r.last_error}" if r.last_error else ""
        say(f"{r.id:>5}  {r.state:>9}  {r.bytes_done:,}{total}  {r.title or r.url}  (Ref {r.correlation_id}){error}")
    return 0


def _download(r: DownloadRecord) -> dict:
    return {"id": r.id, "url": r.url, "title": r.title, "state": r.state, "bytes_done": r.bytes_done,
            "bytes_total": r.bytes_total, "source": r.source, "kind": r.kind, "error": r.last_error,
            "correlation_id": r.correlation_id, "work_id": r.work_id, "path": r.path,
            "attempts": r.attempts, "updated_at": r.updated_at.isoformat() if r.updated_at else None}
