""""Follow the calibre libraries" as the scheduler runs it: each calibre library brought over is run again as
it was (in place, the same read-state column), what calibre changed since comes over and the window is told
which books; with none brought over it does not run. Changes in calibre are made by the real calibredb."""

from __future__ import annotations

import asyncio

from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.core.scheduler import kinds
from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture, calibredb  # noqa: F401 - fixtures


def test_the_follow_brings_what_calibre_changed_and_tells_which_books(make_scheduler, context, service, run_job,
                                                                       calibre_copy, tmp_path):
    folder, listed = calibre_copy
    importer = CalibreImportService(service.catalog)
    run_job(service.catalog, lambda ctx: importer.run(ctx, folder, "in-place", "read"))
    home = tmp_path / "calibre-home"
    calibredb(home, "set_metadata", "--with-library", str(folder), "--field", "title:Renamed in calibre", "2")
    calibredb(home, "set_custom", "--with-library", str(folder), "read", "3", "true")
    changed: list[int] = []
    context.books_changed = changed.extend

    [result] = asyncio.run(make_scheduler([kinds.CALIBRE_FOLLOW]).sync())

    assert result.status == "succeeded", result.summary
    assert result.summary == "Calibre Library: nothing added, 2 changed in calibre brought up to date, 1 unchanged"
    books = {d.identifiers["calibre_id"]: d for d in service.details(service.work_ids())}
    assert books["2"].title == "Renamed in calibre"
    assert books["3"].read_state == "finished"  # the read column chosen when it was brought over
    assert sorted(changed) == sorted([books["2"].id, books["3"].id])
    assert len(books) == len(listed)


def test_with_no_calibre_library_brought_over_the_follow_is_skipped_saying_why(make_scheduler):
    [result] = asyncio.run(make_scheduler([kinds.CALIBRE_FOLLOW]).sync())
    assert (result.status, result.summary, result.correlation_id) == (
        "skipped", "No calibre library has been brought over", None)
