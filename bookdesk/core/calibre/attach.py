"""Linking a calibre book to the book here it is (``matching.py``): its files were imported before, so nothing
is added twice. What calibre has that this book lacks comes over (a field empty here, calibre's ids and the
identifiers this book lacks, a sort title BookDesk only worked out, the formats it has no file of, kept in
place); a field both have, each its own way, goes to review with calibre's value as the proposal, never written
over. From then on the book follows calibre as one brought over does (``follow.py``), its link's base being
calibre's values now: a field kept here in review goes to review again only when calibre changes it.

Undone by the run's Ref: the fields it filled (FieldChanges from "calibre"), the formats it added, and the link
(marked ATTACHED, so the undo takes it out rather than putting an earlier one back).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy.orm import Session

from bookdesk.core.calibre.commit import SOURCE, custom_values, links_of
from bookdesk.core.calibre.follow import review_candidate
from bookdesk.core.calibre.follow_formats import follow_formats
from bookdesk.core.calibre.plan import IN_PLACE, CalibreItem, CalibrePlan
from bookdesk.data.bulk_fields import BULK_FIELDS, Change, write_changes
from bookdesk.data.calibre_repository import ATTACHED, CalibreRepository
from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.review_repository import ReviewRepository
from bookdesk.data.work_fields import field_value, is_locked
from bookdesk.data.work_repository import WorkRepository
from bookdesk.vocabulary.titles import title_sort

DIFFERS = "a book here already, which calibre has with other values"
_EMPTY = (None, "", [], {})


def attach(session: Session, items: Sequence[CalibreItem], plan: CalibrePlan, correlation_id: str) -> int:
    """Link ``items`` to their books here; returns how many went to review."""
    repo = WorkRepository(session)
    details = {d.id: d for d in repo.details([item.work_id for item in items])}  # type: ignore[misc]
    here = [item for item in items if item.work_id in details]  # a book removed meanwhile is not linked
    reviewed, bulk = 0, []
    for item in here:
        detail = details[item.work_id]  # type: ignore[index]
        if plan.mode == IN_PLACE and follow_formats(session, item, plan.folder, correlation_id):
            repo.refresh([detail.id])
        conflicts = []
        for name, theirs in item.fields.items():
            ours = field_value(detail, name)
            if ours == theirs or theirs in _EMPTY:
                continue
            taken = _filled(name, ours, theirs, detail)
            if taken is not None and name in BULK_FIELDS:  # written for the whole batch at once, below
                if not is_locked(name, detail.locked_fields):
                    bulk.append(Change(detail.id, name, ours, taken))
            elif taken is not None:
                repo.set_field(detail.id, name, taken, source=SOURCE, correlation_id=correlation_id)
            elif name != "identifiers":
                conflicts.append({"field": name, "current": ours, "proposed": theirs, "source": "user"})
        if conflicts:
            ReviewRepository(session).add(detail.id, correlation_id, DIFFERS, [review_candidate(item, conflicts, DIFFERS)])
            reviewed += 1
    write_changes(session, bulk, source=SOURCE, correlation_id=correlation_id)
    calibre = CalibreRepository(session)
    links = [dataclasses.replace(link, fields={**link.fields, ATTACHED: True}) for link in links_of(here, plan)]
    calibre.add_links(links, plan.library_uuid, correlation_id)
    calibre.follow_custom(custom_values(here, plan.columns), [item.work_id for item in here],  # type: ignore[misc]
                          [c.label for c in plan.columns], SOURCE, correlation_id)
    return reviewed


def _filled(name: str, ours: object, theirs: object, detail: WorkDetail) -> object | None:
    """What calibre's value makes of a field here that differs, when it fills rather than replaces; else None."""
    if ours in _EMPTY or (name == "read_state" and ours == "unread"):
        return theirs
    if name == "sort_title" and ours in (title_sort(detail.title), title_sort(detail.title, detail.language)):
        return theirs  # worked out from the title here, not set by a person
    if name == "identifiers":  # calibre's ids and those this book lacks; one it has stays as it is
        merged = {**theirs, **ours}  # type: ignore[dict-item]
        return merged if merged != ours else None
    return None
