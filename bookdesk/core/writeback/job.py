"""Writing metadata back into files as a job: the disk work off the event loop, then the catalog's
File rows told the new sizes and hashes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from typing import Any

from bookdesk.core.jobs import JobContext, JobResult, JobRunner
from bookdesk.core.writeback.service import WritebackService, WriteResult
from bookdesk.data.catalog import Catalog
from bookdesk.data.work_repository import WorkRepository

log = logging.getLogger(__name__)


async def write_back(ctx: JobContext, catalog: Catalog, work_ids: Sequence[int]) -> list[WriteResult]:
    service = WritebackService(catalog.folder)
    results: list[WriteResult] = []
    for done, work_id in enumerate(dict.fromkeys(work_ids), start=1):
        ctx.check_cancelled()
        with catalog.read() as session:
            found = WorkRepository(session).details([work_id])
        if not found:  # taken out since it changed (a sync removed it): nothing of it to write
            continue
        written = await asyncio.to_thread(service.write, found[0])
        with catalog.write() as session:
            repo = WorkRepository(session)
            for result in written:
                if result.changed:
                    repo.update_file_state(result.file_id, size=result.size, mtime=result.mtime,
                                           content_hash=result.content_hash)
                log.info("write back %s: %s %s", result.path, result.status, result.message)
        results += written
        ctx.report(done / max(len(work_ids), 1), f"{done} of {len(work_ids)} books written back")
    counts = {s: sum(1 for r in results if r.status == s) for s in ("written", "skipped", "failed")}
    ctx.summary = f"{counts['written']} files written, {counts['skipped']} skipped, {counts['failed']} failed"
    return results


def write_back_job(runner: JobRunner, catalog: Catalog, work_ids: Sequence[int]) -> Coroutine[Any, Any, JobResult]:
    """``write_back`` as a job of ``runner``, in Activity with its own Ref: what the commands that change
    books (identify, sync, edit) run after their job when the setting is on, as the window does."""
    count = len(set(work_ids))
    ctx = runner.create("write-back", f"Write metadata into the files of {count} book{'s' if count != 1 else ''}")
    return runner.run(ctx, lambda c: write_back(c, catalog, work_ids))
