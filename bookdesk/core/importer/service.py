"""The import pipeline (beets is the model): discover -> read -> match -> plan -> place -> commit.

Books stream through in batches: a batch is journaled, its files placed, and then it is
committed to the catalog in one transaction that also clears its journal entries. A
killed import therefore leaves only journaled files, which the next import takes back
out before it starts, and then does the job again: no book lost, none doubled. A move
removes a source only after its copy is verified and committed. Each book is one item:
a book that cannot be read or placed fails alone, with its reason and the job's
correlation id, and the rest go on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bookdesk.core.importer.already_here import LibraryIndex
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
from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, Contributor, NewFile, NewWork
from bookdesk.data.import_repository import ImportRepository, SourceRecord
from bookdesk.data.models import File
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import BookDeskError, UsageError

log = logging.getLogger(__name__)

__all__ = ["ImportItem", "ImportReport", "ImportService", "MODES", "STAGING"]

MODES = ("copy", "move", "link")
BATCH = 200


@dataclass(slots=True)
class ImportItem:
    path: str
    status: str  # added, duplicate, failed
    work_id: int | None = None
    error: str | None = None
    correlation_id: str | None = None


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
        parts = [f"{self.count('added')} added"]
        if self.count("duplicate"):
            parts.append(f"{self.count('duplicate')} already in the library")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
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
            committer = _Committer(self.catalog, placer, mode, ctx.correlation_id)
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
        finally:
            lock.release()
        report = _report(report_plan, mode)
        ctx.summary = report.summary()
        return report

    # ----- stages ----------------------------------------------------------------------------

    async def _stream(self, ctx: JobContext, plan: ImportPlan, paths: list[Path],
                      place: _Committer | None) -> None:
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

    async def _replay(self, ctx: JobContext, report: ImportPlan, plan: ImportPlan, place: _Committer) -> None:
        """Carry out a preview's plan against the library as it is now (it may have changed since)."""
        with self.catalog.read() as session:
            index = LibraryIndex.load(ImportRepository(session))
        progress = _Progress(ctx, len(plan.items), 0)
        for old in plan.items:
            ctx.check_cancelled()
            if old.read is None or old.read.error:
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


class _Committer:
    """Places planned books batch by batch and commits each batch with its journal cleared."""

    def __init__(self, catalog: Catalog, placer: Placer, mode: str, correlation_id: str) -> None:
        self.catalog, self.placer, self.mode, self.correlation_id = catalog, placer, mode, correlation_id
        self.pending: list[PlannedItem] = []
        self.duplicates: list[PlannedItem] = []

    async def add(self, item: PlannedItem) -> None:
        if item.status == DUPLICATE:
            self.duplicates.append(item)
        else:
            self.pending.append(item)
        if len(self.pending) >= BATCH:
            # Copying a batch takes a while: do it off the event loop, so cancelling stays instant.
            await asyncio.to_thread(self.flush)

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch and not self.duplicates:
            return
        journal = [(t, str(s)) for item in batch for t, s in _placements(item)]
        with self.catalog.write() as session:
            entry_ids = ImportRepository(session).journal(journal, self.correlation_id)
        placed: list[PlannedItem] = []
        for item in batch:
            try:
                self._place(item)
                placed.append(item)
            except BookDeskError as exc:
                item.status, item.reason = FAILED, exc.message
                log.warning("import failed for %s: %s", item.source, exc.message)
        try:
            with self.catalog.write() as session:
                self._commit(session, placed)
                ImportRepository(session).clear_journal(entry_ids)
        except Exception as exc:
            # The catalog refused the batch: nothing of it may stay in the library, and the report says so.
            for item in placed:
                self.placer.remove(t for t, _ in _placements(item))
                item.status = FAILED
                item.reason = f"not added: the catalog could not record it ({getattr(exc, 'message', exc)})"
            with self.catalog.write() as session:
                ImportRepository(session).clear_journal(entry_ids)
            raise
        if self.mode == "move":
            for item in placed:
                for part in item.unit.parts:
                    try:
                        part.unlink(missing_ok=True)
                    except OSError as exc:  # the book is in the library; the original merely stays
                        item.reason = f"added, but the original could not be removed ({exc.strerror or exc})"
                        log.warning("import: cannot remove moved source %s: %s", part, exc)

    def _place(self, item: PlannedItem) -> None:
        read = item.read
        done: list[str] = []
        try:
            for part, target, part_hash in zip(item.unit.parts, item.part_targets, read.part_hashes, strict=True):
                self.placer.place(part, target, part_hash if self.mode == "move" else None)
                done.append(target)
            cover = item.cover_from or read.cover_file
            if item.cover_target and cover is not None and cover.exists():
                self.placer.place_cover(cover, item.cover_target)
                done.append(item.cover_target)
            elif item.cover_target:
                item.cover_target = None  # the preview's cover cache was cleared meanwhile
        except BaseException:
            self.placer.remove(done)
            raise

    def _commit(self, session, placed: list[PlannedItem]) -> None:  # noqa: ANN001 - Session
        repo = WorkRepository(session)
        new = [item for item in placed if item.status == NEW]
        for item, work_id in zip(new, repo.add_many([_new_work(item) for item in new]), strict=True):
            item.work_id = work_id
        attached = []
        for item in placed:
            if item.status == ATTACH:
                item.work_id = item.work_id if item.attach_to is None else item.attach_to.work_id
                if item.work_id is None:  # the new work it belonged to failed to be placed
                    item.status, item.reason = FAILED, "its book could not be added"
                    self.placer.remove(t for t, _ in _placements(item))
                    continue
                repo.add_file(item.work_id, _new_file(item), refresh=False)
                attached.append(item.work_id)
                if not item.joined:  # a book already in the library: what it lacks, this file may say
                    _fill_work(repo, item.work_id, item.read.metadata, item.unit.format.media_kind,
                               self.correlation_id)
        repo.refresh(set(attached))
        file_ids = _file_ids(session, placed)
        records = []
        for item in placed:
            if item.status not in (NEW, ATTACH):
                continue
            for part, target, (size, mtime) in zip(item.unit.parts, item.part_targets, item.read.part_stats,
                                                   strict=True):
                records.append(SourceRecord(str(part), target, size, mtime, item.read.content_hash, item.work_id,
                                            file_ids.get(item.destination), item.status == NEW, self.mode,
                                            self.correlation_id))
        for item in self.duplicates:  # so that importing them again costs a stat, not a read
            work_id = item.attach_to.work_id if item.attach_to is not None else item.work_id
            if work_id is None:
                continue
            for part, (size, mtime) in zip(item.unit.parts, item.read.part_stats, strict=True):
                records.append(SourceRecord(str(part), None, size, mtime, item.read.content_hash, work_id, None,
                                            False, self.mode, self.correlation_id))
        self.duplicates = []
        ImportRepository(session).record_sources(records)


def _file_ids(session, items: list[PlannedItem]) -> dict[str, int]:  # noqa: ANN001 - Session
    paths = [item.destination for item in items if item.destination]
    found: dict[str, int] = {}
    for start in range(0, len(paths), 900):
        found.update(session.execute(select(File.path, File.id).where(File.path.in_(paths[start:start + 900])))
                     .all())
    return found


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


def _placements(item: PlannedItem) -> list[tuple[str, Path | str]]:
    pairs: list[tuple[str, Path | str]] = list(zip(item.part_targets, item.unit.parts, strict=True))
    if item.cover_target:
        pairs.append((item.cover_target, ""))
    return pairs


def _new_file(item: PlannedItem) -> NewFile:
    read, meta = item.read, item.read.metadata
    chapters = json.dumps([{"title": c.title, "start": c.start_seconds} for c in meta.chapters]) \
        if meta.chapters else None
    narrators = ", ".join(c.name for c in meta.narrators) or None
    return NewFile(path=item.destination, format=item.unit.format.name, media_kind=item.unit.format.media_kind,
                   size=read.size, mtime=read.mtime_ns / 1e9, content_hash=read.content_hash,
                   source_path=str(item.source), duration_seconds=meta.duration_seconds, chapters_json=chapters,
                   narrators=narrators)


def _fill_work(repo: WorkRepository, work_id: int, meta: BookMetadata, media_kind: str,
               correlation_id: str) -> None:
    """Another file of a book already in the library: the work keeps every field it has and takes what it
    lacks from the file (language, date, series or a position, identifiers, description, publisher), and an
    ebook's earlier date of first publication. Each change is recorded, so undoing the import undoes it."""
    work = repo.detail(work_id)
    changes: dict[str, object] = {}
    for name, value in (("language", meta.language), ("description", meta.description),
                        ("publisher", meta.publisher), ("subtitle", meta.subtitle)):
        if value and not getattr(work, name):
            changes[name] = value
    if meta.published:
        published = (one_book(BookMetadata(published=work.first_published), meta).published
                     if media_kind == "ebook" else work.first_published or meta.published)
        if published != work.first_published:
            changes["first_published"] = published
    if meta.series:
        merged = one_book(BookMetadata(series=list(work.series)), meta).series if work.series else meta.series
        if [(s.name, s.label) for s in merged] != [(s.name, s.label) for s in work.series]:
            changes["series"] = [{"name": s.name, "label": s.label} for s in merged]
    if set(meta.identifiers) - set(work.identifiers):
        changes["identifiers"] = {**meta.identifiers, **work.identifiers}
    for name, value in changes.items():  # most files of a book already there change nothing: no write then
        repo.set_field(work_id, name, value, source="file", correlation_id=correlation_id)


def _new_work(item: PlannedItem) -> NewWork:
    meta = item.work_metadata or item.read.metadata
    return NewWork(
        title=meta.title or item.source.stem, contributors=meta.contributors or [Contributor(UNKNOWN_AUTHOR)],
        series=meta.series, identifiers=meta.identifiers, tags=meta.subjects, subtitle=meta.subtitle,
        description=meta.description, language=meta.language, publisher=meta.publisher,
        first_published=meta.published, cover_path=item.cover_target, files=[_new_file(item)])


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
    return ImportItem(str(item.source), outcome, work_id if outcome != "failed" else None,
                      item.reason if outcome == "failed" else None, correlation_id)
