"""A calibre library whose books were imported into BookDesk from their files before: a run names as missing
only the files calibre lists that are truly gone from its folder and that the book here does not have either.
The files moved out of calibre's folder by that import (mode "move") are the book's own here, not lost; the
library is made by the real calibredb."""

from __future__ import annotations

import pytest

from bookdesk.core.importer.service import ImportService


def _import_files(catalog, folder, run_job, mode):
    result, _ = run_job(catalog, lambda ctx: ImportService(catalog).run(ctx, [folder], mode))
    assert result.state == "succeeded", result.error


@pytest.mark.parametrize("mode", ["copy", "move"])
def test_books_here_already_with_their_files_are_not_named_missing(catalog, calibre_copy, bring_over, run_job,
                                                                    mode):
    folder, listed = calibre_copy
    _import_files(catalog, folder, run_job, mode)

    report = bring_over(catalog, folder)

    assert report.attached == len(listed)
    assert report.missing == [] and "missing" not in report.summary()
    assert not [p for p in report.problems if "file is missing" in p]
    again = bring_over(catalog, folder)  # linked now: the run again says the same
    assert again.missing == [] and not [p for p in again.problems if "file is missing" in p]


def test_a_file_gone_from_calibre_that_the_book_here_lacks_is_still_named(catalog, calibre_copy, bring_over,
                                                                           run_job):
    folder, listed = calibre_copy
    _import_files(catalog, folder, run_job, "copy")
    [first] = [b for b in listed if b["id"] == 1]
    pdf = next(folder.rglob("*.pdf"))
    imported_pdf = [f for f in catalog.folder.rglob("*.pdf")]
    for path in imported_pdf:  # the book here never had its PDF
        path.unlink()
    with catalog.write() as session:
        session.connection().exec_driver_sql("DELETE FROM files WHERE format = 'pdf'")
    pdf.unlink()  # and calibre's is gone too

    report = bring_over(catalog, folder)

    assert report.missing == [f"{first['title']} (PDF)"]
