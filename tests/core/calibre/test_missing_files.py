"""A calibre book whose files are gone from disk comes over with its metadata but without the files it does
not have: an owned book with no file (as BookDesk keeps a book whose files were lost), not one whose format
the Library would offer to open; and the run says how many books had files missing, naming them. The
library is made by the real calibredb, then files are deleted behind calibre's back, as a person's disk does."""

from __future__ import annotations

import pytest

from bookdesk.core.calibre.plan import CALIBRE_ID
from bookdesk.core.library_service import LibraryService
from bookdesk.data.work_kinds import has_kind
from tests.conftest import tree


def _books(library: LibraryService) -> dict[int, object]:
    return {int(d.identifiers[CALIBRE_ID]): d for d in library.details(library.work_ids())}


@pytest.mark.parametrize("mode", ["in-place", "copy"])
def test_books_with_files_missing_come_without_them_and_are_named(catalog, calibre_copy, bring_over, mode):
    folder, listed = calibre_copy
    titles = {b["id"]: b["title"] for b in listed}
    next(folder.rglob("*.pdf")).unlink()  # book 1 keeps its EPUB
    [second] = [b for b in listed if b["id"] == 2]
    for path in second["formats"]:  # book 2 has no file left at all
        (folder / path.split("/calibre-made/library/", 1)[1]).unlink()
    before = tree(folder)

    report = bring_over(catalog, folder, mode=mode)

    assert report.count("added") == len(listed) and not report.failed
    assert report.missing == [f"{titles[1]} (PDF)", f"{titles[2]} (EPUB)"]
    assert f"2 books with files missing in calibre: {titles[1]} (PDF), {titles[2]} (EPUB)" in report.summary()
    library = LibraryService(catalog)
    books = _books(library)
    assert [f.format for f in books[1].files] == ["epub"]
    assert not books[2].files and books[2].status == "owned"  # as a book whose files were lost
    assert books[2].title == titles[2] and books[2].identifiers["calibre_uuid"] == second["uuid"]
    with catalog.read() as session:
        kinds = dict(session.connection().exec_driver_sql(
            f"SELECT id, {has_kind('works.id', 'ebook')} FROM works").all())
    assert kinds[books[2].id] == 0 and kinds[books[1].id] == 1  # the series gaps do not count it as owned
    assert tree(folder) == before


def test_a_run_again_names_the_missing_files_once_more_and_adds_nothing(catalog, calibre_copy, bring_over):
    folder, listed = calibre_copy
    next(folder.rglob("*.pdf")).unlink()
    bring_over(catalog, folder)
    again = bring_over(catalog, folder)
    assert again.count("added") == 0 and len(again.missing) == 1
    assert "1 book with files missing in calibre" in again.summary()
