"""Keeping in step: a book brought over before that calibre changed since. Field by field, against what
came over at the last run (the link's base): a field only calibre changed comes over (a FieldChange from
"calibre", skipped where the field is locked); one only BookDesk changed stays; one both changed, each its
own way, goes to review with calibre's value as the proposal, and BookDesk's stays until a person decides.
Custom columns' values follow calibre's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bookdesk.core.calibre.commit import SOURCE, custom_values, links_of
from bookdesk.core.calibre.follow_formats import follow_formats
from bookdesk.core.calibre.plan import IN_PLACE, CalibreItem, CalibrePlan
from bookdesk.data.bulk_fields import BULK_FIELDS, Change, write_changes
from bookdesk.data.calibre_repository import CalibreRepository
from bookdesk.data.models import File, ImportSource, Work
from bookdesk.data.review_repository import ReviewRepository
from bookdesk.data.work_fields import field_value, is_locked
from bookdesk.data.work_repository import WorkRepository

CONFLICT = "changed in calibre and in BookDesk since the last run"
_MISSING = object()


def follow(session: Session, items: Sequence[CalibreItem], plan: CalibrePlan, correlation_id: str) -> int:
    """Bring calibre's changes to ``items``' books; returns how many books went to review. The simple fields
    of the whole batch are written a statement per field (``bulk_fields``), the others book by book."""
    repo, calibre = WorkRepository(session), CalibreRepository(session)
    details = {d.id: d for d in repo.details([item.work_id for item in items])}  # type: ignore[misc]
    reviewed = 0
    here = [item for item in items if item.work_id in details]  # a book removed from BookDesk since stays gone
    bulk: list[Change] = []
    for item in here:
        if plan.mode == IN_PLACE:
            follow_files(session, item)
            if follow_formats(session, item, plan.folder, correlation_id):
                repo.refresh([item.work_id])  # type: ignore[list-item]
        detail, base = details[item.work_id], item.link.fields  # type: ignore[index, union-attr]
        conflicts = []
        for name, theirs in item.fields.items():
            old = base.get(name, _MISSING)
            if theirs == old:
                continue
            ours = field_value(detail, name)
            if ours == theirs:
                continue
            if old is not _MISSING and ours != old:
                # Taken by a person in review: "user", as a field edited by hand is locked against any other source.
                conflicts.append({"field": name, "current": ours, "proposed": theirs, "source": "user"})
            elif name in BULK_FIELDS:
                if not is_locked(name, detail.locked_fields):
                    bulk.append(Change(detail.id, name, ours, theirs))
            else:
                repo.set_field(detail.id, name, theirs, source=SOURCE, correlation_id=correlation_id)
        if conflicts:
            ReviewRepository(session).add(detail.id, correlation_id, CONFLICT, [review_candidate(item, conflicts)])
            reviewed += 1
    write_changes(session, bulk, source=SOURCE, correlation_id=correlation_id)
    calibre.update_links(links_of(here, plan), correlation_id)
    calibre.follow_custom(custom_values(here, plan.columns), [item.work_id for item in here],  # type: ignore[misc]
                          [c.label for c in plan.columns], SOURCE, correlation_id)
    return reviewed


def review_candidate(item: CalibreItem, proposals: list[dict], why: str = CONFLICT) -> dict:
    """calibre's side of the fields that differ, as the review queue keeps a candidate (identify/proposal.py)."""
    return {"providers": [SOURCE], "title": item.book.title, "authors": [a.name for a in item.book.authors],
            "score": 1.0, "explain": why, "parts": [], "penalties": [], "cover_url": None, "released": None,
            "url": None, "proposals": proposals,
            # calibre's cover of the book, shown beside its side (not proposed: the cover follows calibre's file).
            "cover_path": item.book.cover.as_posix() if item.book.cover else None}


def follow_files(session: Session, item: CalibreItem) -> None:
    """A book kept in place follows its files where calibre has them now: calibre moves a book's folder when
    its title or authors change. Not a FieldChange: the old place is gone, and an undo must not point back at it."""
    now = {fmt.format: fmt for fmt in item.book.formats}
    for row in session.execute(select(File).where(File.work_id == item.work_id)).scalars():
        fmt = now.get(row.format.lower()) or now.get(Path(row.path).suffix.lstrip(".").lower())
        if not Path(row.path).is_absolute() or fmt is None or fmt.path.as_posix() == row.path or \
                session.execute(select(File.id).where(File.path == fmt.path.as_posix())).first() is not None:
            continue  # not calibre's, not moved, or its new place is listed already (a format that came anew)
        session.execute(update(ImportSource).where(ImportSource.file_id == row.id).values(
            source_path=str(fmt.path), target_path=fmt.path.as_posix()))
        row.path, row.source_path, row.size, row.mtime = fmt.path.as_posix(), str(fmt.path), fmt.size, fmt.mtime_ns / 1e9
    work = session.get(Work, item.work_id)
    cover = item.book.cover.as_posix() if item.book.cover else None
    if work is not None and work.cover_path and Path(work.cover_path).is_absolute() and work.cover_path != cover:
        work.cover_path = cover
