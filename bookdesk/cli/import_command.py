"""``bookdesk import PATH... [--library DIR] [--mode copy|move|link] [--json]``"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bookdesk.cli.output import emit_json, progress, say
from bookdesk.core.importer.service import ImportReport, ImportService
from bookdesk.core.jobs import JobEvent, JobRunner
from bookdesk.core.library_service import LibraryService


def run(library: Path, paths: list[str], mode: str, as_json: bool) -> int:
    service = LibraryService.open(library)
    try:
        runner = JobRunner(service.catalog)
        last = [0.0]

        def show(event: JobEvent) -> None:
            now = time.monotonic()
            if event.state == "running" and event.message and (now - last[0] > 1 or event.progress >= 1):
                last[0] = now
                progress(f"{event.progress:4.0%}  {event.message}")

        if not as_json:
            runner.listeners.append(show)
        importer = ImportService(service.catalog)
        ctx = runner.create("import", ImportService.job_title([Path(p) for p in paths]))
        result = asyncio.run(runner.run(ctx, lambda c: importer.run(c, [Path(p) for p in paths], mode)))
    finally:
        service.close()
    if result.state != "succeeded" or result.value is None:
        message = result.error.message if result.error else "The import did not finish."
        progress(f"bookdesk import: {message} (Ref {result.correlation_id})")
        return 1
    report: ImportReport = result.value
    if as_json:
        emit_json({
            "correlation_id": report.correlation_id,
            "added": report.count("added"),
            "duplicates": report.count("duplicate"),
            "failed": [{"path": i.path, "error": i.error, "correlation_id": i.correlation_id}
                       for i in report.failed],
            "items": [{"path": i.path, "status": i.status, "work_id": i.work_id} for i in report.items],
            "seconds": round(report.seconds, 3),
        })
    else:
        say(f"{report.summary()} in {report.seconds:.1f} s (Ref {report.correlation_id})")
        for item in report.failed:
            say(f"  failed: {item.path}: {item.error}")
    return 1 if report.failed else 0
