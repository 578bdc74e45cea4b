"""Placing books: a folder that cannot be made fails its book alone and the report stays true, a
move within one disk is a rename (the same file, no second copy's worth of space), and nothing is
ever written through a link that leads out of the library."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from bookdesk.core.acquisition.arrival import import_arrival
from bookdesk.core.acquisition.staging import DOWNLOADS
from bookdesk.core.importer import batch_commit
from bookdesk.core.importer import service as import_service
from bookdesk.core.importer.placement import STAGING
from bookdesk.core.library_service import LibraryService
from bookdesk.data.work_repository import WorkRepository
from tests.conftest import simple_metadata, write_epub


def titles(catalog) -> list[str]:
    with catalog.read() as session:
        repo = WorkRepository(session)
        return sorted(d.title for d in repo.details(repo.ids()))


def three_books(make_book, tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    for title, author in (("First", "Ann Able"), ("Second", "Bo Blocked"), ("Third", "Cy Clear")):
        make_book(title, author=author, folder=folder)
    return folder


def epubs_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.epub") if STAGING not in p.parts)


def test_a_book_whose_author_folder_cannot_be_made_fails_alone(catalog, make_book, tmp_path, import_books):
    incoming = three_books(make_book, tmp_path)
    catalog.folder.joinpath("Blocked, Bo").write_text("a file where the author's folder would go")

    result, report = import_books(catalog, [incoming])

    assert result.state == "succeeded"
    assert report.count("added") == 2 == len(titles(catalog))
    [failed] = report.failed
    assert failed.path.endswith("Second.epub") and "Blocked, Bo" in failed.error
    assert titles(catalog) == ["First", "Third"]
    assert catalog.folder.joinpath("Blocked, Bo").read_text() == "a file where the author's folder would go"


def test_a_read_only_destination_fails_its_book_with_the_reason(catalog, make_book, tmp_path, import_books,
                                                                monkeypatch):
    incoming = three_books(make_book, tmp_path)
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if "Blocked, Bo" in self.parts:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    _, report = import_books(catalog, [incoming], mode="move")

    assert report.count("added") == 2 == len(titles(catalog))
    [failed] = report.failed
    assert "read-only" in failed.error
    assert (incoming / "Second.epub").exists()  # a move that failed keeps its source
    assert not (incoming / "First.epub").exists()


def test_a_batch_the_catalog_refuses_is_reported_as_not_added(catalog, make_book, tmp_path, import_books,
                                                             monkeypatch):
    incoming = three_books(make_book, tmp_path)

    def refuse(self, session, placed):  # noqa: ANN001
        raise RuntimeError("disk I/O")

    monkeypatch.setattr(batch_commit.Committer, "_commit", refuse)
    result, _ = import_books(catalog, [incoming])

    report = import_service.partial_report(result.value)
    assert result.state == "failed"
    assert report.count("added") == 0 == len(titles(catalog))
    assert len(report.failed) == 3
    assert epubs_in(catalog.folder) == []


def test_a_move_on_one_disk_keeps_the_same_file(catalog, make_book, tmp_path, import_books):
    book = make_book("Moved Whole", folder=tmp_path / "incoming")
    inode = book.stat().st_ino

    _, report = import_books(catalog, [book], mode="move")

    [placed] = epubs_in(catalog.folder)
    assert report.count("added") == 1 and not book.exists()
    assert placed.stat().st_ino == inode and placed.stat().st_nlink == 1


def test_a_finished_download_moves_into_the_library_without_a_copy(library_dir, tmp_path):
    library = LibraryService.open(library_dir)
    try:
        staged = write_epub(library_dir / DOWNLOADS / "arrived.epub", simple_metadata("Downloaded", "Dee Loader"))
        inode = staged.stat().st_ino

        result = import_arrival(library, [staged], work_id=None)

        assert not result.failures and not staged.exists()
        [placed] = epubs_in(library_dir)
        assert placed.stat().st_ino == inode
    finally:
        library.close()


def test_a_move_across_disks_copies_then_deletes_and_leaves_no_part(catalog, make_book, tmp_path, import_books,
                                                                   monkeypatch):
    book = make_book("Across Disks", folder=tmp_path / "incoming")
    original = book.read_bytes()

    def no_link(src, dst, **kwargs):  # noqa: ANN001, ANN003
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    _, report = import_books(catalog, [book], mode="move")

    [placed] = epubs_in(catalog.folder)
    assert report.count("added") == 1 and placed.read_bytes() == original and not book.exists()
    assert not list((catalog.folder / STAGING).glob("*.part"))


@pytest.mark.parametrize("mode", ["copy", "move", "link"])
def test_a_linked_folder_leading_out_of_the_library_is_never_written_through(catalog, make_book, tmp_path,
                                                                            import_books, mode):
    incoming = three_books(make_book, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    catalog.folder.joinpath("Blocked, Bo").symlink_to(outside, target_is_directory=True)

    _, report = import_books(catalog, [incoming], mode=mode)

    assert list(outside.rglob("*")) == []
    [failed] = report.failed
    assert "link" in failed.error and failed.path.endswith("Second.epub")
    assert titles(catalog) == ["First", "Third"] and (incoming / "Second.epub").exists()
