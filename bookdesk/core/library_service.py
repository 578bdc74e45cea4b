"""The library as the GUI and the CLI see it: list, search, sort, read, edit, undo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bookdesk import correlation
from bookdesk.core import library_paths
from bookdesk.core.editing.service import NEVER_LOCKED
from bookdesk.core.temp_sweep import sweep_temp_files
from bookdesk.data.calibre_repository import CalibreRepository, CustomValue
from bookdesk.data.catalog import Catalog, open_catalog
from bookdesk.data.catalog_rows import (
    DownloadRecord,
    FieldChangeRecord,
    JobRecord,
    SeriesSummary,
    WorkDetail,
    WorkRow,
)
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.job_repository import JobRepository
from bookdesk.data.review_repository import ReviewRecord, ReviewRepository
from bookdesk.data.series_repository import SeriesRepository
from bookdesk.data.undo_state import UndoState, undo_state
from bookdesk.data.work_listing import SORT_COLUMNS
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import CatalogDiskFullError, NotFoundError

if TYPE_CHECKING:
    from bookdesk.core.importer.undo import UndoReport
    from bookdesk.core.jobs import JobContext
    from bookdesk.core.removal.report import RestoreReport

__all__ = ["JobUndo", "LibraryService", "SORT_COLUMNS"]


@dataclass(frozen=True)
class JobUndo:
    correlation_id: str
    changes_undone: int
    imported: UndoReport | None  # None when the job imported nothing
    restored: RestoreReport | None = None  # None when the job removed, merged or split nothing
    work_ids: tuple[int, ...] = ()  # the books whose fields were set back (their files follow, with write-back)
    links_undone: int = 0  # calibre links the job made or brought up to date, taken out or set back as they were

    def summary(self) -> str:
        parts = [f"{self.changes_undone} changes undone"] if self.changes_undone else []
        if self.links_undone:
            parts.append(f"{self.links_undone:,} link{'s' if self.links_undone != 1 else ''} to calibre taken back")
        if self.imported is not None:
            parts.append(self.imported.summary())
        if self.restored is not None:
            parts.append(self.restored.summary())
        return "; ".join(parts)

    @property
    def problems(self) -> list[str]:
        return (self.imported.problems if self.imported else []) + (self.restored.problems if self.restored else [])


class LibraryService:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @classmethod
    def open(cls, folder: Path, *, exclusive: bool = True, create: bool = True) -> LibraryService:
        catalog = open_catalog(folder, exclusive=exclusive, create=create)
        if isinstance(catalog.refusal, CatalogDiskFullError) and catalog.holds_lock and sweep_temp_files(catalog.folder):
            # What a killed write left may be what filled the disk: with it gone, look again.
            catalog.close()
            catalog = open_catalog(folder, exclusive=exclusive, create=create)
        if exclusive and not catalog.read_only:
            with catalog.write() as session:
                JobRepository(session).abandon_unfinished()
            sweep_temp_files(catalog.folder)  # what a killed write left; only with the lock held
        return cls(catalog)

    @property
    def folder(self) -> Path:
        return self.catalog.folder

    def close(self) -> None:
        self.catalog.close()

    # ----- reading ---------------------------------------------------------------------

    def work_ids(self, search: str | None = None, sort: str = "title", descending: bool = False,
                 shelf: str | None = None) -> list[int]:
        """The books of ``shelf`` (``SHELVES``: "books" leaves out the wanted placeholders; None: every
        work) matching ``search``, in order."""
        with self.catalog.read() as session:
            return WorkRepository(session).ids(search, sort, descending, shelf)

    def rows(self, ids: Sequence[int]) -> list[WorkRow]:
        with self.catalog.read() as session:
            return WorkRepository(session).rows(ids)

    def count(self, shelf: str | None = None) -> int:
        with self.catalog.read() as session:
            return WorkRepository(session).count(shelf)

    def detail(self, work_id: int) -> WorkDetail:
        with self.catalog.read() as session:
            return WorkRepository(session).detail(work_id)

    def details(self, ids: Sequence[int]) -> list[WorkDetail]:
        with self.catalog.read() as session:
            return WorkRepository(session).details(ids)

    def custom_fields(self, work_id: int) -> list[CustomValue]:
        """The values of a book's calibre custom columns, named after each column (core/calibre/)."""
        with self.catalog.read() as session:
            return CalibreRepository(session).custom(work_id)

    def absolute(self, relative: str) -> Path:
        """A catalog path (relative, '/'-separated) as a path on this computer; an absolute one (a file kept
        where another program has it: a calibre library brought over in place) as it is."""
        return library_paths.absolute(self.catalog.folder, relative)

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

    def undo_state(self, correlation_id: str) -> UndoState:
        """Whether the job has anything left to undo, was undone, or changed nothing (data/undo_state.py)."""
        with self.catalog.read() as session:
            return undo_state(session, correlation_id)

    def history(self, work_id: int) -> list[FieldChangeRecord]:
        with self.catalog.read() as session:
            return WorkRepository(session).history(work_id)

    # ----- editing ---------------------------------------------------------------------

    def edit(self, work_id: int, field: str, value: object, *, source: str = "user") -> FieldChangeRecord | None:
        """Change one field of a book; the change is recorded and can be undone. Changed by the person (an
        edit in the library's list), the field is locked against identification, as ``EditService`` locks."""
        cid = correlation.current() or correlation.new_id()
        with self.catalog.write() as session:
            repo = WorkRepository(session)
            change = repo.set_field(work_id, field, value, source=source, correlation_id=cid)
            if change is not None and source == "user" and field not in NEVER_LOCKED:
                repo.set_locked(work_id, field, True)
            return change

    def undo(self, change_id: int) -> FieldChangeRecord | None:
        cid = correlation.current() or correlation.new_id()
        with self.catalog.write() as session:
            return WorkRepository(session).undo(change_id, correlation_id=cid)

    def undo_job(self, correlation_id: str) -> JobUndo:
        """Revert everything one job did: the field changes it made, the books it imported, and the books
        it removed, merged or split (core/removal/restore.py)."""
        # Imported here: the importer's undo and the removals' restore are heavy, and a command that only
        # reads (``bookdesk list``) must not pay for them at its start.
        from bookdesk.core.importer.undo import undo_import
        from bookdesk.core.removal.restore import has_removals, undo_removals

        cid = correlation.new_id()
        with self.catalog.read() as session:
            sources = ImportRepository(session).sources_of(correlation_id)
        # The fields of a book the import made (a calibre import records each) go with the book itself.
        made = {source.work_id for source in sources if source.created_work}
        with correlation.bound(cid), self.catalog.write() as session:
            repo = WorkRepository(session)
            undone = [change for change in repo.changes_of(correlation_id)
                      if change.work_id not in made and repo.undo(change.id, correlation_id=cid) is not None]
            # The next run offers calibre's changes again; a run that only linked books here undid only these.
            links = CalibreRepository(session).undo_run(correlation_id)
        report = undo_import(self.catalog, correlation_id) if sources else None
        with correlation.bound(cid):
            restored = undo_removals(self.catalog, correlation_id) if has_removals(self.catalog, correlation_id) \
                else None
        if not undone and not links and report is None and restored is None:
            raise NotFoundError(f"Job {correlation_id} made no change that can be undone (or it was undone already).")
        changed = sorted({change.work_id for change in undone})
        if changed and report is not None:  # a book the undone import added is gone with it
            with self.catalog.read() as session:
                changed = [detail.id for detail in WorkRepository(session).details(changed)]
        return JobUndo(correlation_id, len(undone), report, restored, tuple(changed), links)

    async def undo_job_as_job(self, ctx: JobContext, correlation_id: str) -> JobUndo:
        """``undo_job`` as the body of an "undo" job (Activity's Undo, Ctrl+Z, ``bookdesk undo``): the
        catalog work off the event loop, and Activity's Result saying what came back and what could not."""
        import asyncio

        undone = await asyncio.to_thread(self.undo_job, correlation_id)
        ctx.summary = undone.summary()
        return undone

    def reviews(self) -> list[ReviewRecord]:
        """Identifications waiting for a person, oldest first."""
        with self.catalog.read() as session:
            return ReviewRepository(session).pending()

    def review(self, item_id: int) -> ReviewRecord | None:
        with self.catalog.read() as session:
            return ReviewRepository(session).get(item_id)

    def pending_review_count(self) -> int:
        with self.catalog.read() as session:
            return ReviewRepository(session).count_pending()

    def skip_review(self, item_id: int) -> None:
        with self.catalog.write() as session:
            ReviewRepository(session).decide(item_id, "skipped")

    def lock_field(self, work_id: int, field: str, locked: bool = True) -> None:
        with self.catalog.write() as session:
            WorkRepository(session).set_locked(work_id, field, locked)
