"""Merge Books and Split Format: records that are one work become one, and a format becomes a book of
its own. No file moves on disk; only which book the catalog files it under.

Merging keeps the chosen record's metadata, as calibre does; the other records' files, field change
history and import records move to it, and the other records go (their rows kept for undo). Splitting
makes a new book with the same metadata (people, series, identifiers, tags) and moves the one file to it.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bookdesk.core.removal.report import RemovalReport
from bookdesk.data import work_snapshot
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import FieldChange, File, ImportSource, Work
from bookdesk.data.removal_repository import RemovalRepository
from bookdesk.data.work_repository import WorkRepository, now
from bookdesk.errors import NotFoundError, UsageError


def merge_books(catalog: Catalog, keep_id: int, other_ids: list[int], *, correlation_id: str) -> RemovalReport:
    others = [w for w in dict.fromkeys(other_ids) if w != keep_id]
    if not others:
        raise UsageError("Choose at least two books to merge.")
    report = RemovalReport(correlation_id, "merge")
    with catalog.write() as session:
        found = set(session.execute(select(Work.id).where(Work.id.in_([keep_id, *others]))).scalars())
        if missing := sorted({keep_id, *others} - found):
            raise NotFoundError(f"There is no book with id {', '.join(map(str, missing))} in this library.")
        snapshot = work_snapshot.capture(session, [keep_id, *others])
        for model in (File, FieldChange, ImportSource):
            session.execute(update(model).where(model.work_id.in_(others)).values(work_id=keep_id))
        repo = WorkRepository(session)
        repo.delete(others)
        repo.refresh([keep_id])
        # The kept book is named: an undo leaves it as it is now (the merge changed none of its metadata).
        RemovalRepository(session).add(correlation_id, "merge", {**snapshot, "kept": keep_id}, [])
    report.works = others
    return report


def split_format(catalog: Catalog, work_id: int, file_id: int, *, correlation_id: str) -> RemovalReport:
    """The file ``file_id`` out of book ``work_id`` into a new book with the same metadata."""
    report = RemovalReport(correlation_id, "split")
    with catalog.write() as session:
        row = session.get(File, file_id)
        if row is None or row.work_id != work_id:
            raise NotFoundError(f"Book {work_id} has no file {file_id} (it was removed or moved since).")
        if session.execute(select(File.id).where(File.work_id == work_id, File.id != file_id)).first() is None:
            raise UsageError("This is the book's only file: there is nothing to split it from.")
        snapshot = work_snapshot.capture_files(session, [file_id])
        repo = WorkRepository(session)
        new_id = work_snapshot.duplicate(session, work_id, added_at=now())
        session.execute(update(File).where(File.id == file_id).values(work_id=new_id))
        session.execute(update(ImportSource).where(ImportSource.file_id == file_id).values(work_id=new_id))
        repo.refresh([work_id, new_id])
        RemovalRepository(session).add(correlation_id, "split", {**snapshot, "created": [new_id]}, [])
    report.works = [new_id]
    return report
