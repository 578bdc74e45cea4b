"""A calibre library brought over copied or hard-linked follows what calibre did to a book's formats on the next
run: a format calibre added is copied (linked) into the library with its template, one calibre dropped goes to
the trash, calibre's files untouched; undoing the run by its Ref takes the new copy out and brings the dropped
one back from the trash. The changes in calibre are made by the real calibredb."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.library_service import LibraryService
from tests.calibre_library import calibredb
from tests.conftest import tree


def _books(library: LibraryService) -> dict[int, object]:
    return {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}


@pytest.mark.parametrize("mode", ["copy", "link"])
def test_formats_added_and_dropped_in_calibre_are_copied_and_trashed_then_undone(catalog, calibre_copy, bring_over,
                                                                                 tmp_path, user_folders, mode):
    folder, _ = calibre_copy
    home = tmp_path / "home"
    bring_over(catalog, folder, mode=mode)
    library = LibraryService(catalog)
    [pdf] = [f for f in _books(library)[1].files if f.format == "pdf"]
    pdf_bytes = library.absolute(pdf.path).read_bytes()
    text = tmp_path / "t2.txt"
    text.write_text("A text of the book.\n")
    calibredb(home, "add_format", "--with-library", str(folder), "2", str(text))
    calibredb(home, "remove_format", "--with-library", str(folder), "1", "PDF")
    calibre_before = tree(folder)

    run = bring_over(catalog, folder, mode=mode)

    books = _books(library)
    assert [f.format for f in books[1].files] == ["epub"]
    assert not library.absolute(pdf.path).exists()  # the library's copy went to the trash
    [txt] = [f for f in books[2].files if f.format == "txt"]
    here = library.absolute(txt.path)
    [theirs] = folder.rglob("*.txt")
    assert not Path(txt.path).is_absolute() and here.is_relative_to(catalog.folder)
    assert here.read_bytes() == theirs.read_bytes() == text.read_bytes()
    assert (here.stat().st_ino == theirs.stat().st_ino) == (mode == "link")
    assert tree(folder) == calibre_before  # calibre's library as calibre left it

    library.undo_job(run.correlation_id)

    books = _books(library)
    assert sorted(f.format for f in books[1].files) == ["epub", "pdf"]
    assert library.absolute(pdf.path).read_bytes() == pdf_bytes  # back from the trash
    assert [f.format for f in books[2].files] == ["epub"] and not here.exists()
    assert tree(folder) == calibre_before


def test_a_run_with_no_format_changes_copies_nothing_again(catalog, calibre_copy, bring_over, tmp_path):
    folder, _ = calibre_copy
    bring_over(catalog, folder, mode="copy")
    calibredb(tmp_path / "home", "set_metadata", "--with-library", str(folder), "--field", "rating:2", "1")
    library = LibraryService(catalog)
    before = {d.id: d.files for d in library.details(library.work_ids())}
    run = bring_over(catalog, folder, mode="copy")
    assert run.updated == 1
    assert {d.id: d.files for d in library.details(library.work_ids())} == before
