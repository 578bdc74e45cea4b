"""What the newest import still in the library brought, in words a person can decide on before undoing
it: how many books, how many formats of books already there, and the folder (or file) they came from."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository


@dataclass(frozen=True, slots=True)
class LastImport:
    correlation_id: str
    books: int  # books the import added
    formats: int  # files it added to books the library had already
    origin: str  # the folder the files came from, or the file when there was one
    moved: bool = False  # some files were moved in (not copied): undoing puts them back

    def question(self) -> str:
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
        if correlation_id is None:
            return None
        placed = [s for s in repository.sources_of(correlation_id) if s.file_id is not None]
    books = len({s.work_id for s in placed if s.created_work})
    formats = sum(1 for s in placed if not s.created_work)
    origin = os.path.commonpath([s.source_path for s in placed]) if placed else "?"
    if len(placed) > 1 and origin in {s.source_path for s in placed}:  # an audiobook folder: its parent
        origin = os.path.dirname(origin)
    return LastImport(correlation_id, books, formats, origin, moved=any(s.mode == "move" for s in placed))
