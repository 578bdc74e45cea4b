"""Committing an import batch by batch: each batch is journaled, its files placed, and then committed to
the catalog in one transaction that also clears its journal entries; a batch the catalog refuses is taken
back out of the library. A file of a book already there fills in what the work lacks."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

from sqlalchemy import select

from bookdesk.core.importer.metadata import BookMetadata, one_book
from bookdesk.core.importer.placement import Placer
from bookdesk.core.importer.plan import ATTACH, DUPLICATE, FAILED, NEW, PlannedItem
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, Contributor, NewFile, NewWork
from bookdesk.data.import_repository import ImportRepository, SourceRecord
from bookdesk.data.models import File
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import BookDeskError
from bookdesk.fault_points import reach

log = logging.getLogger(__name__)

BATCH = 200


class Committer:
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
        try:
            self._flush(batch)
        except BaseException as exc:
            # Nothing of this batch reached the catalog: no report may count it as added.
            for item in batch:
                if item.status in (NEW, ATTACH):
                    item.status, item.reason = FAILED, not_added(item, exc).reason
            raise

    def _flush(self, batch: list[PlannedItem]) -> None:
        journal = [(t, str(s)) for item in batch for t, s in _placements(item)]
        reach("import.before_journal")
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
                item.status, item.reason = FAILED, refused(exc)
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


def refused(exc: BaseException) -> str:
    """Why a book of a batch the catalog refused is not in the library."""
    return f"not added: the catalog could not record it ({getattr(exc, 'message', exc)})"


def not_added(item: PlannedItem, exc: BaseException) -> PlannedItem:
    """``item`` as an import that stopped on ``exc`` before the catalog took it leaves it: failed, saying why."""
    if isinstance(exc, BookDeskError):
        why = exc.message
    else:
        why = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
    return PlannedItem(item.source, FAILED, f"not added: the import stopped ({why})", unit=item.unit, read=item.read)


def _file_ids(session, items: list[PlannedItem]) -> dict[str, int]:  # noqa: ANN001 - Session
    paths = [item.destination for item in items if item.destination]
    found: dict[str, int] = {}
    for start in range(0, len(paths), 900):
        found.update(session.execute(select(File.path, File.id).where(File.path.in_(paths[start:start + 900])))
                     .all())
    return found


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
