"""The library as the GUI and the CLI see it: list, search, sort, read, edit, undo."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bookdesk import correlation
from bookdesk.data.catalog import Catalog, open_catalog
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.job_repository import JobRepository
from bookdesk.data.records import (
    DownloadRecord,
    FieldChangeRecord,
    JobRecord,
    SeriesSummary,
    WorkDetail,
    WorkRow,
)
from bookdesk.data.series_repository import SeriesRepository
from bookdesk.data.work_repository import SORT_COLUMNS, WorkRepository

__all__ = ["LibraryService", "SORT_COLUMNS"]


class LibraryService:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @classmethod
    def open(cls, folder: Path, *, exclusive: bool = True, create: bool = True) -> LibraryService:
        catalog = open_catalog(folder, exclusive=exclusive, create=create)
        if exclusive:
            with catalog.write() as session:
                JobRepository(session).abandon_unfinished()
        return cls(catalog)

    @property
    def folder(self) -> Path:
        return self.catalog.folder

    def close(self) -> None:
        self.catalog.close()

    # ----- reading ---------------------------------------------------------------------

    def work_ids(self, search: str | None = None, sort: str = "title", descending: bool = False) -> list[int]:
        with self.catalog.read() as session:
            return WorkRepository(session).ids(search, sort, descending)

    def rows(self, ids: Sequence[int]) -> list[WorkRow]:
        with self.catalog.read() as session:
            return WorkRepository(session).rows(ids)

    def count(self) -> int:
        with self.catalog.read() as session:
            return WorkRepository(session).count()

    def detail(self, work_id: int) -> WorkDetail:
        with self.catalog.read() as session:
            return WorkRepository(session).detail(work_id)

    def details(self, ids: Sequence[int]) -> list[WorkDetail]:
        with self.catalog.read() as session:
            return WorkRepository(session).details(ids)

    def absolute(self, relative: str) -> Path:
        """A catalog path (relative, '/'-separated) as a path on this computer."""
        return self.catalog.folder.joinpath(*relative.split("/"))

    def series(self, search: str | None = None) -> list[SeriesSummary]:
        with self.catalog.read() as session:
            return SeriesRepository(session).summaries(search)

    def downloads(self) -> list[DownloadRecord]:
        with self.catalog.read() as session:
            return DownloadRepository(session).recent()

    def jobs(self, limit: int = 200) -> list[JobRecord]:
        with self.catalog.read() as session:
            return JobRepository(session).recent(limit)

    def job(self, correlation_id: str) -> JobRecord | None:
        with self.catalog.read() as session:
            return JobRepository(session).get(correlation_id)

    def history(self, work_id: int) -> list[FieldChangeRecord]:
        with self.catalog.read() as session:
            return WorkRepository(session).history(work_id)

    # ----- editing ---------------------------------------------------------------------

    def edit(self, work_id: int, field: str, value: object, *, source: str = "user") -> FieldChangeRecord | None:
        """Change one field of a book; the change is recorded and can be undone."""
        cid = correlation.current() or correlation.new_id()
        with self.catalog.write() as session:
            return WorkRepository(session).set_field(work_id, field, value, source=source, correlation_id=cid)

    def undo(self, change_id: int) -> FieldChangeRecord | None:
        cid = correlation.current() or correlation.new_id()
        with self.catalog.write() as session:
            return WorkRepository(session).undo(change_id, correlation_id=cid)

    def lock_field(self, work_id: int, field: str, locked: bool = True) -> None:
        with self.catalog.write() as session:
            WorkRepository(session).set_locked(work_id, field, locked)
