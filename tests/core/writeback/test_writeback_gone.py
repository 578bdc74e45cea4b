"""Writing metadata back into the files of books one of which was taken out meanwhile (a sync with
Audiobookshelf removed its item after the book changed): that one is skipped, the others are written."""

from __future__ import annotations

import asyncio

from bookdesk.core.jobs import JobRunner
from bookdesk.core.removal.remove_books import remove_books
from bookdesk.core.writeback.job import write_back


def test_a_book_taken_out_meanwhile_is_skipped_and_the_others_are_written(service, import_books, make_book):
    import_books(service.catalog, [make_book("Ash", author="Ann Archer"), make_book("Bone", author="Bo Baker")])
    ash, bone = sorted(service.work_ids())
    remove_books(service.catalog, [bone], keep_files=True, correlation_id="BD-00000")
    runner = JobRunner(service.catalog)

    result = asyncio.run(runner.run(runner.create("writeback", "Write back"),
                                    lambda ctx: write_back(ctx, service.catalog, [ash, bone])))

    assert result.state == "succeeded", result.error
    (ash_file,) = service.detail(ash).files
    assert [r.file_id for r in result.value] == [ash_file.id]
