"""Bringing a calibre library over, and keeping it in step: ``preview`` (what would come, where, what is
there already, what changed, what is wrong) and ``run`` (do it), as jobs with progress under one Ref.

A run of a library brought over before brings only what changed in calibre since (follow.py), adds the
books calibre gained, and takes out of the catalog the books calibre no longer has that were kept in place
(their files were calibre's; a removal that undoes by the same Ref). One import at a time per library: it
takes the importer's lock, and first takes back what an interrupted import of files had left.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bookdesk.core.calibre.attach import attach
from bookdesk.core.calibre.commit import BATCH, CalibreCommitter
from bookdesk.core.calibre.follow import follow
from bookdesk.core.calibre.follow_copies import follow_copies
from bookdesk.core.calibre.library_db import read_library
from bookdesk.core.calibre.matching import CalibreMatcher
from bookdesk.core.calibre.meanwhile import brought_meanwhile, offered
from bookdesk.core.calibre.plan import (
    ATTACH,
    CALIBRE_UUID,
    IN_PLACE,
    MODES,
    REMOVED_HERE,
    UPDATE,
    CalibreItem,
    CalibrePlan,
    plan_library,
)
from bookdesk.core.importer.placement import recover
from bookdesk.core.importer.plan import DUPLICATE, FAILED, NEW
from bookdesk.core.importer.service import ImportItem, ImportReport
from bookdesk.core.jobs import JobContext
from bookdesk.core.path_template import DEFAULT_TEMPLATE, validate
from bookdesk.core.removal.remove_books import remove_books
from bookdesk.data.calibre_repository import CalibreRepository, Link
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import File
from bookdesk.data.removal_repository import RemovalRepository
from bookdesk.errors import UsageError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CalibreReport(ImportReport):
    problems: list[str] = field(default_factory=list)  # files missing, columns unread: what did not come
    updated: int = 0  # books calibre changed since the last run, brought up to date
    attached: int = 0  # books here already (imported from their files) linked to their calibre book
    reviewed: int = 0  # books sent to review: a field changed on both sides, or differing in a book linked
    removed: int = 0  # books calibre no longer has, taken out of the catalog
    removed_here: int = 0  # books a person removed from BookDesk, not brought back
    changed: list[int] = field(default_factory=list)  # the works brought up to date
    meanwhile: list[str] = field(default_factory=list)  # what another run brought since the preview (meanwhile.py)
    missing: list[str] = field(default_factory=list)  # books calibre lists files of that are not on disk, named


    def summary(self) -> str:
        parts = [self._added() + (": " + ", ".join(self.meanwhile) if self.meanwhile else "")]
        for count, words in ((self.updated, "changed in calibre brought up to date"),
                             (self.attached, "here already, linked to calibre"),
                             (self.reviewed, "with fields differing sent to review"),
                             (self.removed, "removed in calibre taken out"),
                             (self.removed_here, "removed here, not brought back"),
                             (self.count("duplicate") - self.removed_here, "unchanged"), (len(self.failed), "failed")):
            if count:
                parts.append(f"{count:,} {words}")
        if self.missing:
            parts.append(missing_said(self.missing))
        return ", ".join(parts)


class CalibreImportService:
    def __init__(self, catalog: Catalog, template: str = DEFAULT_TEMPLATE) -> None:
        validate(template)
        self.catalog, self.template = catalog, template

    @staticmethod
    def job_title(folder: Path) -> str:
        return f"Bring over the calibre library {Path(folder).name or folder}"

    async def preview(self, ctx: JobContext, folder: Path, mode: str = "in-place",
                      read_column: str | None = None) -> CalibrePlan:
        """What a run would do; nothing is written anywhere."""
        plan = await self._plan(ctx, folder, mode, read_column)
        ctx.summary = plan.summary()
        return plan

    async def run(self, ctx: JobContext, folder: Path, mode: str = "in-place", read_column: str | None = None,
                  previewed: CalibrePlan | None = None) -> CalibreReport:
        """Bring the library over, or what changed in it. A preview's plan is not carried out as it was: the
        library is planned again as it is now (calibre may have changed it since; that takes a moment), and
        what another run (the follow job) brought since ``previewed`` was made is said."""
        lock = self.catalog.task_lock("import")
        while not lock.acquire(blocking=False):  # the importer's lock: one import at a time per library
            ctx.report(0.0, "Waiting for another import to finish")
            await asyncio.sleep(0.2)
        try:
            recovered = await asyncio.to_thread(recover, self.catalog)
            if recovered:
                ctx.report(0.0, f"Took back {recovered} files an interrupted import had left")
            plan = await self._plan(ctx, Path(folder), mode, read_column)
            report = report_of(plan, ctx.correlation_id)
            if previewed is not None:
                report.meanwhile = brought_meanwhile(previewed, plan, await asyncio.to_thread(self._runs, previewed))
            try:
                await self._carry_out(ctx, plan, report)
            finally:
                report.items = report_of(plan, ctx.correlation_id, set(report.changed)).items
                ctx.summary = report.summary()
        finally:
            lock.release()
        report.seconds = time.perf_counter() - plan.started
        return report

    async def _carry_out(self, ctx: JobContext, plan: CalibrePlan, report: CalibreReport) -> None:
        committer = CalibreCommitter(self.catalog, plan, ctx.correlation_id)
        new = [item for item in plan.items if item.status == NEW]
        changed = [item for item in plan.items if item.status == UPDATE]
        linked = [item for item in plan.items if item.status == ATTACH]
        total, done, started = len(new) + len(changed) + len(linked), 0, time.perf_counter()
        for status, todo in ((NEW, new), (UPDATE, changed), (ATTACH, linked)):
            for start in range(0, len(todo), BATCH):
                ctx.check_cancelled()
                batch = todo[start:start + BATCH]
                if status == NEW:
                    await asyncio.to_thread(committer.commit, batch)
                elif status == ATTACH:
                    report.reviewed += await asyncio.to_thread(self._attach, batch, plan, ctx.correlation_id)
                    report.attached += len(batch)
                    if plan.mode != IN_PLACE:  # the formats it has no file of, laid out as the others
                        report.problems += await asyncio.to_thread(follow_copies, self.catalog, batch, plan,
                                                                   ctx.correlation_id, self.template)
                    report.changed += [item.work_id for item in batch if item.work_id is not None]
                else:
                    report.reviewed += await asyncio.to_thread(self._follow, batch, plan, ctx.correlation_id)
                    if plan.mode != IN_PLACE:  # a copied or linked book's formats (in place: follow.py)
                        report.problems += await asyncio.to_thread(follow_copies, self.catalog, batch, plan,
                                                                   ctx.correlation_id, self.template)
                    report.updated += len(batch)
                    report.changed += [item.work_id for item in batch if item.work_id is not None]
                done += len(batch)
                rate = done / max(time.perf_counter() - started, 1e-6)
                ctx.report(done / total, f"{done:,} of {total:,} books · {rate:,.0f}/s")
        if plan.removed:
            report.removed = await asyncio.to_thread(self._take_out, plan.removed, ctx.correlation_id)

    def _follow(self, items: list[CalibreItem], plan: CalibrePlan, correlation_id: str) -> int:
        with self.catalog.write() as session:
            return follow(session, items, plan, correlation_id)

    def _attach(self, items: list[CalibreItem], plan: CalibrePlan, correlation_id: str) -> int:
        with self.catalog.write() as session:
            return attach(session, items, plan, correlation_id)

    def _take_out(self, removed: list[Link], correlation_id: str) -> int:
        """The books calibre no longer has whose files were calibre's own (in place) leave the catalog, their
        files untouched; a copied or linked book is the library's own and stays."""
        works = [link.work_id for link in removed]
        with self.catalog.read() as session:
            paths = session.execute(select(File.work_id, File.path).where(File.work_id.in_(works))).all()
        own = {work for work, path in paths if not Path(path).is_absolute()}
        gone = [work for work in works if work not in own]
        if not gone:
            return 0
        return len(remove_books(self.catalog, gone, keep_files=True, correlation_id=correlation_id).works)

    async def _plan(self, ctx: JobContext, folder: Path, mode: str, read_column: str | None) -> CalibrePlan:
        if mode not in MODES:
            raise UsageError(f"A calibre library comes over {', '.join(MODES)}; not {mode!r}.")
        ctx.report(0.0, f"Reading the calibre library {folder}")
        library = await asyncio.to_thread(read_library, folder)
        if mode == "link" and library.folder.stat().st_dev != self.catalog.folder.stat().st_dev:
            raise UsageError(f"{library.folder} is on another disk than the BookDesk library: its files cannot be "
                             "hard-linked from there. Copy them, or keep them in place.")
        plan = CalibrePlan(ctx.correlation_id, library.folder, mode, read_column or None)
        links, taken, removed_here, formats_here = await asyncio.to_thread(self._known)
        ctx.report(0.0, f"Found {len(library.books):,} books")
        unlinked = any(book.uuid not in links for book in library.books)
        matcher = await asyncio.to_thread(self._matcher, links) if unlinked else None
        await asyncio.to_thread(plan_library, library, plan, links, taken, self.catalog.folder, self.template,
                                removed_here, matcher, formats_here)
        for problem in plan.problems:
            log.warning("calibre: %s", problem)
        return plan

    def _matcher(self, links: dict[str, Link]) -> CalibreMatcher:
        with self.catalog.read() as session:
            return CalibreMatcher.load(session, {link.work_id for link in links.values()})

    def _runs(self, previewed: CalibrePlan) -> dict[str, str]:
        with self.catalog.read() as session:
            return CalibreRepository(session).runs_of(list(offered(previewed)))

    def _known(self) -> tuple[dict[str, Link], set[str], dict[str, str], dict[int, set[str]]]:
        """The calibre books brought over before, by uuid, every catalog path in use, the calibre uuids of
        books removed here since (with each removal's Ref), and the formats each book here has a file of."""
        with self.catalog.read() as session:
            files = session.execute(select(File.work_id, File.path, File.format)).all()
            formats: dict[int, set[str]] = {}
            for work, _, kind in files:
                formats.setdefault(work, set()).add(kind.lower())
            return (CalibreRepository(session).links(), {path for _, path, _ in files},
                    RemovalRepository(session).removed_identifiers(CALIBRE_UUID), formats)


def report_of(plan: CalibrePlan, correlation_id: str, updated: set[int] | None = None) -> CalibreReport:
    """The plan as carried out, in the report every import gives (the CLI's and Activity's words).
    ``updated``: the books brought up to date (an update the run stopped before stays "duplicate")."""
    report = CalibreReport(correlation_id, [_as_item(item, correlation_id, updated or set()) for item in plan.items],
                           time.perf_counter() - plan.started, plan.mode, list(plan.problems))
    report.removed_here = plan.count(REMOVED_HERE)
    report.missing = missing_files(plan)
    return report


def missing_files(plan: CalibrePlan) -> list[str]:
    """Each book calibre lists a file of that is not on disk, by title with the formats missing: it came
    over (or stays) without them, as a book whose files were lost."""
    return [f"{item.title} ({', '.join(f.upper() for f in item.book.missing)})"
            for item in plan.items if item.book.missing]


_NAMED = 5  # books named in a summary line; the report and the command's output name them all


def missing_said(missing: list[str]) -> str:
    more = f" and {len(missing) - _NAMED:,} more" if len(missing) > _NAMED else ""
    return (f"{len(missing):,} book{'s' if len(missing) != 1 else ''} with files missing in calibre: "
            f"{', '.join(missing[:_NAMED])}{more}")


def _as_item(item: CalibreItem, correlation_id: str, updated: set[int]) -> ImportItem:
    status = {NEW: "added", UPDATE: "duplicate", DUPLICATE: "duplicate", REMOVED_HERE: "duplicate",
              ATTACH: "linked", FAILED: "failed"}[item.status]
    if item.status == ATTACH and item.work_id not in updated:
        status = "duplicate"  # planned, not reached: the run stopped before it
    if item.status == UPDATE and item.work_id in updated:
        status = "updated"  # brought up to date: what the report's "updated" counts, said per book
    if status == "added" and item.work_id is None:  # planned, never reached: cancelled or stopped
        status = "failed"
        item.reason = item.reason or "not added: the import stopped before it"
    return ImportItem(item.source, status, item.work_id if status != "failed" else None,
                      item.reason if status == "failed" else None, correlation_id, "book" if status == "added" else "")
