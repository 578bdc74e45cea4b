"""``bookdesk import PATH... [--library DIR] [--mode copy|move|link] [--json]``"""

from __future__ import annotations

import argparse
import asyncio
import shutil
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, job_failed, progress, progress_listener, say
from bookdesk.core.importer.placement import STAGING
from bookdesk.core.importer.plan import ImportPlan
from bookdesk.core.importer.service import ImportReport, ImportService, partial_report
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.errors import LibraryError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--mode", choices=("copy", "move", "link"), default="copy")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be added, where, and what is already there; change nothing")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    if args.dry_run:
        return preview(library, args.paths, args.json)
    return run(library, args.paths, args.mode, args.json)


def run(library: Path, paths: list[str], mode: str, as_json: bool) -> int:
    sources = [Path(p) for p in paths]
    service = LibraryService.open(library)
    try:
        runner = JobRunner(service.catalog, listeners=[] if as_json else [progress_listener()])
        importer = ImportService(service.catalog)
        ctx = runner.create("import", ImportService.job_title(sources))
        try:
            result = asyncio.run(runner.run(ctx, lambda c: importer.run(c, sources, mode)))
        except KeyboardInterrupt:  # Ctrl+C: the books already committed stay; say what was done
            progress(f"bookdesk import: interrupted (Ref {ctx.correlation_id})")
            report = partial_report(ctx.partial_result)
            if report is not None:
                _print(report, as_json, error="interrupted")
            return EXIT_INTERRUPTED
    finally:
        service.close()
    if isinstance(result.error, LibraryError):
        raise result.error  # the library itself stopped (damage, a full disk): said as the command's error
    report = partial_report(result.value)
    if result.state != "succeeded":
        message = result.error.message if result.error else "The import was cancelled."
        progress(f"bookdesk import: {message} (Ref {result.correlation_id})")
        if report is not None:
            _print(report, as_json, error=message)
        return 1
    assert report is not None
    _print(report, as_json)
    return 1 if report.failed else 0


def preview(library: Path, paths: list[str], as_json: bool) -> int:
    """The plan of an import, and nothing done: ``bookdesk import --dry-run``."""
    sources = [Path(p) for p in paths]
    service = LibraryService.open(library)
    try:
        runner = JobRunner(service.catalog)
        importer = ImportService(service.catalog)
        ctx = runner.create("import-preview", f"Preview of {ImportService.job_title(sources)}")
        result = asyncio.run(runner.run(ctx, lambda c: importer.preview(c, sources)))
        shutil.rmtree(service.folder / STAGING / ctx.correlation_id, ignore_errors=True)  # its cover cache
    finally:
        service.close()
    if result.state != "succeeded":
        return job_failed("import", result)
    plan: ImportPlan = result.value
    if as_json:
        emit_json({"correlation_id": plan.correlation_id, "items": [
            {"path": str(i.source), "status": i.status, "title": i.title, "authors": i.authors,
             "format": i.format, "destination": i.destination, "work_id": i.work_id, "reason": i.reason or None}
            for i in plan.items]})
    else:
        for item in plan.items:
            where = f" -> {item.destination}" if item.destination else ""
            why = f" ({item.reason})" if item.reason else ""
            say(f"{item.status:>9}  {item.source}{where}{why}")
        say(plan.summary())
    return 0


EXIT_INTERRUPTED = 130  # as shells report a command stopped by Ctrl+C


def _print(report: ImportReport, as_json: bool, error: str | None = None) -> None:
    if as_json:
        document = {
            "correlation_id": report.correlation_id,
            "added": report.count("added"),
            "duplicates": report.count("duplicate"),
            "failed": [{"path": i.path, "error": i.error, "correlation_id": i.correlation_id}
                       for i in report.failed],
            "items": [{"path": i.path, "status": i.status, "work_id": i.work_id} for i in report.items],
            "seconds": round(report.seconds, 3),
        }
        if error is not None:
            document["error"] = error
        emit_json(document)
        return
    say(f"{report.summary()} in {report.seconds:.1f} s (Ref {report.correlation_id})")
    for item in report.failed:
        say(f"  failed: {item.path}: {item.error}")
