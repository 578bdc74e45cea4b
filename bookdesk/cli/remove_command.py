"""``bookdesk remove WORK_ID... [--keep-files] [--library DIR] [--json]``: take books out of the
library; their files go to the system trash unless kept. ``bookdesk undo REF`` puts them back, with the
files the trash still holds."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, job_failed, progress, say
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.removal.report import RemovalReport, plural
from bookdesk.core.removal.service import TRASH_NAME, RemovalService


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("work_ids", nargs="+", type=int, metavar="WORK_ID")
    parser.add_argument("--keep-files", action="store_true",
                        help=f"leave the books' files on disk (by default they go to {TRASH_NAME})")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.work_ids, args.keep_files, args.json)


def run(library: Path, work_ids: list[int], keep_files: bool, as_json: bool) -> int:
    service = LibraryService.open(library, create=False)
    try:
        removal = RemovalService(service.catalog)
        runner = JobRunner(service.catalog)
        ctx = runner.create("remove", f"Remove {plural(len(work_ids), 'book')}")

        async def job(c):  # noqa: ANN001 - JobContext
            report = removal.remove(work_ids, keep_files=keep_files)
            c.summary = report.summary()
            return report

        result = asyncio.run(runner.run(ctx, job))
    finally:
        service.close()
    if result.state != "succeeded":
        return job_failed("remove", result)
    report: RemovalReport = result.value
    if as_json:
        emit_json({"correlation_id": report.correlation_id, "removed": report.works,
                   "files_trashed": report.files_trashed, "files_kept": report.files_kept,
                   "failures": [{"work_id": f.work_id, "title": f.title, "reason": f.reason}
                                for f in report.failures]})
    elif report.works:
        say(f"Removed: {report.summary()} (Ref {report.correlation_id}; bookdesk undo {report.correlation_id} "
            "puts them back)")
    else:  # nothing changed: an undo would only say it made no change
        say(f"Removed nothing (Ref {report.correlation_id}).")
    for failure in report.failures:
        progress(f"bookdesk remove: {failure.reason} (Ref {report.correlation_id})")
    return 1 if report.failures else 0
