"""Wanting missing books: deciding what that changes, so it never makes two works of one book, then
making the changes.

A missing position gets a new wanted work only when no work of the series stands at it. A
wanted work already there is enough; an owned book whose other media kind is wanted gets
that kind added to its wanted kinds instead of a second work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bookdesk.core.series.gaps import MissingBook, SeriesGaps, entry_positions
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.library_entry import LibraryEntry
from bookdesk.data.wanted_repository import WantedRepository


@dataclass(slots=True)
class WantPlan:
    create: list[MissingBook] = field(default_factory=list)  # new wanted works
    mark: list[tuple[int, str]] = field(default_factory=list)  # (work id, media kind) to add to its wanted kinds
    already: list[int] = field(default_factory=list)  # works that already stand for a wanted book

    @property
    def changes(self) -> int:
        return len(self.create) + len(self.mark)


def plan_wants(gaps: SeriesGaps, entries: Iterable[LibraryEntry], media_kind: str | None,
               books: Iterable[MissingBook] | None = None) -> WantPlan:
    """What to do to want ``books`` (default: every missing book of ``media_kind``, or of any kind)."""
    at: dict[float, list[LibraryEntry]] = {}
    for entry in entries:
        for position in entry_positions(entry.label, entry.sort_key, entry.sort_key_end):
            at.setdefault(position, []).append(entry)
    plan = WantPlan()
    for book in gaps.kind(media_kind).missing if books is None else books:
        works = at.get(book.position, [])
        wanted = [w for w in works if w.status == "wanted" and not w.kinds]
        if wanted:
            work = wanted[0]
            kinds = _kinds(work.wanted_kinds)
            if media_kind is None or not kinds or media_kind in kinds:
                plan.already.append(work.work_id)
            else:
                plan.mark.append((work.work_id, media_kind))
            continue
        owned = [w for w in works if w.kinds or w.status == "owned"]
        if owned and media_kind is not None:
            work = owned[0]
            if media_kind in _kinds(work.wanted_kinds):
                plan.already.append(work.work_id)
            else:
                plan.mark.append((work.work_id, media_kind))
            continue
        plan.create.append(book)
    return plan


def _kinds(joined: str | None) -> set[str]:
    return {k for k in (joined or "").split(",") if k}


def apply_plan(session: Session, gaps: SeriesGaps, plan: WantPlan, media_kind: str | None) -> list[int]:
    """Make the plan's changes; returns the works created or newly marked."""
    repo = WantedRepository(session)
    changed: list[int] = []
    for work_id, kind in plan.mark:
        repo.set_wanted_kinds(work_id, [*repo.state(work_id).wanted_kinds, kind])
        changed.append(work_id)
    if plan.create:
        changed += add_placeholders(session, gaps, plan.create, media_kind, status="wanted")
    return changed


def add_placeholders(session: Session, gaps: SeriesGaps, books: Sequence[MissingBook], media_kind: str | None,
                     status: str) -> list[int]:
    """Works without files standing for missing books (status "wanted" or "ignored"), with what the
    listings know: title, authors (else the series' main authors), position, release date, identifiers,
    language and cover. A book no listing names is called "<series> #<position>"."""
    repo = WantedRepository(session)
    series_authors = repo.series_authors(gaps.series_id)
    works = [NewWork(title=book.title or f"{gaps.name} #{book.label}",
                     contributors=[Contributor(name) for name in (book.authors or series_authors)],
                     series=[SeriesRef(gaps.name, book.label, series_id=gaps.series_id)],
                     identifiers=dict(book.identifiers),
                     language=book.language, status=status,
                     first_published=book.release_date.isoformat() if book.release_date else None)
             for book in books]
    kinds = [(media_kind or "") if status == "wanted" else "" for _ in books]
    now = datetime.now(UTC).replace(tzinfo=None)
    return repo.add_placeholders(works, [book.cover_url for book in books], kinds, now)
