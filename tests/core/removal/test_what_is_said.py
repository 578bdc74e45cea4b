"""What a person reads about a removal and its undo: the question's wording, and counts that agree
between the removal and its undo."""

from __future__ import annotations

import pytest

from bookdesk.core.removal.service import TRASH_NAME, RemovalPlan


@pytest.mark.parametrize(("books", "files", "keep", "said"), [
    (1, 1, False, f"Its file goes to {TRASH_NAME}."),
    (1, 2, False, f"Its 2 files go to {TRASH_NAME}."),
    (2, 2, False, f"Their 2 files go to {TRASH_NAME}."),
    (1, 1, True, "Its file stays on disk where it is."),
    (3, 4, True, "Their 4 files stay on disk where they are."),
    (1, 0, False, "It has no file in the library."),
])
def test_the_question_names_the_files_in_good_english(books, files, keep, said):
    question = RemovalPlan(books, files, ["Ash"]).question(keep)
    assert question.endswith(f"from the library? {said}"), question


def test_a_removal_and_its_undo_count_the_same_files(shelf, library, removal, give_cover):
    work_id = shelf["Ash"]
    give_cover(work_id)

    report = removal.remove([work_id])
    undo = library.undo_job(report.correlation_id)

    assert report.summary() == "removed 1 book, 1 file moved to the trash"
    assert undo.summary() == "1 book put back, 1 file back from the trash"


def test_undoing_a_split_says_what_it_put_back(shelf, library, removal, add_format):
    work_id = shelf["Ash"]
    pdf_id = add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash")
    report = removal.split(work_id, pdf_id)

    undo = library.undo_job(report.correlation_id)

    assert undo.summary() == f"the split-out book {report.works[0]} joined “Ash” again"


def test_undoing_a_format_removal_says_what_it_put_back(shelf, library, removal, add_format):
    work_id = shelf["Ash"]
    report = removal.remove_format(work_id, add_format(work_id, "Archer, Ann/Ash/Ash.pdf", b"%PDF-1.4 ash"))

    undo = library.undo_job(report.correlation_id)

    assert undo.summary() == "1 format put back, 1 file back from the trash"
