"""Undoing removals, format removals, merges and splits: ``bookdesk undo REF`` (LibraryService.undo_job).

Newest first, each record on its own: the files the trash still holds move back to their places first
(out of the trash and into the library: nothing is lost if the catalog write then fails), then the
catalog rows come back. A file the trash no longer has (emptied, deleted there) is named in the report
and left out of the catalog, so no book lists a file that is not there; its book and the rest still
come back. A split's new book goes, its file back under the book it came from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from bookdesk.core.removal.report import RestoreReport
from bookdesk.core.removal.trash import from_dict, put_back
from bookdesk.data import work_snapshot
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import Work
from bookdesk.data.removal_repository import RemovalRecord, RemovalRepository
from bookdesk.data.work_repository import WorkRepository

log = logging.getLogger(__name__)


def has_removals(catalog: Catalog, correlation_id: str) -> bool:
    with catalog.read() as session:
        return bool(RemovalRepository(session).pending(correlation_id))


def undo_removals(catalog: Catalog, correlation_id: str) -> RestoreReport:
    with catalog.read() as session:
        records = RemovalRepository(session).pending(correlation_id)
    report = RestoreReport()
    for record in records:
        _undo_one(catalog, record, report)
    log.info("undo of %s: %s", correlation_id, report.summary())
    return report


def _undo_one(catalog: Catalog, record: RemovalRecord, report: RestoreReport) -> None:
    missing: list[str] = []
    book_files = set(work_snapshot.file_paths(record.snapshot))  # the rest is a cover: not counted
    for entry in map(from_dict, record.trashed):
        why = put_back(entry)
        if why is None:
            if entry.path in book_files:
                report.files_restored.append(entry.path)
        else:
            missing.append(entry.path)
            if entry.path in book_files:  # a cover not back is said once, below, as the book's
                report.problems.append(why)
            log.warning("undo %s: %s", record.correlation_id, why)
    snapshot = work_snapshot.without_files(record.snapshot, missing)
    with catalog.write() as session:
        restored = work_snapshot.restore(session, snapshot)
        if created := record.snapshot.get("created"):
            WorkRepository(session).delete(created)
        report.problems += _covers_not_there(session, catalog.folder, restored.work_ids.values())
        RemovalRepository(session).mark_undone(record.id)
        came_from = [session.get(Work, f["work_id"]) for f in snapshot["files"]]  # a split format's book
        came_from_title = next((w.title for w in came_from if w is not None), "its book")
    for path in restored.files_skipped:
        report.problems.append(f"{path} was not listed again: another book's file is at that place now.")
    if record.action in ("remove", "merge"):
        report.works_restored += len(restored.work_ids) - (1 if record.action == "merge" else 0)
    elif record.action == "remove-format":
        report.formats_restored += len(record.snapshot["files"]) - len(missing) - len(restored.files_skipped)
    else:
        report.rejoined += [f"the split-out book {created_id} joined “{came_from_title}” again"
                            for created_id in record.snapshot.get("created", [])]



def _covers_not_there(session: Session, library: Path, work_ids) -> list[str]:  # noqa: ANN001 - ids
    """Each restored book whose cover file is not there (the trash emptied) shows none, and says so."""
    said = []
    for work_id in work_ids:
        work = session.get(Work, work_id)
        if work is not None and work.cover_path and not library.joinpath(*work.cover_path.split("/")).is_file():
            said.append(f"The cover of “{work.title}” was no longer in the trash: the book shows none.")
            work.cover_path = None
    return said
