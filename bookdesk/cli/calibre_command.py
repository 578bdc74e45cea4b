"""``bookdesk calibre import DIR [--library LIB] [--mode in-place|copy|link] [--read-column LABEL] [--dry-run]
[--json]``: bring a calibre library over, every book with its fields, formats and cover, or (run again) what
changed in it since (core/calibre/)."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, job_failed, progress, progress_listener, say
from bookdesk.core.calibre.library_db import DATABASE
from bookdesk.core.calibre.plan import MODES, CalibrePlan, read_columns
from bookdesk.core.calibre.service import CalibreImportService, CalibreReport, missing_files
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_file import CATALOG_NAME, SCHEMA_HEAD, stored_revision
from bookdesk.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("import",), help="import: bring a calibre library over")
    parser.add_argument("folder", metavar="DIR", help="the calibre library (the folder holding metadata.db)")
    parser.add_argument("--mode", choices=MODES, default="in-place",
                        help="in-place (default): the catalog points at calibre's files and never writes them; "
                             "copy or link: lay them out in the library with its template")
    parser.add_argument("--read-column", metavar="LABEL",
                        help="the yes/no or choice custom column (by its label, e.g. read) to take as the read state")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would come over, where, and what is wrong; change nothing")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    folder = Path(args.folder).expanduser().absolute()
    if (folder / DATABASE).is_file() and Path(library).resolve() == folder.resolve():
        raise UsageError(f"{library} is calibre's own folder: BookDesk keeps its catalog in a folder of its own "
                         "(--library); in place, calibre's files are used where they are.")
    if args.dry_run and not (Path(library) / CATALOG_NAME).exists():
        # Nothing brought over yet, and a dry run writes nothing: planned against an empty catalog of its own.
        with tempfile.TemporaryDirectory(prefix="bookdesk-dry-run-") as empty:
            return _run(args, folder, Path(empty))
    if args.dry_run:
        _refuse_older_catalog(Path(library))
    return _run(args, folder, library)


def _refuse_older_catalog(library: Path) -> None:
    """Opening a catalog from an older BookDesk brings its schema up to date, a write a dry run must not make."""
    revision = stored_revision(library / CATALOG_NAME)
    if revision is not None and revision < SCHEMA_HEAD:
        raise UsageError(f"The catalog of {library} is from an older BookDesk (schema {revision}; this one uses "
                         f"{SCHEMA_HEAD}) and is updated when it is first opened, which a dry run must not do. "
                         "Run the import without --dry-run (it updates the catalog, then brings the library over), "
                         "or open the library once (bookdesk list) and ask for the dry run again.")


def _run(args: argparse.Namespace, folder: Path, library: Path) -> int:
    service = LibraryService.open(library)
    try:
        runner = JobRunner(service.catalog, listeners=[] if args.json or args.dry_run else [progress_listener()])
        importer = CalibreImportService(service.catalog)
        if args.dry_run:
            ctx = runner.create("calibre-preview", f"Preview: {CalibreImportService.job_title(folder)}")
            result = asyncio.run(runner.run(ctx, lambda c: importer.preview(c, folder, args.mode, args.read_column)))
        else:
            ctx = runner.create("calibre-import", CalibreImportService.job_title(folder))
            result = asyncio.run(runner.run(ctx, lambda c: importer.run(c, folder, args.mode, args.read_column)))
    finally:
        service.close()
    if result.state != "succeeded":
        if result.error is not None:
            raise result.error  # said as any command's failure is (a JSON error document with --json), with its Ref
        return job_failed("calibre import", result)
    if args.dry_run:
        _print_plan(result.value, args.json)
        return 0
    report: CalibreReport = result.value
    _print_report(report, args.json)
    return 1 if report.failed else 0


def _print_plan(plan: CalibrePlan, as_json: bool) -> None:
    if as_json:
        emit_json({"correlation_id": plan.correlation_id, "mode": plan.mode, "problems": plan.problems,
                   "missing_files": missing_files(plan),
                   "read_columns": read_columns(plan.columns), "removed_in_calibre": [k.work_id for k in plan.removed],
                   "items": [
            {"calibre_id": i.book.id, "title": i.title, "authors": i.authors, "status": i.status,
             "formats": [{"format": f.format, "from": str(f.path), "to": target} for f, target in i.files],
             "cover": i.cover_target, "work_id": i.work_id, "reason": i.reason or None} for i in plan.items]})
        return
    for item in plan.items:
        where = "; ".join(f"{f.format.upper()} -> {target}" for f, target in item.files) or item.formats or "no files"
        why = f" ({item.reason})" if item.reason else ""
        say(f"{item.status:>9}  {item.title} — {item.authors}: {where}{why}")
    for link in plan.removed:
        say(f"  removed in calibre: {link.fields.get('title') or f'book {link.work_id}'}")
    for problem in plan.problems:
        say(f"  problem: {problem}")
    if read_columns(plan.columns) and not plan.read_column:
        say(f"  columns that can be the read state (--read-column): {', '.join(read_columns(plan.columns))}")
    say(plan.summary())


def _print_report(report: CalibreReport, as_json: bool) -> None:
    if as_json:
        emit_json({"correlation_id": report.correlation_id, "mode": report.mode, "added": report.count("added"),
                   "duplicates": report.count("duplicate"), "updated": report.updated, "attached": report.attached,
                   "reviewed": report.reviewed,
                   "removed": report.removed,
                   "failed": [{"path": i.path, "error": i.error} for i in report.failed],
                   "problems": report.problems, "missing_files": report.missing, "seconds": round(report.seconds, 3),
                   "items": [{"path": i.path, "status": i.status, "work_id": i.work_id} for i in report.items]})
        return
    progress("")
    say(f"{report.summary()} in {report.seconds:.1f} s (Ref {report.correlation_id})")
    for item in report.failed:
        say(f"  failed: {item.path}: {item.error}")
    for problem in report.problems:
        say(f"  problem: {problem}")
