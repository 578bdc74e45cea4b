"""Undoing removals, format removals, merges and splits: ``bookdesk undo REF`` (LibraryService.undo_job).

Newest first, each record on its own. A format whose book was removed since is not undone: the person
is told why and what to undo first (the record stays, to be undone later).
The files the trash still holds move back to their places, then the catalog rows come back; if the
catalog refuses that write the files go back to the trash where they were, so no file is left in the
library that the catalog does not list. A file the trash no longer has (emptied) is named in the report
and left out of the catalog, and a cover that is not there is cleared, so no book points at nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from bookdesk.core.removal.report import RestoreReport
from bookdesk.core.removal.trash import TrashedFile, from_dict, info_text, put_back, take_back
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
    with catalog.read() as session:
        refusal = _refusal(session, record)
        snapshot = record.snapshot
    if refusal is not None:
        report.problems.append(refusal)
        log.warning("undo %s: %s", record.correlation_id, refusal)
        return
    back, missing = _from_trash(record, report)
    try:
        with catalog.write() as session:
            restored = work_snapshot.restore(session, work_snapshot.without_files(snapshot, missing))
            if created := record.snapshot.get("created"):
                WorkRepository(session).delete(created)
            report.problems += _covers_not_there(session, catalog.folder, restored.work_ids.values())
            RemovalRepository(session).mark_undone(record.id)
            came_from = next((w.title for f in snapshot["files"] if (w := session.get(Work, f["work_id"]))), "its book")
    except Exception:
        for entry, info in back:  # the catalog refused: the files wait in the trash for another undo
            take_back(entry, info)
        raise
    for path in restored.files_skipped:
        report.problems.append(f"{path} was not listed again: another book's file is at that place now.")
    if record.action in ("remove", "merge"):
        report.works_restored += len(restored.work_ids) - (1 if record.action == "merge" else 0)
    elif record.action == "remove-format":
        report.formats_restored += len(snapshot["files"]) - len(missing) - len(restored.files_skipped)
    else:
        report.rejoined += [f"the split-out book {created_id} joined “{came_from}” again"
                            for created_id in record.snapshot.get("created", [])]


def _refusal(session: Session, record: RemovalRecord) -> str | None:
    """Why this record cannot be undone now without losing work done since; None when it can."""
    removals = RemovalRepository(session)
    if record.action in ("remove-format", "split"):
        for work_id in sorted({f["work_id"] for f in record.snapshot["files"]}):
            if session.get(Work, work_id) is None:
                names = ", ".join(Path(f["path"]).name for f in record.snapshot["files"])
                later = removals.holding(work_id=work_id)
                return (f"{names} could not be put back: its book is no longer in the library (it was removed "
                        f"since{f', Ref {later}' if later else ''}). Undo that removal first, then this one.")
    return None


def _from_trash(record: RemovalRecord, report: RestoreReport) -> tuple[list[tuple[TrashedFile, str | None]],
                                                                        list[str]]:
    """The record's files back from the trash: those back (with their .trashinfo, to take them back if the
    catalog refuses), and the paths that could not come."""
    book_files = set(work_snapshot.file_paths(record.snapshot))  # the rest is a cover: not counted
    back, missing = [], []
    for entry in map(from_dict, record.trashed):
        info = info_text(entry)
        why = put_back(entry)
        if why is None:
            back.append((entry, info))
            if entry.path in book_files:
                report.files_restored.append(entry.path)
        else:
            missing.append(entry.path)
            if entry.path in book_files:  # a cover not back is said once, below, as the book's
                report.problems.append(why)
            log.warning("undo %s: %s", record.correlation_id, why)
    return back, missing


def _covers_not_there(session: Session, library: Path, work_ids) -> list[str]:  # noqa: ANN001 - ids
    """Each restored book whose cover file is not there (the trash emptied) shows none, and says so."""
    said = []
    for work_id in work_ids:
        work = session.get(Work, work_id)
        if work is not None and work.cover_path and not library.joinpath(*work.cover_path.split("/")).is_file():
            said.append(f"The cover of “{work.title}” was no longer in the trash: the book shows none.")
            work.cover_path = None
    return said
