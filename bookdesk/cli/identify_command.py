"""``bookdesk identify (--all | WORK_ID...) [--library DIR] [--json]``: find what books really are and correct them."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, job_failed, progress, progress_listener, say
from bookdesk.core.identify.make_service import identify_service
from bookdesk.core.identify.service import ERROR, OFFLINE, IdentifyReport
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.factory import open_net
from bookdesk.core.settings import load_settings
from bookdesk.core.writeback.job import write_back_job
from bookdesk.errors import UsageError
from bookdesk.platform.keyring_store import system_secret_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("work_ids", nargs="*", type=int, metavar="WORK_ID")
    parser.add_argument("--all", action="store_true", help="every book in the library")
    add_json_option(parser)


def main(args: argparse.Namespace, library: Path) -> int:
    return run(library, args.work_ids, args.all, args.json)


def run(library: Path, work_ids: list[int], every: bool, as_json: bool) -> int:
    if every == bool(work_ids):
        raise UsageError("Name the books to identify by id, or say --all (not both).")
    service = LibraryService.open(library, create=False)
    try:
        ids = service.work_ids() if every else work_ids
        for work_id in ids:
            service.detail(work_id)  # a wrong id is bad usage, said before any request goes out
        runner = JobRunner(service.catalog, listeners=[progress_listener()])
        ctx = runner.create("identify", f"Identify {len(ids)} book{'s' if len(ids) != 1 else ''}")
        result = asyncio.run(runner.run(ctx, lambda c: _identify(service, c, ids)))
        changed = [r.work_id for r in result.value.results if r.changes] if result.value else []
        if changed and load_settings().write_back_to_files:
            asyncio.run(write_back_job(runner, service.catalog, changed))
    finally:
        service.close()
    if result.state != "succeeded":
        return job_failed("identify", result)
    report: IdentifyReport = result.value
    for note in report.notes + (report.left_out if as_json else []):  # the summary line says those left out
        progress(f"note: {note}")
    if as_json:
        emit_json({"correlation_id": report.correlation_id, "results": [
            {"work_id": r.work_id, "status": r.status, "score": r.score, "candidate": r.candidate,
             "changes": r.changes, "reason": r.reason, "error": r.error, "provider_errors": r.provider_errors}
            for r in report.results]})
    else:
        for r in report.results:
            detail = r.error or r.reason
            say(f"{r.work_id:>6}  {r.status:<8} {'' if r.score is None else f'{r.score:.2f}'}  {detail}")
        say(f"{report.summary()} (Ref {report.correlation_id})")
    # A book that could not be looked up (offline) is no answer a script may take for "not found".
    return 1 if report.count(ERROR) or report.count(OFFLINE) else 0


async def _identify(service: LibraryService, ctx, ids: list[int]) -> IdentifyReport:  # noqa: ANN001
    async with open_net() as client:
        identify = identify_service(service.catalog, client, load_settings(), system_secret_store())
        return await identify.identify(ctx, ids)
