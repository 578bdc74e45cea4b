"""Identify end to end for files that name no author: a title only one book has is enough, a title
two books share is left for review."""

from __future__ import annotations

from tests.core.identify.identify_world import (
    SHARED_TITLE,
    UNIQUE_TITLE,
    import_without_author,
)


def test_a_file_that_names_no_author_is_identified_by_a_title_only_one_book_has(library, run_job, import_books):
    work_id = import_without_author(library, import_books, UNIQUE_TITLE)

    report, _ = library.identify(run_job, [work_id])

    assert report.results[0].status == "applied", report.results[0].reason
    assert library.outcome(work_id) == (True, True)


def test_a_file_that_names_no_author_is_not_matched_to_one_of_two_books_of_its_title(library, run_job,
                                                                                      import_books):
    work_id = import_without_author(library, import_books, SHARED_TITLE)

    report, _ = library.identify(run_job, [work_id])

    assert report.results[0].status == "review", report.results[0].reason
    assert library.service.detail(work_id).title == SHARED_TITLE["title"]  # nothing applied
    [item] = library.service.reviews()
    assert {c["authors"][0] for c in item.candidates[:2]} == {"Lars Quintero", "Kofi Mensah"}
