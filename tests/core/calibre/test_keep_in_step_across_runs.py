"""Keeping in step over several runs, as a person uses it: calibre moving a renamed book's folder, a run
undone and run again, the read-state column remembered, a book removed here, the library spelled another
way. The changes in calibre are made by the real calibredb."""

from __future__ import annotations

from pathlib import Path

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.library_service import LibraryService
from tests.calibre_library import calibredb


def _books(library: LibraryService) -> dict[int, object]:
    return {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}


def test_a_book_calibre_moved_keeps_its_files_and_cover(catalog, calibre_copy, bring_over, tmp_path):
    folder, _ = calibre_copy
    bring_over(catalog, folder)
    calibredb(tmp_path / "home", "set_metadata", "--with-library", str(folder), "--field", "authors:New Author", "1")

    bring_over(catalog, folder)

    book = _books(LibraryService(catalog))[1]
    assert book.authors == ["New Author"]
    assert [f.format for f in book.files] == ["epub", "pdf"]
    assert all(Path(f.path).is_file() and "New Author" in f.path for f in book.files)
    assert book.cover_path is not None and Path(book.cover_path).is_file() and "New Author" in book.cover_path
