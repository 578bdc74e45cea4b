"""Bringing a calibre library over: ``preview`` (what would come, where, what is there already, what is wrong)
and ``run`` (do it, or carry out a preview's plan), as jobs with progress under one Ref.

One import at a time per library: it takes the importer's lock, and first takes back what an interrupted
import of files had left, as every import does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bookdesk.core.calibre.commit import BATCH, CalibreCommitter
from bookdesk.core.calibre.library_db import read_library
from bookdesk.core.calibre.plan import CALIBRE_UUID, MODES, CalibreItem, CalibrePlan, plan_library
from bookdesk.core.importer.placement import recover
from bookdesk.core.importer.plan import DUPLICATE, FAILED, NEW
from bookdesk.core.importer.service import ImportItem, ImportReport
from bookdesk.core.jobs import JobContext
from bookdesk.core.path_template import DEFAULT_TEMPLATE, validate
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import File, Identifier
from bookdesk.errors import UsageError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CalibreReport(ImportReport):
    problems: list[str] = field(default_factory=list)  # files missing, columns unread: what did not come


class CalibreImportService:
    def __init__(self, catalog: Catalog, template: str = DEFAULT_TEMPLATE) -> None:
        validate(template)
        self.catalog, self.template = catalog, template

    @staticmethod
    def job_title(folder: Path) -> str:
        return f"Bring over the calibre library {Path(folder).name or folder}"

    async def preview(self, ctx: JobContext, folder: Path, mode: str = "in-place") -> CalibrePlan:
        """What an import would do; nothing is written anywhere."""
        plan = await self._plan(ctx, folder, mode)
        ctx.summary = plan.summary()
        return plan

    async def run(self, ctx: JobContext, folder: Path, mode: str = "in-place") -> CalibreReport:
        """Bring the library over. A preview's plan is not carried out as it was: the library is planned
        again as it is now (calibre may have changed it since; reading even 10,000 books takes a moment)."""
        lock = self.catalog.task_lock("import")
        while not lock.acquire(blocking=False):  # the importer's lock: one import at a time per library
            ctx.report(0.0, "Waiting for another import to finish")
            await asyncio.sleep(0.2)
        try:
            recovered = await asyncio.to_thread(recover, self.catalog)
            if recovered:
                ctx.report(0.0, f"Took back {recovered} files an interrupted import had left")
            plan = await self._plan(ctx, Path(folder), mode)
            committer = CalibreCommitter(self.catalog, plan.folder, plan.mode, ctx.correlation_id)
            todo = [item for item in plan.items if item.status == NEW]
            started, done = time.perf_counter(), 0
            try:
                for start in range(0, len(todo), BATCH):
                    ctx.check_cancelled()
                    batch = todo[start:start + BATCH]
                    await asyncio.to_thread(committer.commit, batch)
                    done += len(batch)
                    rate = done / max(time.perf_counter() - started, 1e-6)
                    ctx.report(done / len(todo), f"{done:,} of {len(todo):,} books · {rate:,.0f}/s")
            finally:
                ctx.summary = report_of(plan, ctx.correlation_id).summary()
        finally:
            lock.release()
        return report_of(plan, ctx.correlation_id)

    async def _plan(self, ctx: JobContext, folder: Path, mode: str) -> CalibrePlan:
        if mode not in MODES:
            raise UsageError(f"A calibre library comes over {', '.join(MODES)}; not {mode!r}.")
        ctx.report(0.0, f"Reading the calibre library {folder}")
        library = await asyncio.to_thread(read_library, folder)
        plan = CalibrePlan(ctx.correlation_id, library.folder, mode)
        known, taken = await asyncio.to_thread(self._known)
        ctx.report(0.0, f"Found {len(library.books):,} books")
        await asyncio.to_thread(plan_library, library, plan, known, taken, self.catalog.folder, self.template)
        for problem in plan.problems:
            log.warning("calibre: %s", problem)
        return plan

    def _known(self) -> tuple[dict[str, int], set[str]]:
        """The calibre books brought over already (uuid -> work id), and every catalog path in use."""
        with self.catalog.read() as session:
            known = dict(session.execute(select(Identifier.value, Identifier.work_id)
                                         .where(Identifier.scheme == CALIBRE_UUID)).all())
            taken = set(session.execute(select(File.path)).scalars())
        return known, taken


def report_of(plan: CalibrePlan, correlation_id: str) -> CalibreReport:
    """The plan as carried out, in the report every import gives (the CLI's and Activity's words)."""
    return CalibreReport(correlation_id, [_as_item(item, correlation_id) for item in plan.items],
                         time.perf_counter() - plan.started, plan.mode, list(plan.problems))


def _as_item(item: CalibreItem, correlation_id: str) -> ImportItem:
    status = {NEW: "added", DUPLICATE: "duplicate", FAILED: "failed"}[item.status]
    if status == "added" and item.work_id is None:  # planned, never reached: cancelled or stopped
        status = "failed"
        item.reason = item.reason or "not added: the import stopped before it"
    return ImportItem(item.source, status, item.work_id if status != "failed" else None,
                      item.reason if status == "failed" else None, correlation_id, "book" if status == "added" else "")
