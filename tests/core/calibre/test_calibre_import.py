"""Bringing a calibre library made by the real calibredb over, in place and copied: every field as
``calibredb list`` says it, each a FieldChange from "calibre", the whole import undone by its Ref, and
calibre's library never written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookdesk.core.calibre.plan import CALIBRE_ID, CALIBRE_UUID
from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.core.library_service import LibraryService
from tests.conftest import tree


@pytest.fixture
def bring_over(run_job):
    def run(catalog, folder: Path, mode: str = "in-place"):
        importer = CalibreImportService(catalog)
        result, _ = run_job(catalog, lambda ctx: importer.run(ctx, folder, mode), kind="calibre-import")
        assert result.state == "succeeded", result.error
        return result.value

    return run


def _by_calibre_id(library: LibraryService) -> dict[int, object]:
    return {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}


def _position(index: float) -> str:
    return f"{index:g}"


@pytest.mark.parametrize("mode", ["in-place", "copy"])
def test_every_book_comes_over_field_for_field(catalog, calibre_copy, bring_over, mode):
    folder, listed = calibre_copy
    before = tree(folder)
    report = bring_over(catalog, folder, mode)
    assert report.count("added") == len(listed) and not report.failed
    library = LibraryService(catalog)
    books = _by_calibre_id(library)
    for truth in listed:
        book = books[truth["id"]]
        assert book.title == truth["title"]
        assert " & ".join(book.authors) == truth["authors"]
        assert book.identifiers[CALIBRE_UUID] == truth["uuid"]
        expected = {("asin" if k == "amazon" else k): v for k, v in truth["identifiers"].items()}
        assert {k: v for k, v in book.identifiers.items() if not k.startswith("calibre")} == expected
        assert [(s.name, s.label) for s in book.series] == (
            [(truth["series"], _position(truth["series_index"]))] if truth.get("series") else [])
        assert sorted(book.tags) == sorted(truth["tags"])
        assert book.rating == truth.get("rating")
        assert book.publisher == truth.get("publisher")
        assert book.first_published == (None if truth["pubdate"].startswith("0101") else truth["pubdate"][:10])
        assert book.added_at.isoformat()[:19] == truth["timestamp"][:19]
        assert sorted(f.format for f in book.files) == sorted(Path(p).suffix[1:] for p in truth["formats"])
        cover = library.absolute(book.cover_path)
        assert cover.read_bytes() == (folder / truth["cover"].split("/calibre-made/library/", 1)[1]).read_bytes()
        for record in book.files:
            on_disk = library.absolute(record.path)
            assert on_disk.is_file()
            assert on_disk.is_relative_to(folder) == (mode == "in-place")
    assert tree(folder) == before  # calibre's library: not a byte written, in place or copied


def test_history_says_each_field_came_from_calibre(catalog, calibre_copy, bring_over):
    folder, listed = calibre_copy
    report = bring_over(catalog, folder)
    library = LibraryService(catalog)
    first = _by_calibre_id(library)[1]
    changes = {c.field: c for c in library.history(first.id)}
    assert {"title", "authors", "series", "tags", "identifiers", "rating", "publisher", "description",
            "cover_path"} <= set(changes)
    assert {c.source for c in changes.values()} == {"calibre"}
    assert {c.correlation_id for c in changes.values()} == {report.correlation_id}
    assert changes["description"].new_value == "The second book & a tomb."


def test_the_whole_import_undoes_by_its_ref_and_calibre_keeps_every_file(catalog, calibre_copy, bring_over):
    folder, _ = calibre_copy
    before = tree(folder)
    report = bring_over(catalog, folder)
    library = LibraryService(catalog)
    undone = library.undo_job(report.correlation_id)
    assert undone.imported.works_removed == 3
    assert library.work_ids() == []
    assert tree(folder) == before


def test_a_calibre_library_inside_the_bookdesk_folder_keeps_its_files_through_undo(catalog, calibre_made,
                                                                                   bring_over):
    inside = catalog.folder / "Calibre Library"
    shutil.copytree(calibre_made[0], inside)
    before = tree(inside)
    report = bring_over(catalog, inside)
    LibraryService(catalog).undo_job(report.correlation_id)
    assert tree(inside) == before


def test_a_run_again_brings_nothing_twice(catalog, calibre_copy, bring_over):
    folder, listed = calibre_copy
    bring_over(catalog, folder)
    again = bring_over(catalog, folder)
    assert again.count("added") == 0 and again.count("duplicate") == len(listed)
    assert len(LibraryService(catalog).work_ids()) == len(listed)


def test_a_library_on_a_read_only_disk_comes_over_in_place(catalog, read_only_calibre, bring_over):
    folder, listed = read_only_calibre
    report = bring_over(catalog, folder)
    assert report.count("added") == len(listed)


def test_a_book_whose_file_is_missing_comes_over_without_it_and_says_so(catalog, calibre_copy, bring_over):
    folder, listed = calibre_copy
    pdf = next(folder.rglob("*.pdf"))
    pdf.unlink()
    report = bring_over(catalog, folder, "copy")
    assert report.count("added") == len(listed)
    assert any("PDF file is missing" in p for p in report.problems)
    first = _by_calibre_id(LibraryService(catalog))[1]
    assert [f.format for f in first.files] == ["epub"]


@pytest.mark.parametrize("inside", [False, True])
def test_removing_a_book_kept_in_place_never_touches_calibres_files(catalog, calibre_made, tmp_path, bring_over,
                                                                    user_folders, inside):
    from bookdesk.core.removal.service import RemovalService

    folder = (catalog.folder if inside else tmp_path) / "Calibre Library"
    shutil.copytree(calibre_made[0], folder)
    before = tree(folder)
    bring_over(catalog, folder)
    library = LibraryService(catalog)
    report = RemovalService(catalog).remove(library.work_ids())  # files to the trash, as a person asks
    assert len(report.works) == 3 and not report.failures
    assert library.work_ids() == []
    assert tree(folder) == before


def test_writing_metadata_into_files_leaves_calibres_files_alone_and_says_why(catalog, calibre_copy, bring_over):
    from bookdesk.core.writeback.service import SKIPPED, WritebackService

    folder, _ = calibre_copy
    before = tree(folder)
    bring_over(catalog, folder)
    library = LibraryService(catalog)
    results = [r for d in library.details(library.work_ids()) for r in WritebackService(catalog.folder).write(d)]
    assert results and {r.status for r in results} == {SKIPPED}
    assert all("kept where another program has it" in r.message for r in results)
    assert tree(folder) == before
