"""The bulk edit dialog: many books changed at once, only in the fields ticked, as one job with one Ref
that Edit → Undo and Activity's Undo revert whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from bookdesk.ui.dialogs.bulk_edit_dialog import BulkEditDialog, bulk_edit
from bookdesk.ui.models.library_model import Column
from tests.ui.activity_harness import undo_in_activity


@pytest.fixture
def books(service: LibraryService) -> list[int]:
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        return [repo.add(NewWork("Ash", [Contributor("A. Writer")], tags=["old", "keep"], language="en")),
                repo.add(NewWork("Birch", [Contributor("A. Writer")], tags=["keep"], language="de")),
                repo.add(NewWork("Cedar", [Contributor("B. Writer")], series=[SeriesRef("Trees", "7")]))]


def opened(qtbot, window, ids: list[int]) -> BulkEditDialog:  # noqa: ANN001
    bulk_edit(window, ids)
    dialog = window.findChild(BulkEditDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def applied(qtbot, window, dialog: BulkEditDialog) -> None:  # noqa: ANN001
    """Press Apply, and wait until the edit is done and the dialog has gone."""
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(BulkEditDialog) is None, timeout=20000)


def test_ticked_fields_change_in_every_book_and_edit_undo_reverts_the_whole_edit(qtbot, make_window, service,
                                                                                  books) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, books)
    assert any("Changing 3 books" in label.text() for label in dialog.findChildren(QLabel))
    assert not dialog.apply_button.isEnabled()  # nothing ticked: nothing to apply
    assert dialog.apply_button.text() == "Apply to 3 books"
    qtbot.keyClicks(dialog.series, "Forest")  # typing ticks the field
    dialog.numbered.setChecked(True)
    dialog.number_from.setValue(4)
    qtbot.keyClicks(dialog.add_tags, "fav, new")
    qtbot.keyClicks(dialog.remove_tags, "old")
    dialog.read_state.setCurrentText("Finished")

    applied(qtbot, window, dialog)

    details = service.details(books)
    assert [[(s.name, s.label) for s in d.series] for d in details] == [[("Forest", "4")], [("Forest", "5")],
                                                                       [("Forest", "6")]]
    assert [d.tags for d in details] == [("fav", "keep", "new"), ("fav", "keep", "new"), ("fav", "new")]
    assert {d.read_state for d in details} == {"finished"}
    assert [d.language for d in details] == ["en", "de", None]  # not ticked: as each book had it
    assert [d.authors for d in details] == [["A. Writer"], ["A. Writer"], ["B. Writer"]]
    ref = service.history(books[0])[0].correlation_id
    assert ref in window.status_label.text() and "Edit → Undo" in window.status_label.text()
    assert {c.source for b in books for c in service.history(b)} == {"user"}
    assert "series" in details[0].locked_fields
    model = window.library_view.model
    qtbot.waitUntil(lambda: {model.index(r, Column.SERIES).data() for r in range(model.rowCount())} == {
        "Forest #4", "Forest #5", "Forest #6"})  # the window shows the edit

    assert window.undo_action.text() == "&Undo edit of 3 books"
    window.undo_action.trigger()

    qtbot.waitUntil(lambda: {d.read_state for d in service.details(books)} == {"unread"}, timeout=20000)
    details = service.details(books)
    assert [d.tags for d in details] == [("keep", "old"), ("keep",), ()]
    assert [[(s.name, s.label) for s in d.series] for d in details] == [[], [], [("Trees", "7")]]
    assert not window.undo_action.isEnabled()


def test_authors_language_rating_and_no_lock(qtbot, make_window, service, books) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, books[:2])
    qtbot.keyClicks(dialog.authors, "Terry Pratchett & Neil Gaiman")
    qtbot.keyClicks(dialog.language, "fr")
    dialog.rating.setValue(9)
    dialog.lock.setChecked(False)

    applied(qtbot, window, dialog)

    details = service.details(books[:2])
    assert [d.authors for d in details] == [["Terry Pratchett", "Neil Gaiman"]] * 2
    assert [(d.language, d.rating) for d in details] == [("fr", 9), ("fr", 9)]
    assert [d.locked_fields for d in details] == [frozenset(), frozenset()]
    assert service.detail(books[2]).authors == ["B. Writer"]  # not chosen

    dialog = opened(qtbot, window, books[:1])
    assert dialog.rating.text() == "No rating"  # where the rating starts: ticked, it clears the rating
    dialog.ticks["rating"].setChecked(True)
    applied(qtbot, window, dialog)
    assert service.detail(books[0]).rating is None


def test_set_tags_replaces_them_and_an_empty_series_takes_books_out_of_theirs(qtbot, make_window, service,
                                                                            books) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, books)
    qtbot.keyClicks(dialog.set_tags, "one,two")
    dialog.ticks["series"].setChecked(True)

    applied(qtbot, window, dialog)

    assert [d.tags for d in service.details(books)] == [("one", "two")] * 3
    assert [d.series for d in service.details(books)] == [(), (), ()]


def test_the_edit_is_a_job_in_activity_that_its_undo_reverts(qtbot, make_window, service, books,
                                                              monkeypatch) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, books)
    dialog.read_state.setCurrentText("Reading")
    applied(qtbot, window, dialog)
    [job] = [j for j in service.jobs() if j.kind == "edit"]
    assert (job.state, job.title, job.summary) == ("succeeded", "Edit 3 books",
                                                   f"3 changes to 3 books (Ref {job.correlation_id})")
    undo_in_activity(qtbot, window, job.correlation_id, monkeypatch)

    qtbot.waitUntil(lambda: {r.read_state for r in service.rows(books)} == {"unread"}, timeout=20000)


def test_an_edit_refused_is_shown_with_its_ref_and_the_dialog_stays_for_another_try(qtbot, make_window,
                                                                                  service, books) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, books)
    dialog.ticks["authors"].setChecked(True)  # and no name typed
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None, timeout=20000)
    assert "Name at least one author" in window.presenter.last_dialog.message_label.text()
    qtbot.waitUntil(dialog.isEnabled)
    assert dialog.isVisible()
    assert [d.authors for d in service.details(books)] == [["A. Writer"], ["A. Writer"], ["B. Writer"]]


def test_with_no_book_chosen_the_window_says_to_choose_some(make_window, service) -> None:
    window = make_window(service)
    bulk_edit(window, [])
    assert window.findChild(BulkEditDialog) is None
    assert window.status_label.text() == "Select the books to edit first."


def test_books_are_numbered_in_the_order_the_library_shows_them(qtbot, make_window, service, books) -> None:
    window = make_window(service)  # by title: Ash, Birch, Cedar
    dialog = opened(qtbot, window, [books[2], books[0], books[1]])  # as a Ctrl+click selection may give them
    qtbot.keyClicks(dialog.series, "Forest")
    dialog.numbered.setChecked(True)

    applied(qtbot, window, dialog)

    assert [[s.label for s in d.series] for d in service.details(books)] == [["1"], ["2"], ["3"]]
