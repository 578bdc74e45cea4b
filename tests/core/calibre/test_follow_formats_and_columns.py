"""A re-run follows what calibre did to a book's formats and custom columns: a format calibre added comes as
a file of the book where calibre keeps it, one calibre dropped leaves the catalog (calibre's files untouched),
a custom column's new value is a change from "calibre" that History shows, and undoing the run by its Ref
puts all of it back. The changes in calibre are made by the real calibredb."""

from __future__ import annotations

from pathlib import Path

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.library_service import LibraryService
from tests.calibre_library import calibredb


def _books(library: LibraryService) -> dict[int, object]:
    return {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}


def _calibre_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and p.suffix != ".db"}


def _swap_formats(folder: Path, home: Path, text_to: int, drop: list[tuple[int, str]]) -> None:
    """In calibre: give book ``text_to`` a text format, and take the formats ``drop`` names away."""
    extra = home.parent / f"t{text_to}.txt"
    extra.write_text("A text of the book.\n")
    calibredb(home, "add_format", "--with-library", str(folder), str(text_to), str(extra))
    for book, fmt in drop:
        calibredb(home, "remove_format", "--with-library", str(folder), str(book), fmt)


def test_formats_added_and_dropped_in_calibre_are_followed_and_undone(catalog, calibre_copy, bring_over, tmp_path):
    folder, _ = calibre_copy
    bring_over(catalog, folder)
    _swap_formats(folder, tmp_path / "home", 2, [(1, "PDF")])
    files_before = _calibre_files(folder)

    run = bring_over(catalog, folder)

    library = LibraryService(catalog)
    books = _books(library)
    assert [f.format for f in books[1].files] == ["epub"]
    assert sorted(f.format for f in books[2].files) == ["epub", "txt"]
    [txt] = [f for f in books[2].files if f.format == "txt"]
    assert Path(txt.path).is_absolute() and Path(txt.path).is_file() and Path(txt.path).is_relative_to(folder)
    assert _calibre_files(folder) == files_before  # calibre's files, as calibre left them

    undone = library.undo_job(run.correlation_id)

    books = _books(library)
    # calibre deleted the PDF with the format: the catalog is not pointed at it again, and the undo says so.
    assert [f.format for f in books[1].files] == ["epub"]
    assert any("calibre no longer has it" in problem for problem in undone.problems)
    assert [f.format for f in books[2].files] == ["epub"]
    assert _calibre_files(folder) == files_before


def test_undo_keeps_a_book_on_the_file_calibre_still_has(catalog, calibre_copy, bring_over, tmp_path):
    """calibre gave book 1 a text and took its EPUB (and PDF) away; undoing that run must not leave the
    catalog pointing at deleted files, nor take the text, the one file of the book that exists."""
    folder, _ = calibre_copy
    bring_over(catalog, folder)
    _swap_formats(folder, tmp_path / "home", 1, [(1, "EPUB"), (1, "PDF")])
    run = bring_over(catalog, folder)
    library = LibraryService(catalog)
    assert [f.format for f in _books(library)[1].files] == ["txt"]

    undone = library.undo_job(run.correlation_id)

    files = _books(library)[1].files
    assert [f.format for f in files] == ["txt"]
    assert all(Path(f.path).is_file() for f in files)
    assert "format put back" not in undone.summary()
    assert any("calibre no longer has it" in problem for problem in undone.problems)


def test_custom_column_changes_are_recorded_from_calibre_and_undone(catalog, calibre_copy, bring_over, tmp_path):
    folder, _ = calibre_copy
    home = tmp_path / "home"
    bring_over(catalog, folder)
    calibredb(home, "set_custom", "--with-library", str(folder), "shelf", "1", "Later")
    calibredb(home, "set_custom", "--with-library", str(folder), "pages", "1", "")
    calibredb(home, "set_custom", "--with-library", str(folder), "pages", "3", "12")

    run = bring_over(catalog, folder)

    library = LibraryService(catalog)
    books = _books(library)
    first, third = books[1].id, books[3].id
    assert {v.name: v.value for v in library.custom_fields(first)}.get("shelf") == "Later"
    assert "pages" not in {v.name for v in library.custom_fields(first)}
    changes = {(c.work_id, c.field): c for c in library.history(first) + library.history(third)
               if c.correlation_id == run.correlation_id}
    shelf, pages, new_pages = changes[(first, "#shelf")], changes[(first, "#pages")], changes[(third, "#pages")]
    assert all(c.source == "calibre" for c in (shelf, pages, new_pages))
    assert (shelf.old_value, shelf.new_value) == ("Next", "Later")
    assert (pages.old_value, pages.new_value) == (205, None)
    assert (new_pages.old_value, new_pages.new_value) == (None, 12)

    library.undo_job(run.correlation_id)

    custom = {v.name: (v.label, v.value) for v in library.custom_fields(first)}
    assert custom["shelf"] == ("Shelf", "Next") and custom["pages"] == ("Pages", 205)
    assert "pages" not in {v.name for v in library.custom_fields(third)}
