"""Keeping in step: a book brought over before that calibre changed since. Field by field, against what
came over at the last run (the link's base): a field only calibre changed comes over (a FieldChange from
"calibre", skipped where the field is locked); one only BookDesk changed stays; one both changed, each its
own way, goes to review with calibre's value as the proposal, and BookDesk's stays until a person decides.
Custom columns' values follow calibre's.
"""

from __future__ import annotations

from collections import defaultdict
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
_CHUNK = 900


def follow(session: Session, items: Sequence[CalibreItem], plan: CalibrePlan, correlation_id: str) -> int:
    """Bring calibre's changes to ``items``' books; returns how many books went to review. The simple fields
    of the whole batch are written a statement per field (``bulk_fields``), the others book by book."""
    repo, calibre = WorkRepository(session), CalibreRepository(session)
    details = {d.id: d for d in repo.details([item.work_id for item in items])}  # type: ignore[misc]
    reviewed = 0
    here = [item for item in items if item.work_id in details]  # a book removed from BookDesk since stays gone
    bulk: list[Change] = []
    if plan.mode == IN_PLACE:
        repo.refresh(_follow_in_place(session, here, plan.folder, correlation_id))
    for item in here:
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


def _follow_in_place(session: Session, items: Sequence[CalibreItem], folder: Path, correlation_id: str) -> set[int]:
    """The files of a batch of books kept in place, as calibre has them now; the works whose files changed. Their
    files, works and calibre's paths listed here are read once for the batch, not a few queries a book."""
    ids = [item.work_id for item in items]
    rows: dict[int, list[File]] = defaultdict(list)
    paths = [fmt.path.as_posix() for item in items for fmt in item.book.formats]
    listed: set[str] = set()
    works: dict[int, Work] = {}
    for start in range(0, max(len(ids), len(paths)), _CHUNK):
        for row in session.execute(select(File).where(File.work_id.in_(ids[start:start + _CHUNK]))).scalars():
            rows[row.work_id].append(row)
        works.update((w.id, w) for w in session.execute(select(Work).where(Work.id.in_(ids[start:start + _CHUNK])))
                     .scalars())
        listed.update(session.execute(select(File.path).where(File.path.in_(paths[start:start + _CHUNK]))).scalars())
    changed = set()
    for item in items:
        follow_files(session, item, rows[item.work_id], listed, works.get(item.work_id))  # type: ignore[index, arg-type]
        if follow_formats(session, item, folder, correlation_id, rows[item.work_id], listed):  # type: ignore[index]
            changed.add(item.work_id)
    return changed  # type: ignore[return-value]


def follow_files(session: Session, item: CalibreItem, rows: list[File], listed: set[str], work: Work | None) -> None:
    """A book kept in place follows its files where calibre has them now: calibre moves a book's folder when
    its title or authors change. Not a FieldChange: the old place is gone, and an undo must not point back at it.
    ``rows``: the book's files; ``listed``: calibre's paths the catalog lists (grown with the moves made); ``work``:
    the book's row."""
    now = {fmt.format: fmt for fmt in item.book.formats}
    for row in rows:
        fmt = now.get(row.format.lower()) or now.get(Path(row.path).suffix.lstrip(".").lower())
        if not Path(row.path).is_absolute() or fmt is None or fmt.path.as_posix() == row.path or \
                fmt.path.as_posix() in listed:
            continue  # not calibre's, not moved, or its new place is listed already (a format that came anew)
        session.execute(update(ImportSource).where(ImportSource.file_id == row.id).values(
            source_path=str(fmt.path), target_path=fmt.path.as_posix()))
        row.path, row.source_path, row.size, row.mtime = fmt.path.as_posix(), str(fmt.path), fmt.size, fmt.mtime_ns / 1e9
        listed.add(row.path)
    cover = item.book.cover.as_posix() if item.book.cover else None
    if work is not None and work.cover_path and Path(work.cover_path).is_absolute() and work.cover_path != cover:
        work.cover_path = cover
