"""What the newest import still in the library brought, in words a person can decide on before undoing
it: how many books, how many formats of books already there, and the folder (or file) they came from."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import func, select

from bookdesk.data.calibre_repository import CalibreRepository
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.models import ImportSource


@dataclass(frozen=True, slots=True)
class LastImport:
    correlation_id: str
    books: int  # books the import added
    formats: int  # files it added to books the library had already
    origin: str  # the folder the files came from, or the file when there was one
    moved: bool = False  # some files were moved in (not copied): undoing puts them back
    updated: int = 0  # a calibre run that added nothing: the books it brought up to date

    def question(self) -> str:
        if self.updated:
            return (f"Undo the run of the calibre library {self.origin} (Ref {self.correlation_id}): "
                    f"{self.updated:,} book{'s' if self.updated != 1 else ''} brought up to date? calibre's files "
                    "stay as they are.")
        what = [f"{self.books:,} book{'s' if self.books != 1 else ''}"] if self.books else []
        if self.formats:
            what.append(f"{self.formats:,} format{'s' if self.formats != 1 else ''} added to books you had")
        files = ("Files it moved go back where they came from." if self.moved
                 else "The originals there stay as they are.")
        return f"Remove the {' and '.join(what) or 'files'} imported from {self.origin} (Ref {self.correlation_id})? {files}"


def last_import(catalog: Catalog) -> LastImport | None:
    """The newest import that added anything still in the library; None when there is none."""
    with catalog.read() as session:
        repository = ImportRepository(session)
        correlation_id = repository.last_import()
        placed = [s for s in repository.sources_of(correlation_id) if s.file_id is not None] if correlation_id else []
        # A calibre run newer than it that only brought changes (the follow job's, say) is the last import.
        run = CalibreRepository(session).last_run()
        if run is not None and run[0] != correlation_id and (correlation_id is None or run[1] > session.execute(
                select(func.max(ImportSource.imported_at)).where(ImportSource.correlation_id == correlation_id)).scalar()):
            return LastImport(run[0], 0, 0, run[3], updated=run[2])
        if correlation_id is None:
            return None
    books = len({s.work_id for s in placed if s.created_work})
    formats = sum(1 for s in placed if not s.created_work)
    origin = os.path.commonpath([s.source_path for s in placed]) if placed else "?"
    if len(placed) > 1 and origin in {s.source_path for s in placed}:  # an audiobook folder: its parent
        origin = os.path.dirname(origin)
    return LastImport(correlation_id, books, formats, origin, moved=any(s.mode == "move" for s in placed))
