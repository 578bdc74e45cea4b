"""Keeping in step over several runs, as a person uses it: calibre moving a renamed book's folder, a run
undone and run again, the read-state column remembered, a book removed here, the library spelled another
way. The changes in calibre are made by the real calibredb."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bookdesk.core.calibre.plan import CALIBRE_ID, UPDATE
from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.core.library_service import LibraryService
from tests.calibre_library import calibredb


@pytest.fixture
def preview(run_job):
    def run(catalog, folder, read_column=None):
        importer = CalibreImportService(catalog)
        result, _ = run_job(catalog, lambda ctx: importer.preview(ctx, folder, "in-place", read_column))
        assert result.state == "succeeded", result.error
        return result.value

    return run


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


def test_a_run_undone_leaves_calibres_changes_to_come_again(catalog, calibre_copy, bring_over, preview, tmp_path):
    folder, listed = calibre_copy
    home = tmp_path / "home"
    bring_over(catalog, folder)
    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "title:Renamed in calibre", "2")
    calibredb(home, "remove", "--with-library", str(folder), "3")
    run = bring_over(catalog, folder)
    assert (run.updated, run.removed) == (1, 1)

    undone = LibraryService(catalog).undo_job(run.correlation_id)

    assert not [p for p in undone.restored.problems if "trash" in p]  # calibre's files were never in the trash
    books = _books(LibraryService(catalog))
    assert books[2].title == listed[1]["title"] and 3 in books
    again = preview(catalog, folder)
    assert {i.book.id: i.status for i in again.items}[2] == UPDATE
    assert [link.book_id for link in again.removed] == [3]
    bring_over(catalog, folder)
    books = _books(LibraryService(catalog))
    assert books[2].title == "Renamed in calibre" and 3 not in books


def test_the_read_column_is_remembered_and_calibres_read_changes_come(catalog, calibre_copy, bring_over, tmp_path):
    folder, _ = calibre_copy
    bring_over(catalog, folder, read_column="read")
    assert _books(LibraryService(catalog))[1].read_state == "finished"
    calibredb(tmp_path / "home", "set_custom", "--with-library", str(folder), "read", "1", "false")

    bring_over(catalog, folder)  # no column named: the one chosen before

    assert _books(LibraryService(catalog))[1].read_state == "unread"


def test_a_book_removed_here_is_not_brought_back(catalog, calibre_copy, bring_over, preview):
    from bookdesk.core.removal.service import RemovalService

    folder, listed = calibre_copy
    bring_over(catalog, folder)
    library = LibraryService(catalog)
    RemovalService(catalog).remove([_books(library)[1].id])

    plan = preview(catalog, folder)
    [item] = [i for i in plan.items if i.book.id == 1]
    assert "removed" in item.reason and plan.count("new") == 0
    again = bring_over(catalog, folder)
    assert again.count("added") == 0
    assert sorted(_books(library)) == [2, 3]


def test_the_library_spelled_another_way_is_the_same_library(catalog, calibre_copy, bring_over, preview, tmp_path):
    folder, _ = calibre_copy
    bring_over(catalog, folder)
    other = folder / ".." / folder.name

    plan = preview(catalog, other)

    assert plan.count(UPDATE) == 0 and plan.count("duplicate") == 3 and not plan.removed
    calibredb(tmp_path / "home", "remove", "--with-library", str(folder), "3")
    assert [link.book_id for link in preview(catalog, other).removed] == [3]


def test_undo_last_import_offers_the_newest_run_that_only_brought_changes(catalog, calibre_copy, bring_over, tmp_path):
    from bookdesk.core.importer.last_import import last_import

    folder, _ = calibre_copy
    bring_over(catalog, folder)
    calibredb(tmp_path / "home", "set_metadata", "--with-library", str(folder), "--field", "title:Renamed", "2")
    run = bring_over(catalog, folder)  # the follow job's run, say: no book added, one brought up to date

    last = last_import(catalog)

    assert last.correlation_id == run.correlation_id
    assert "1 book brought up to date" in last.question() and "Remove" not in last.question()


def test_linking_from_another_disk_is_refused_before_anything_is_done(catalog, calibre_made, run_job):
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(catalog.folder).st_dev:
        pytest.skip("no second disk (a tmpfs at /dev/shm) here")
    with tempfile.TemporaryDirectory(dir=other) as disk:
        folder = Path(disk) / "Calibre Library"
        shutil.copytree(calibre_made[0], folder)
        importer = CalibreImportService(catalog)
        result, _ = run_job(catalog, lambda ctx: importer.preview(ctx, folder, "link"))
    assert result.state == "failed"
    assert "another disk" in result.error.message and "Copy them" in result.error.message
