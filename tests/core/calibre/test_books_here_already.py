"""A calibre library whose files were imported into BookDesk before (as files, copied) is brought over
without a book twice: each calibre book is linked to the book here it is (by calibre's uuid, ISBN, the very
file, or title and author), what that book lacks comes from calibre, what it has otherwise goes to review and
stays as it is; the run undoes by its Ref. The library is made by the real calibredb."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookdesk.core.calibre.plan import ATTACH, CALIBRE_UUID
from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.core.importer.service import ImportService
from bookdesk.core.library_service import LibraryService
from bookdesk.data.review_repository import ReviewRepository
from tests.conftest import tree


@pytest.fixture
def imported_as_files(catalog, calibre_copy, run_job):
    """The calibre library's folder imported as any folder of books is (copied, each with its metadata.opf)."""
    folder, listed = calibre_copy
    result, _ = run_job(catalog, lambda ctx: ImportService(catalog).run(ctx, [folder]))
    assert result.state == "succeeded", result.error
    library = LibraryService(catalog)
    assert len(library.work_ids()) == len(listed)
    return folder, listed, library


def _by_title(library: LibraryService) -> dict[str, object]:
    return {d.title: d for d in library.details(library.work_ids())}


def test_books_imported_from_their_files_are_linked_not_doubled(catalog, imported_as_files, bring_over, run_job):
    folder, listed, library = imported_as_files
    first = _by_title(library)[listed[0]["title"]]
    library.edit(first.id, "publisher", "Here Press")  # this book's own value
    files_before, calibre_before = {d.id: d.files for d in library.details(library.work_ids())}, tree(folder)
    plan, _ = run_job(catalog, lambda ctx: CalibreImportService(catalog).preview(ctx, folder))
    assert [item.status for item in plan.value.items] == [ATTACH] * len(listed)
    assert f"{len(listed)} here already, to link" in plan.value.summary()

    report = bring_over(catalog, folder)

    assert report.count("added") == 0 and report.attached == len(listed) and report.count("linked") == len(listed)
    books = {d.identifiers.get(CALIBRE_UUID): d for d in library.details(library.work_ids())}
    assert set(books) == {truth["uuid"] for truth in listed}  # each linked, none twice
    for truth in listed:
        book = books[truth["uuid"]]
        before = files_before[book.id]
        added = [f for f in book.files if f not in before]
        assert set(before) <= set(book.files)  # its own files as they were
        assert not {f.format for f in added} & {f.format for f in before}  # no format twice
        assert all(Path(f.path).is_relative_to(folder) for f in added)  # one it lacked: calibre's, in place
        assert book.rating == truth.get("rating")  # empty here: calibre's comes
    first = books[listed[0]["uuid"]]
    assert first.publisher == "Here Press"  # never written over: to review
    with catalog.read() as session:
        [pending] = ReviewRepository(session).pending([first.id])
    proposals = {p["field"]: p for p in pending.candidates[0]["proposals"]}
    assert proposals["publisher"]["current"] == "Here Press" and proposals["publisher"]["proposed"] == "Parnassus"
    rating = [c for c in library.history(first.id) if c.field == "rating"][-1]
    assert (rating.source, rating.correlation_id) == ("calibre", report.correlation_id)
    assert tree(folder) == calibre_before

    again = bring_over(catalog, folder)  # linked now: followed as any book brought over
    assert again.count("added") == 0 and again.attached == 0 and again.count("duplicate") == len(listed)

    library.undo_job(report.correlation_id)
    books = _by_title(library)
    assert len(books) == len(listed) and books[listed[0]["title"]].rating is None
    assert all(CALIBRE_UUID not in b.identifiers for b in books.values())
    assert bring_over(catalog, folder).attached == len(listed)  # the links gone with the undo: linked again
