"""Undoing removals, format removals, merges and splits: ``bookdesk undo REF`` (LibraryService.undo_job).

Newest first, each record on its own, and never over work done since:
- a format whose book was removed since, or a split whose new book was changed since, is not undone: the
  person is told why and what to do first (the record stays, to be undone later);
- a merge leaves the kept book as it is now (the merge changed none of its metadata); a merge or split
  whose files are no longer where it left them (removed, merged or split since) is not undone, and the
  Ref to undo first is named: the file, not the reusable book id, tells the book is the one it left.
The files the trash still holds move back to their places, then the catalog rows come back; if the
catalog refuses that write the files go back to the trash where they were, so no file is left in the
library that the catalog does not list. A file the trash no longer has (emptied) is named in the report
and left out of the catalog, and a cover that is not there is cleared, so no book points at nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookdesk.core.removal.report import RestoreReport
from bookdesk.core.removal.trash import TrashedFile, from_dict, info_text, put_back, take_back
from bookdesk.data import work_snapshot
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import File, Work
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
        snapshot = _still_here(record)
    if refusal is not None:
        report.problems.append(refusal)
        log.warning("undo %s: %s", record.correlation_id, refusal)
        return
    back, missing = _from_trash(record, report)
    missing += _gone_from_elsewhere(snapshot, report)
    try:
        with catalog.write() as session:
            restored = work_snapshot.restore(session, work_snapshot.without_files(snapshot, missing))
            if created := record.snapshot.get("created"):
                WorkRepository(session).delete(created)
            report.problems += _covers_not_there(session, catalog.folder, restored.work_ids.values())
            _say_books_without_files(session, snapshot, restored.work_ids, report)
            RemovalRepository(session).mark_undone(record.id)
            came_from = next((w.title for f in snapshot["files"] if (w := session.get(Work, f["work_id"]))), "its book")
    except Exception:
        for entry, info in back:  # the catalog refused: the files wait in the trash for another undo
            take_back(entry, info)
        raise
    for path in restored.files_skipped:
        report.problems.append(f"{path} was not listed again: another book's file is at that place now.")
    if record.action in ("remove", "merge"):
        old_record = record.action == "merge" and "kept" not in record.snapshot  # its kept book was restored too
        report.works_restored += len(restored.work_ids) - (1 if old_record else 0)
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
    if record.action in ("merge", "split") and (moved := _moved_since(session, record)):
        return moved
    for new_id in record.snapshot.get("created", []):
        work = session.get(Work, new_id)
        if work is not None and (fields := work_snapshot.fields_changed(session, new_id)):
            return (f"The split was not undone: book {new_id} (“{work.title}”) was changed since "
                    f"({', '.join(fields)}), and undoing the split would lose that. Merge Books joins the two "
                    "again, keeping the metadata you choose.")
    return None


def _moved_since(session: Session, record: RemovalRecord) -> str | None:
    """A merge or split whose files are no longer where it left them (removed, merged or split since) is
    not undone: it would leave a book without its files, or (ids are given again) take another book's.
    Says which Ref to undo first."""
    snapshot = record.snapshot
    if record.action == "merge" and (kept := snapshot.get("kept")) is not None:
        snapshot = work_snapshot.without_work(snapshot, kept)
    [created] = record.snapshot.get("created") or [None]
    # The merged books' files are on the kept book now; the split-out file on the split's new book.
    holder = created if record.action == "split" else record.snapshot.get("kept")
    moved = work_snapshot.files_moved(session, snapshot, holder)
    if not moved:
        return None
    later = RemovalRepository(session).holding(path=moved[0], since=record.id)
    what = "merge" if record.action == "merge" else "split"
    names = ", ".join(Path(p).name for p in moved)
    return (f"The {what} was not undone: {names} {'is' if len(moved) == 1 else 'are'} no longer where the {what} "
            f"left {'it' if len(moved) == 1 else 'them'} (removed, merged or split since"
            f"{f', Ref {later}' if later else ''}). {f'Undo {later} first, then this one.' if later else ''}").strip()


def _still_here(record: RemovalRecord) -> dict:
    """What of the snapshot to put back: a merge's kept book stays as it is now."""
    snapshot = record.snapshot
    if record.action == "merge" and (kept := snapshot.get("kept")) is not None:
        snapshot = work_snapshot.without_work(snapshot, kept)
    return snapshot


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


def _gone_from_elsewhere(snapshot: dict, report: RestoreReport) -> list[str]:
    """Another program's files (calibre's, kept in place) never go to the trash: one that is no longer where
    it was is not listed again (a catalog entry for a deleted file is a book nobody can open), and is said."""
    gone = [path for path in work_snapshot.file_paths(snapshot) if Path(path).is_absolute() and not Path(path).is_file()]
    report.problems += [f"{Path(path).name} was not put back: it is no longer at {Path(path).parent} "
                        "(calibre no longer has it)." for path in gone]
    return gone


def _say_books_without_files(session: Session, snapshot: dict, work_ids: dict[int, int],
                             report: RestoreReport) -> None:
    """A book that had files and came back with none (the trash was emptied) is named in the summary: it
    is listed as owned but nothing of it is on disk, which the person must know."""
    had_files = {f["work_id"] for f in snapshot["files"]}
    for old_id, work_id in work_ids.items():
        work = session.get(Work, work_id)
        if old_id in had_files and work is not None and \
                session.execute(select(File.id).where(File.work_id == work_id)).first() is None:
            report.without_files.append(work.title)  # its files' own problems say why each is not back


def _covers_not_there(session: Session, library: Path, work_ids) -> list[str]:  # noqa: ANN001 - ids
    """Each restored book whose cover file is not there (the trash emptied) shows none, and says so."""
    said = []
    for work_id in work_ids:
        work = session.get(Work, work_id)
        if work is None or not work.cover_path:
            continue
        if Path(work.cover_path).is_absolute():  # another program's (calibre's, in place): never in the trash
            if not Path(work.cover_path).is_file():
                said.append(f"The cover of “{work.title}” is no longer at {work.cover_path}: the book shows none.")
                work.cover_path = None
        elif not library.joinpath(*work.cover_path.split("/")).is_file():
            said.append(f"The cover of “{work.title}” was no longer in the trash: the book shows none.")
            work.cover_path = None
    return said
