"""``bookdesk undo CORRELATION_ID [--library DIR] [--json]``: revert everything one job did.

The undo is a job in Activity with a Ref of its own, as the window's Undo is; with "write corrected metadata
into the book files" on, the files of the books whose fields were set back are written after it."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk import correlation
from bookdesk.cli.output import add_json_option, emit_json, job_failed, say
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import JobUndo, LibraryService
from bookdesk.core.settings import load_settings
from bookdesk.core.writeback.job import write_back_job
from bookdesk.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("correlation_id", metavar="CORRELATION_ID", help="the job's reference, e.g. BD-7K3Q9")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.correlation_id, args.json)


def run(library: Path, correlation_id: str, as_json: bool) -> int:
    correlation_id = correlation_id.strip().upper()
    if not correlation.is_valid(correlation_id):
        raise UsageError(f"{correlation_id!r} is not a reference id; they look like BD-7K3Q9.")
    service = LibraryService.open(library, create=False)
    try:
        from bookdesk.core.audiobookshelf.push_undo import is_push

        if is_push(service.catalog, correlation_id):  # what it changed is on an Audiobookshelf server
            from bookdesk.cli.abs_push import undo

            return undo(service, correlation_id, as_json)
        runner = JobRunner(service.catalog)  # a job in Activity, as the window's Undo is
        ctx = runner.create("undo", f"Undo of {correlation_id}")
        result = asyncio.run(runner.run(ctx, lambda c: service.undo_job_as_job(c, correlation_id)))
        if result.state != "succeeded":
            if result.error is not None:
                raise result.error  # said as any command's failure is, --json too
            return job_failed("undo", result)
        undo: JobUndo = result.value
        if undo.work_ids and load_settings().write_back_to_files:  # as Ctrl+Z and bookdesk edit do
            asyncio.run(write_back_job(runner, service.catalog, undo.work_ids))
    finally:
        service.close()
    imported = undo.imported
    if as_json:
        emit_json({
            "correlation_id": correlation_id,
            "changes_undone": undo.changes_undone,
            "calibre_links_undone": undo.links_undone,
            "works_removed": imported.works_removed if imported else 0,
            "files_removed": imported.files_removed if imported else 0,
            "files_restored": imported.files_restored if imported else 0,
            "files_kept": imported.files_kept if imported else 0,
            "works_restored": undo.restored.works_restored if undo.restored else 0,
            "files_back_from_trash": undo.restored.files_restored if undo.restored else [],
            "problems": undo.problems,
        })
    else:
        say(f"Undid {correlation_id}: {undo.summary()}")
        for problem in undo.problems:
            say(f"  problem: {problem}")
    return 1 if undo.problems else 0
