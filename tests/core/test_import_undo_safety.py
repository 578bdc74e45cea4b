"""Undoing an import never destroys the last copy of a book, never deletes or writes through a link
that leaves the library, and puts moved files back at the absolute place they came from."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import update

from bookdesk.core.library_service import LibraryService
from bookdesk.data.import_repository import ImportRepository
from bookdesk.data.models import ImportSource
from bookdesk.data.work_repository import WorkRepository


def titles(catalog) -> list[str]:
    with catalog.read() as session:
        repo = WorkRepository(session)
        return sorted(d.title for d in repo.details(repo.ids()))


def library_copy(catalog, correlation_id: str, source: Path) -> Path:
    with catalog.read() as session:
        records = ImportRepository(session).sources_of(correlation_id)
    [record] = [r for r in records if Path(r.source_path).name == source.name]
    return catalog.folder / record.target_path


def two_books(make_book, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "incoming"
    return make_book("Safe To Remove", folder=folder), make_book("Only Copy Left", folder=folder)


def test_undo_keeps_the_library_copy_when_the_original_was_deleted(catalog, make_book, tmp_path, import_books):
    safe, only = two_books(make_book, tmp_path)
    _, report = import_books(catalog, [safe.parent])
    kept = library_copy(catalog, report.correlation_id, only)
    only.unlink()  # the person tidied up their downloads after the import

    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert kept.is_file()
    assert titles(catalog) == ["Only Copy Left"]  # still in the library, as a person would expect
    assert (undo.works_removed, undo.files_removed, undo.files_kept) == (1, 1, 1)
    assert any("Only Copy Left" in p and "no longer" in p for p in undo.problems)
    assert "1 kept" in undo.summary()
    assert not library_copy_exists(catalog, safe)


def library_copy_exists(catalog, source: Path) -> bool:
    return any(p.stem == source.stem for p in catalog.folder.rglob("*.epub"))


def test_undo_keeps_the_library_copy_when_the_original_changed_since(catalog, make_book, tmp_path, import_books):
    safe, only = two_books(make_book, tmp_path)
    _, report = import_books(catalog, [safe.parent])
    kept = library_copy(catalog, report.correlation_id, only)
    only.write_bytes(b"something else entirely now")

    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert kept.is_file() and titles(catalog) == ["Only Copy Left"]
    assert undo.files_kept == 1 and any("changed" in p for p in undo.problems)


def test_undo_keeps_a_library_copy_edited_since_the_import(catalog, make_book, tmp_path, import_books):
    safe, edited = two_books(make_book, tmp_path)
    _, report = import_books(catalog, [safe.parent])
    copy = library_copy(catalog, report.correlation_id, edited)
    with copy.open("ab") as fh:  # the person's edits (or a write-back) live only in this copy
        fh.write(b"\0edited")
    after_edit = copy.read_bytes()

    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert copy.read_bytes() == after_edit
    assert titles(catalog) == ["Only Copy Left"]
    assert undo.files_kept == 1 and any("edited" in p for p in undo.problems)
    assert edited.exists() and safe.exists()


def test_undo_still_removes_copies_whose_originals_are_untouched(catalog, make_book, tmp_path, import_books):
    safe, other = two_books(make_book, tmp_path)
    _, report = import_books(catalog, [safe.parent])

    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert titles(catalog) == [] and (undo.files_removed, undo.files_kept, undo.problems) == (2, 0, [])
    assert not list(catalog.folder.rglob("*.epub"))


def test_an_import_records_absolute_source_paths_whatever_folder_it_ran_from(catalog, make_book, tmp_path,
                                                                               import_books, monkeypatch):
    book = make_book("Typed Relative", folder=tmp_path / "work" / "books")
    monkeypatch.chdir(tmp_path / "work")
    _, report = import_books(catalog, [Path("books")], mode="move")

    with catalog.read() as session:
        [record] = ImportRepository(session).sources_of(report.correlation_id)
    assert Path(record.source_path) == book.resolve()

    monkeypatch.chdir(tmp_path)
    LibraryService(catalog).undo_job(report.correlation_id)
    assert book.is_file() and not (tmp_path / "books").exists()


def test_undo_of_an_old_move_recorded_relative_keeps_the_file_and_says_why(catalog, make_book, tmp_path,
                                                                          import_books, monkeypatch):
    book = make_book("Recorded Relative", folder=tmp_path / "work" / "books")
    _, report = import_books(catalog, [book], mode="move")
    with catalog.write() as session:  # as catalogs written before paths were made absolute hold them
        session.execute(update(ImportSource).values(source_path="books/Recorded Relative.epub"))
    placed = list(catalog.folder.rglob("*.epub"))
    monkeypatch.chdir(tmp_path)

    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert [p.is_file() for p in placed] == [True]
    assert not (tmp_path / "books").exists()
    assert titles(catalog) == ["Recorded Relative"]
    assert undo.files_kept == 1 and any("relative" in p for p in undo.problems)


def test_undo_never_deletes_through_a_link_that_leaves_the_library(catalog, make_book, tmp_path, import_books):
    book = make_book("Linked Away", author="Far Author", folder=tmp_path / "incoming")
    _, report = import_books(catalog, [book])
    copy = library_copy(catalog, report.correlation_id, book)
    # Someone moved the author's folder elsewhere and left a link in its place.
    outside = tmp_path / "elsewhere"
    author_folder = copy.parent
    while author_folder.parent != catalog.folder:
        author_folder = author_folder.parent
    os.rename(author_folder, outside)
    author_folder.symlink_to(outside, target_is_directory=True)
    beyond = outside / copy.relative_to(author_folder)
    assert beyond.is_file()

    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert beyond.is_file()
    assert undo.files_kept == 1 and any("link" in p for p in undo.problems)


def test_the_same_relative_path_typed_in_another_folder_is_another_book(catalog, make_book, tmp_path,
                                                                        import_books, monkeypatch):
    first = make_book("Book A", folder=tmp_path / "one" / "books", name="book.epub")
    second = make_book("Book B", folder=tmp_path / "two" / "books", name="book.epub")
    assert first.stat().st_size == second.stat().st_size
    os.utime(second, ns=(first.stat().st_atime_ns, first.stat().st_mtime_ns))
    monkeypatch.chdir(tmp_path / "one")
    import_books(catalog, [Path("books")])

    monkeypatch.chdir(tmp_path / "two")
    _, report = import_books(catalog, [Path("books")])

    assert report.count("added") == 1
    assert titles(catalog) == ["Book A", "Book B"]


def test_a_file_undo_could_not_move_back_keeps_its_catalog_entry(catalog, make_book, tmp_path, import_books,
                                                                monkeypatch):
    book = make_book("Cannot Go Back", folder=tmp_path / "incoming")
    _, report = import_books(catalog, [book], mode="move")

    def refuse(src, dst):  # noqa: ANN001
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    undo = LibraryService(catalog).undo_job(report.correlation_id).imported

    assert titles(catalog) == ["Cannot Go Back"]  # the file is still in the library, and so is its entry
    assert list(catalog.folder.rglob("*.epub")) and undo.problems


def _moved_in_from_another_disk(catalog, make_book, import_books, monkeypatch, folder: Path,
                                title: str) -> tuple[Path, bytes, str, Path]:
    """A book moved in; its source folder then counts as another disk: renaming the library's file
    there fails with EXDEV. Returns (source, its bytes, the import's Ref, the library's file)."""
    import errno

    book = make_book(title, folder=folder)
    original = book.read_bytes()
    _, report = import_books(catalog, [book], mode="move")
    library_file = library_copy(catalog, report.correlation_id, book)
    real_replace = os.replace

    def replace(src, dst, **kwargs):  # noqa: ANN001, ANN003
        if Path(src) == library_file:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return book, original, report.correlation_id, library_file


def test_undo_of_a_move_across_disks_keeps_the_library_copy_when_the_copy_back_comes_out_short(
        catalog, make_book, tmp_path, import_books, monkeypatch):
    import shutil

    book, original, ref, library_file = _moved_in_from_another_disk(catalog, make_book, import_books, monkeypatch,
                                                                    tmp_path / "incoming", "Carried Back")

    def short_copy(src, dst, **kwargs):  # noqa: ANN001, ANN003 - a disk that drops the end of a write
        Path(dst).write_bytes(Path(src).read_bytes()[: len(original) // 2])
        return dst

    monkeypatch.setattr(shutil, "copyfile", short_copy)
    monkeypatch.setattr(shutil, "copy2", short_copy)
    undo = LibraryService(catalog).undo_job(ref).imported

    assert library_file.read_bytes() == original  # the only whole copy stays
    assert titles(catalog) == ["Carried Back"] and undo.problems
    assert not book.exists() or book.read_bytes() == original
    assert [p.name for p in book.parent.iterdir()] in ([], [book.name])  # no half-copy left beside it


def test_undo_of_a_move_across_disks_flushes_the_copy_back_before_deleting_the_library_file(
        catalog, make_book, tmp_path, import_books, monkeypatch):
    book, original, ref, library_file = _moved_in_from_another_disk(catalog, make_book, import_books, monkeypatch,
                                                                    tmp_path / "incoming", "Flushed Back")
    events: list[str] = []
    real_fsync, real_unlink = os.fsync, Path.unlink

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def unlink(self, missing_ok=False):  # noqa: ANN001
        if self == library_file:
            events.append("unlink")
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "unlink", unlink)
    undo = LibraryService(catalog).undo_job(ref).imported

    assert book.read_bytes() == original and not library_file.exists()
    assert undo.files_restored == 1 and not undo.problems
    assert "fsync" in events and events.index("fsync") < events.index("unlink")
    assert [p.name for p in book.parent.iterdir()] == [book.name]  # no temporary left beside it
