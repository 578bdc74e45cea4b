"""The import pipeline (beets is the model): discover -> read -> match -> plan -> place -> commit.

Books stream through in batches (batch_commit.py): a batch is journaled, its files placed, and then it is
committed to the catalog in one transaction that also clears its journal entries. A
killed import therefore leaves only journaled files, which the next import takes back
out before it starts, and then does the job again: no book lost, none doubled. A move
removes a source only after its copy is verified and committed. Each book is one item:
a book that cannot be read or placed fails alone, with its reason and the job's
correlation id, and the rest go on.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from bookdesk.core.importer.already_here import LibraryIndex
from bookdesk.core.importer.batch_commit import Committer, not_added
from bookdesk.core.importer.discovery import discover
from bookdesk.core.importer.metadata import BookMetadata, one_book
from bookdesk.core.importer.placement import STAGING, Placer, recover
from bookdesk.core.importer.plan import (
    ATTACH,
    DUPLICATE,
    FAILED,
    NEW,
    UNCHANGED,
    ImportPlan,
    PlannedItem,
    cover_target,
    destination,
    make_unique,
)
from bookdesk.core.importer.reading import ReadResult, make_pool, read_one
from bookdesk.core.jobs import JobContext
from bookdesk.core.path_template import DEFAULT_TEMPLATE, validate
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import JobCancelledError, UsageError

log = logging.getLogger(__name__)

__all__ = ["ImportItem", "ImportReport", "ImportService", "MODES", "STAGING"]

MODES = ("copy", "move", "link")


@dataclass(slots=True)
class ImportItem:
    path: str
    status: str  # added, duplicate, failed (a calibre re-run: updated, a book brought up to date)
    work_id: int | None = None
    error: str | None = None
    correlation_id: str | None = None
    # What an added file became, so counts agree with the Library's: "book" (a new book), "joined" (another
    # format of a book this same import adds) or "format" (another format of a book already there).
    added_as: str = ""


@dataclass(slots=True)
class ImportReport:
    correlation_id: str
    items: list[ImportItem] = field(default_factory=list)
    seconds: float = 0.0
    mode: str = "copy"

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> list[ImportItem]:
        return [item for item in self.items if item.status == "failed"]

    def summary(self) -> str:
        parts = [self._added()]
        if self.count("duplicate"):
            parts.append(f"{self.count('duplicate')} already in the library")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)

    def _added(self) -> str:
        """Books as the Library counts them: "3 added" when each file is a book of its own."""
        books, joined, formats = (sum(1 for i in self.items if i.status == "added" and i.added_as == kind)
                                  for kind in ("book", "joined", "format"))
        if not self.count("added"):
            return "nothing added"
        if not joined and not formats:
            return f"{self.count('added')} added"
        parts = []
        if books:
            parts.append(f"{books:,} book{'s' if books != 1 else ''} added"
                         + (f" ({books + joined:,} files)" if joined else ""))
        if formats:
            parts.append(f"{formats:,} more format{'s' if formats != 1 else ''} of "
                         f"{'a book' if formats == 1 else 'books'} you have")
        return ", ".join(parts)


class ImportService:
    def __init__(self, catalog: Catalog, template: str = DEFAULT_TEMPLATE) -> None:
        validate(template)
        self.catalog = catalog
        self.template = template

    @staticmethod
    def job_title(sources: Sequence[Path]) -> str:
        """What the Activity view calls an import of ``sources``."""
        if len(sources) == 1:
            return f"Import {Path(sources[0]).name or sources[0]}"
        return f"Import {len(sources)} items"

    # ----- the two entry points ---------------------------------------------------------------

    async def preview(self, ctx: JobContext, paths: Sequence[Path]) -> ImportPlan:
        """A dry run: what would be added, where, what is already there, what cannot be read.
        Nothing is written to the library but a cache of covers in its staging folder."""
        plan = ImportPlan(ctx.correlation_id)
        await self._stream(ctx, plan, _absolute(paths), place=None)
        ctx.summary = plan.summary()
        return plan

    async def run(self, ctx: JobContext, paths: Sequence[Path], mode: str = "copy",
                  plan: ImportPlan | None = None) -> ImportReport:
        """Import ``paths``, or carry out a ``plan`` from ``preview`` without reading the books again."""
        if mode not in MODES:
            raise UsageError(f"Import mode must be one of {', '.join(MODES)}.")
        lock = self.catalog.task_lock("import")
        while not lock.acquire(blocking=False):  # one import at a time per library; wait without blocking
            ctx.report(0.0, "Waiting for another import to finish")
            await asyncio.sleep(0.2)
        try:
            recovered = recover(self.catalog, keep={plan.correlation_id} if plan else set())
            if recovered:
                ctx.report(0.0, f"Took back {recovered} files an interrupted import had left")
            report_plan = ImportPlan(ctx.correlation_id)
            ctx.partial_result = _Partial(report_plan, mode)
            placer = Placer(self.catalog.folder, mode)
            committer = Committer(self.catalog, placer, mode, ctx.correlation_id)
            try:
                try:
                    if plan is None:
                        await self._stream(ctx, report_plan, _absolute(paths), place=committer)
                    else:
                        await self._replay(ctx, report_plan, plan, committer)
                finally:
                    committer.flush()  # cancelled or not, what was placed is committed or taken back out
                    cache = self.catalog.folder / STAGING / ctx.correlation_id
                    shutil.rmtree(cache, ignore_errors=True)
                    if plan is not None:
                        shutil.rmtree(self.catalog.folder / STAGING / plan.correlation_id, ignore_errors=True)
            except BaseException as exc:
                if plan is not None and not isinstance(exc, (JobCancelledError, asyncio.CancelledError)):
                    # The books of the preview it never reached failed with it: the report accounts for all.
                    report_plan.items += [not_added(old, exc) if old.status in (NEW, ATTACH) else old
                                          for old in plan.items[len(report_plan.items):]]
                ctx.summary = _report(report_plan, mode).summary()  # what it did before it stopped, for Activity
                raise
        finally:
            lock.release()
        report = _report(report_plan, mode)
        ctx.summary = report.summary()
        return report

    # ----- stages ----------------------------------------------------------------------------

    async def _stream(self, ctx: JobContext, plan: ImportPlan, paths: list[Path],
                      place: Committer | None) -> None:
        ctx.report(0.0, "Looking for books")
        units, problems = await asyncio.to_thread(discover, paths)
        for problem in problems:
            plan.items.append(PlannedItem(problem.path, FAILED, problem.reason))
            log.warning("import: %s", problem.reason)
        index = LibraryIndex(sources=await asyncio.to_thread(self._read_catalog, ImportRepository.seen_sources))
        total = len(units)
        ctx.report(0.0, f"Found {total:,} books")
        todo = []
        for unit in units:  # unchanged since an earlier import: skip without reading
            stats = _stats(unit.parts)
            work = _unchanged(index, unit.parts, stats)
            if work is not None:
                plan.items.append(PlannedItem(unit.primary, UNCHANGED, "already imported, unchanged since",
                                              unit=unit, work_id=work))
            else:
                todo.append(unit)
        if todo:  # a re-import of unchanged files needs none of the rest of the index
            await asyncio.to_thread(self._read_catalog, index.load_works)
        cover_dir = self.catalog.folder / STAGING / ctx.correlation_id
        loop = asyncio.get_running_loop()
        progress = _Progress(ctx, total, total - len(todo))
        with make_pool(len(todo)) as pool:
            futures = [loop.run_in_executor(pool, read_one, unit, cover_dir) for unit in todo]
            try:
                for unit, future in zip(todo, futures, strict=True):
                    ctx.check_cancelled()
                    try:
                        read = await future
                    except BrokenProcessPool:
                        # A reader process died (out of memory on a hostile file, or killed): read the
                        # rest here, in a thread, rather than losing the import.
                        log.warning("import: a reader process stopped; reading %s in this process", unit.primary)
                        read = await asyncio.to_thread(read_one, unit, cover_dir)
                    item = self._classify(read, index)
                    plan.items.append(item)
                    if place is not None and item.status in (NEW, ATTACH, DUPLICATE):
                        await place.add(item)
                    progress.step()
                    await asyncio.sleep(0)  # results read ahead are ready at once; let others run
            finally:
                for future in futures:
                    future.cancel()

    async def _replay(self, ctx: JobContext, report: ImportPlan, plan: ImportPlan, place: Committer) -> None:
        """Carry out a preview's plan against the library as it is now (it may have changed since)."""
        with self.catalog.read() as session:
            index = LibraryIndex.load(ImportRepository(session))
        progress = _Progress(ctx, len(plan.items), 0)
        for old in plan.items:
            ctx.check_cancelled()
            if old.read is None or old.read.error:
                # Said again under this import's Ref, the one its summary shows beside the file: the
                # preview that read it logged it under its own.
                log.warning("import: %s: %s", old.source, old.reason)
                report.items.append(old)
            else:
                item = self._classify(old.read, index)
                report.items.append(item)
                if item.status in (NEW, ATTACH, DUPLICATE):
                    await place.add(item)
            progress.step()
            await asyncio.sleep(0)

    def _work_metadata(self, item: PlannedItem) -> BookMetadata | None:
        if item.attach_to is not None:
            return item.attach_to.read.metadata if item.attach_to.read else None
        if item.work_id is None:
            return None
        with self.catalog.read() as session:
            work = WorkRepository(session).detail(item.work_id)
        return BookMetadata(title=work.title, contributors=list(work.contributors), series=list(work.series),
                            language=work.language, published=work.first_published)

    def _read_catalog(self, reader):  # noqa: ANN001, ANN202 - a function of an ImportRepository
        """Run ``reader`` with a session of its own, on whatever thread calls this."""
        with self.catalog.read() as session:
            return reader(ImportRepository(session))

    def _classify(self, read: ReadResult, index: LibraryIndex) -> PlannedItem:
        unit = read.unit
        if read.error or read.metadata is None:
            if read.unexpected:
                log.error("import: unexpected failure reading %s: %s", unit.primary, read.error)
            else:
                log.warning("import: %s", read.error)
            return PlannedItem(unit.primary, FAILED, read.error or "unreadable", unit=unit, read=read)
        match = index.match(read.content_hash, read.metadata, unit.format.name)
        if match.kind == "same_file" or match.has_format:
            item = PlannedItem(unit.primary, DUPLICATE, match.reason, unit=unit, read=read)
            _link_work(item, match.work)
            return item
        item = PlannedItem(unit.primary, NEW if match.kind == "new" else ATTACH, unit=unit, read=read)
        if match.kind == "same_work":
            item.reason = "another format of a book already in the library"
            _link_work(item, match.work)
        # Another format of a book goes where the book is: named after the work, not after whatever
        # this one file says about itself.
        target, parts = destination(self.template, read, self._work_metadata(item) if item.status == ATTACH else None)
        item.destination, item.part_targets = make_unique(target, parts, index.paths, self.catalog.folder,
                                                          unit.is_multipart)
        index.paths.update(item.part_targets)
        if read.cover_file is not None and item.status == NEW:
            item.cover_target = cover_target(item.destination, unit.is_multipart, read.cover_file.suffix[1:],
                                             index.paths, self.catalog.folder)
            index.paths.add(item.cover_target)
        index.remember(item if item.status == NEW else match.work, read.content_hash, read.metadata,
                       unit.format.name)
        if isinstance(match.work, PlannedItem) and item.status == ATTACH:
            self._join(match.work, item, index)
        return item

    def _join(self, planned: PlannedItem, item: PlannedItem, index: LibraryIndex) -> None:
        """Another file of a book this import adds: the new work takes, field by field, the richer of what
        the files say (the ebook's series, ISBN, language, date and cover over an audiobook's thinner tags),
        whichever of them came first."""
        if planned.work_id is not None:  # committed already: the commit fills in what the work lacks
            return
        ours, theirs = planned.work_metadata or planned.read.metadata, item.read.metadata
        ebook_now = item.unit.format.media_kind == "ebook" and planned.unit.format.media_kind != "ebook"
        planned.work_metadata = one_book(theirs, ours) if ebook_now else one_book(ours, theirs)
        item.joined = True
        cover = item.read.cover_file
        if cover is not None and (planned.cover_target is None or ebook_now):
            if planned.cover_target is not None:
                index.paths.discard(planned.cover_target)
            planned.cover_target = cover_target(planned.destination, planned.unit.is_multipart, cover.suffix[1:],
                                                index.paths, self.catalog.folder)
            index.paths.add(planned.cover_target)
            planned.cover_from = cover


class _Progress:
    """ "312 of 2,000 books · 140/s · 12 s left", at most a few times a second."""

    def __init__(self, ctx: JobContext, total: int, done: int) -> None:
        self.ctx, self.total, self.done = ctx, total, done
        self.started = time.perf_counter()
        self.first = done

    def step(self) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        text = f"{self.done:,} of {self.total:,} books"
        if rate > 0 and self.done < self.total:
            text += f" · {rate:,.0f}/s · {_duration(left)} left"
        self.ctx.report(self.done / max(self.total, 1), text)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def _link_work(item: PlannedItem, work: object) -> None:
    if isinstance(work, PlannedItem):
        item.attach_to = work
        item.work_id = work.work_id
    else:
        item.work_id = work  # type: ignore[assignment]


def _absolute(paths: Sequence[Path]) -> list[Path]:
    """Sources as absolute paths: what imports record (and undo puts moved files back to) must not
    depend on the folder a command happened to run from. Links are not followed: a link moved in
    is the link taken away, never the file it points to (which may be someone's only copy)."""
    return [Path(p).expanduser().absolute() for p in paths]


def _stats(parts: tuple[Path, ...]) -> list[tuple[int, int]] | None:
    try:
        return [(s.st_size, s.st_mtime_ns) for s in (p.stat() for p in parts)]
    except OSError:
        return None  # the read stage will say what is wrong with it


def _unchanged(index: LibraryIndex, parts: tuple[Path, ...], stats: list[tuple[int, int]] | None) -> int | None:
    if stats is None:
        return None
    works = {index.unchanged_source(str(p), size, mtime) for p, (size, mtime) in zip(parts, stats, strict=True)}
    return works.pop() if len(works) == 1 and None not in works else None


class _Partial:
    """An import's report so far, for a job that stops midway (its ``report()`` is made on demand)."""

    def __init__(self, plan: ImportPlan, mode: str) -> None:
        self.plan, self.mode = plan, mode

    def report(self) -> ImportReport:
        return _report(self.plan, self.mode)


def partial_report(value: object) -> ImportReport | None:
    """The report of what an import that failed or was cancelled did before it stopped."""
    return value.report() if isinstance(value, _Partial) else value if isinstance(value, ImportReport) else None


def _report(plan: ImportPlan, mode: str) -> ImportReport:
    return ImportReport(plan.correlation_id, [_as_item(i, plan.correlation_id) for i in plan.items],
                        time.perf_counter() - plan.started, mode)


def _as_item(item: PlannedItem, correlation_id: str) -> ImportItem:
    outcome = item.outcome
    work_id = item.attach_to.work_id if item.attach_to is not None else item.work_id
    added_as = "" if outcome != "added" else "book" if item.status == NEW else \
        "joined" if item.attach_to is not None else "format"
    return ImportItem(str(item.source), outcome, work_id if outcome != "failed" else None,
                      item.reason if outcome == "failed" else None, correlation_id, added_as)
