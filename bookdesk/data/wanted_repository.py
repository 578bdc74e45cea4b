"""Wanted and ignored books: placeholders for missing books, and media kinds wanted for owned ones.

A work without files in a series stands for a missing book; its status says what the user
decided: "wanted" or "ignored". An owned work can want another media kind ("audiobook")
through ``Work.wanted_kinds`` and keeps status "owned".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from bookdesk.data import search_index
from bookdesk.data.catalog_rows import NewWork
from bookdesk.data.models import Author, Contribution, File, SeriesEntry, Work
from bookdesk.data.work_writer import add_works
from bookdesk.errors import NotFoundError

_WANTED = "(w.status = 'wanted' OR w.wanted_kinds != '')"
_WANTED_SQL = f"""
SELECT w.id, w.title, w.authors_display, w.wanted_kinds, w.status, w.first_published, w.cover_url, w.language
FROM works w WHERE {_WANTED} ORDER BY w.title_key, w.id
"""
_WANTED_SERIES_SQL = f"""
SELECT e.work_id, s.name, e.label
FROM series_entries e JOIN series s ON s.id = e.series_id JOIN works w ON w.id = e.work_id
WHERE {_WANTED} ORDER BY e.id
"""


@dataclass(frozen=True, slots=True)
class WantedRecord:
    id: int
    title: str
    authors: str
    series: tuple[tuple[str, str], ...]  # (name, label)
    wanted_kinds: tuple[str, ...]  # empty: any media kind
    status: str  # wanted; or owned, when another media kind of an owned book is wanted
    first_published: str | None
    cover_url: str | None
    language: str | None


@dataclass(frozen=True, slots=True)
class WorkState:
    id: int
    status: str
    wanted_kinds: tuple[str, ...]
    file_kinds: tuple[str, ...]


class WantedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def state(self, work_id: int) -> WorkState:
        row = self.session.execute(select(Work.status, Work.wanted_kinds).where(Work.id == work_id)).first()
        if row is None:
            raise NotFoundError(f"There is no book with id {work_id} in this library.")
        kinds = self.session.execute(
            select(File.media_kind).where(File.work_id == work_id).distinct().order_by(File.media_kind)).scalars()
        return WorkState(work_id, row[0], _kinds(row[1]), tuple(kinds))

    def add_placeholders(self, works: Sequence[NewWork], cover_urls: Sequence[str | None],
                         wanted_kinds: Sequence[str], now) -> list[int]:  # noqa: ANN001 - datetime
        """Add works without files (status "wanted" or "ignored") for missing books; returns their ids."""
        ids = add_works(self.session, works, now=now)
        for work_id, cover_url, kinds in zip(ids, cover_urls, wanted_kinds, strict=True):
            if cover_url or kinds:
                self.session.execute(update(Work).where(Work.id == work_id)
                                     .values(cover_url=cover_url, wanted_kinds=kinds))
        return ids

    def set_wanted_kinds(self, work_id: int, kinds: Sequence[str]) -> None:
        self.session.execute(update(Work).where(Work.id == work_id).values(wanted_kinds=",".join(sorted(set(kinds)))))

    def set_status(self, work_id: int, status: str, now) -> None:  # noqa: ANN001 - datetime
        self.session.execute(update(Work).where(Work.id == work_id)
                             .values(status=status, wanted_kinds="", updated_at=now))

    def delete(self, work_id: int) -> None:
        self.session.execute(delete(Work).where(Work.id == work_id))
        self.session.execute(text("DELETE FROM work_fts WHERE rowid = :id"), {"id": work_id})

    def wanted(self) -> list[WantedRecord]:
        """Every wanted book and every owned book with another media kind wanted, by title.

        Read as plain rows (in C), the series of all of them in one query: as ORM rows, 900 ids at a time,
        the list was a third of a second of Python on the worker each time the Wanted view was read again,
        while the window waited for the GIL (bench/ui_stalls.py identify)."""
        return wanted_records(self.wanted_rows())

    def wanted_rows(self) -> tuple[list[tuple], list[tuple]]:
        """The wanted list as plain rows (works, then their series), compared in C to tell whether it changed."""
        cursor = self.session.connection().connection.driver_connection
        return cursor.execute(_WANTED_SQL).fetchall(), cursor.execute(_WANTED_SERIES_SQL).fetchall()

    def series_authors(self, series_id: int) -> list[str]:
        """The author or authors credited on most of a series' books, in credit order."""
        counts = self.session.execute(
            select(Author.name, func.count(), func.min(Contribution.position))
            .join(Contribution, Contribution.author_id == Author.id)
            .join(SeriesEntry, SeriesEntry.work_id == Contribution.work_id)
            .where(SeriesEntry.series_id == series_id, Contribution.role == "author")
            .group_by(Author.id)).all()
        if not counts:
            return []
        best = max(count for _, count, _ in counts)
        return [name for name, count, _ in sorted(counts, key=lambda c: (c[2], c[0])) if count == best]

    def refresh_search(self, work_ids: Sequence[int]) -> None:
        search_index.refresh(self.session, list(work_ids))


def wanted_records(rows: tuple[list[tuple], list[tuple]]) -> list[WantedRecord]:
    """``WantedRepository.wanted_rows`` made records."""
    works, series_rows = rows
    series: dict[int, list[tuple[str, str]]] = {}
    for work_id, name, label in series_rows:
        series.setdefault(work_id, []).append((name, label))
    return [WantedRecord(work_id, title, authors, tuple(series.get(work_id, ())), _kinds(kinds), status,
                         published, cover_url, language)
            for work_id, title, authors, kinds, status, published, cover_url, language in works]


def _kinds(joined: str | None) -> tuple[str, ...]:
    return tuple(k for k in (joined or "").split(",") if k)
