"""Edits by hand through the one EditService: many books in one edit, one Ref that undoes it all, the
fields it changed locked against identification, and whatever is wrong refused before anything is written."""

from __future__ import annotations

import pytest

from bookdesk.core.editing.service import BookEdits, EditService
from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import JobCancelledError, NotFoundError, UsageError


def _add(service: LibraryService, *works: NewWork) -> list[int]:
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        return [repo.add(work) for work in works]


@pytest.fixture
def books(service: LibraryService) -> list[int]:
    return _add(service,
                NewWork("Ash", [Contributor("A. Writer")], tags=["old", "keep"], language="en"),
                NewWork("Birch", [Contributor("A. Writer")], tags=["keep"]),
                NewWork("Cedar", [Contributor("B. Writer")], series=[SeriesRef("Trees", "7")]))


def test_one_edit_of_many_books_shares_one_ref_and_undo_reverts_all_of_it(service, books) -> None:
    outcome = EditService(service.catalog).apply(books, BookEdits(
        series="Forest", number_from=1, add_tags=frozenset({"fav"}), remove_tags=frozenset({"old"}),
        read_state="finished", rating=8, language="fr"))

    details = service.details(books)
    assert [[(s.name, s.label) for s in d.series] for d in details] == [[("Forest", "1")], [("Forest", "2")],
                                                                       [("Forest", "3")]]
    assert [d.tags for d in details] == [("fav", "keep"), ("fav", "keep"), ("fav",)]
    assert {(d.read_state, d.rating, d.language) for d in details} == {("finished", 8, "fr")}
    assert {c.correlation_id for c in outcome.changes} == {outcome.correlation_id}
    assert {c.source for c in outcome.changes} == {"user"}
    assert outcome.books == 3

    service.undo_job(outcome.correlation_id)

    details = service.details(books)
    assert [d.tags for d in details] == [("keep", "old"), ("keep",), ()]
    assert [[(s.name, s.label) for s in d.series] for d in details] == [[], [], [("Trees", "7")]]
    assert [(d.read_state, d.rating, d.language) for d in details] == [("unread", None, "en"),
                                                                      ("unread", None, None),
                                                                      ("unread", None, None)]


def test_a_field_changed_by_hand_is_locked_unless_the_edit_unlocks_it(service, books) -> None:
    edits = EditService(service.catalog)
    edits.apply(books[:1], BookEdits(fields={"title": "Ash Tree"}, authors=("C. Writer",), read_state="reading"))
    assert service.detail(books[0]).locked_fields == {"title", "authors"}  # a read state is the person's alone

    edits.apply(books[:1], BookEdits(fields={"publisher": "Press"}, unlock=("title", "publisher")))
    assert service.detail(books[0]).locked_fields == {"authors"}

    edits.apply(books[1:2], BookEdits(lock=("description",)))
    assert service.detail(books[1]).locked_fields == {"description"}


def test_a_locked_field_is_left_alone_by_identification_and_undo_keeps_the_lock(service, books) -> None:
    outcome = EditService(service.catalog).apply(books[:1], BookEdits(fields={"title": "Ash Tree"}))

    assert service.edit(books[0], "title", "Provider Title", source="identify") is None
    service.undo_job(outcome.correlation_id)
    assert service.detail(books[0]).title == "Ash"
    assert "title" in service.detail(books[0]).locked_fields


def test_setting_the_series_a_book_is_in_keeps_its_position_and_a_position_alone_moves_it(service, books) -> None:
    edits = EditService(service.catalog)
    edits.apply(books[2:], BookEdits(series="Trees"))
    assert [(s.name, s.label) for s in service.detail(books[2]).series] == [("Trees", "7")]

    edits.apply(books[2:], BookEdits(position="8"))
    assert [(s.name, s.label) for s in service.detail(books[2]).series] == [("Trees", "8")]

    edits.apply(books[2:], BookEdits(series=""))
    assert service.detail(books[2]).series == ()


def test_values_the_books_already_have_are_no_change(service, books) -> None:
    outcome = EditService(service.catalog).apply(books[:1], BookEdits(language="en", add_tags=frozenset({"keep"})))
    assert outcome.changes == []
    assert "Nothing changed" in outcome.summary()


@pytest.mark.parametrize(("edits", "words"), [
    (BookEdits(read_state="half"), "unread, reading, finished"),
    (BookEdits(rating=11), "0 to 10"),
    (BookEdits(fields={"colour": "red"}), "no field 'colour'"),
    (BookEdits(fields={"rating": "lots"}), "not a value for rating"),
    (BookEdits(lock=("colour",)), "no field 'colour'"),
    (BookEdits(lock=("title",), unlock=("title",)), "locked and unlocked"),
    (BookEdits(authors=()), "at least one author"),
    (BookEdits(), "Nothing to change"),
    (BookEdits(series="", position="2"), "no position"),
    (BookEdits(position="2", number_from=1), "not both"),
    (BookEdits(language="english!!"), "a code such as en"),  # as the Edit Metadata dialog says
    (BookEdits(fields={"language": "English!"}), "a code such as en"),
])
def test_what_cannot_be_written_is_refused_and_nothing_is_written(service, books, edits, words) -> None:
    with pytest.raises(UsageError, match=words):
        EditService(service.catalog).apply(books, edits)
    assert [d.title for d in service.details(books)] == ["Ash", "Birch", "Cedar"]


def test_a_book_not_in_the_library_refuses_the_whole_edit(service, books) -> None:
    with pytest.raises(NotFoundError, match="no book with id 999"):
        EditService(service.catalog).apply([books[0], 999], BookEdits(read_state="finished"))
    assert service.detail(books[0]).read_state == "unread"
    assert service.history(books[0]) == []


def test_a_position_for_a_book_in_no_series_refuses_the_whole_edit(service, books) -> None:
    with pytest.raises(UsageError, match="'Ash' is in no series"):
        EditService(service.catalog).apply([books[2], books[0]], BookEdits(position="3"))
    assert [(s.name, s.label) for s in service.detail(books[2]).series] == [("Trees", "7")]


def test_the_services_of_an_open_library_edit_through_the_one_edit_service(service, books) -> None:
    from bookdesk.core.library_services import LibraryServices
    from bookdesk.core.secrets import InMemorySecretStore
    from bookdesk.core.settings import Settings
    from bookdesk.core.worker import Worker

    services = LibraryServices(service, Worker(service.catalog), Settings(), InMemorySecretStore())
    try:
        outcome = services.editing.apply(books[1:2], BookEdits(read_state="reading"))
    finally:
        services.close()
    assert service.rows(books[1:2])[0].read_state == "reading"
    assert [c.correlation_id for c in service.history(books[1])] == [outcome.correlation_id]


def test_an_edit_run_as_a_job_is_undone_by_the_jobs_ref_and_says_what_it_did(service, books, run_job) -> None:
    edits = EditService(service.catalog)
    result, _ = run_job(service.catalog, lambda ctx: edits.run(ctx, books, BookEdits(read_state="finished")),
                        kind="edit", title="Edit 3 books")

    assert result.state == "succeeded" and result.value.correlation_id == result.correlation_id
    assert service.job(result.correlation_id).summary == f"3 changes to 3 books (Ref {result.correlation_id})"
    service.undo_job(result.correlation_id)
    assert {row.read_state for row in service.rows(books)} == {"unread"}


def test_an_edit_cancelled_midway_writes_nothing(service, books) -> None:
    checked: list[int] = []

    def cancel_at_the_second_book() -> None:
        checked.append(1)
        if len(checked) == 2:
            raise JobCancelledError("Edit 3 books: cancelled")

    with pytest.raises(JobCancelledError):
        EditService(service.catalog).apply(books, BookEdits(read_state="finished"),
                                           check_cancelled=cancel_at_the_second_book)
    assert {row.read_state for row in service.rows(books)} == {"unread"}
    assert service.history(books[0]) == []


def test_books_of_several_authors_put_in_a_series_by_hand_make_one_series(service, books) -> None:
    EditService(service.catalog).apply(books, BookEdits(series="Bulk S", number_from=1))

    listed = [s for s in service.series() if s.name == "Bulk S"]
    assert [(s.owned, s.labels) for s in listed] == [(3, ("1", "2", "3"))]

    # Later edits of one of them (a position alone, its authors) keep it in the series it was put in.
    EditService(service.catalog).apply([books[2]], BookEdits(position="5"))
    assert [(s.owned, s.labels) for s in service.series() if s.name == "Bulk S"] == [(3, ("1", "2", "5"))]
