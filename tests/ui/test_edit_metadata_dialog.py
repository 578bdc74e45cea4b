"""The Edit Metadata dialog on a real book in a real library: every field changed and applied as one
edit (one Ref, each change in History as "you"), undone by Edit → Undo; locks set in the dialog keep
identification away; problems are shown in the dialog, which keeps what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from bookdesk.core.library_service import LibraryService
from bookdesk.data.work_repository import WorkRepository
from bookdesk.ui.dialogs.edit_metadata_dialog import EditMetadataDialog, edit_metadata
from tests.corpus import png
from tests.ui.context_menu_harness import press
from tests.ui.test_book_actions import select_rows


@pytest.fixture
def book(service: LibraryService, corpus: Path, import_books) -> int:
    """A real EPUB (with its cover) imported the usual way."""
    result, _ = import_books(service.catalog, sorted(corpus.glob("*.epub"))[:2])
    assert result.state == "succeeded", result.error
    return service.work_ids()[0]


def opened(qtbot, window, work_id: int) -> EditMetadataDialog:  # noqa: ANN001
    edit_metadata(window, work_id)
    dialog = window.findChild(EditMetadataDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.ok_button.isEnabled())  # the book read on the worker
    return dialog


def press_ok(qtbot, window, dialog: EditMetadataDialog) -> None:  # noqa: ANN001
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(EditMetadataDialog) is None, timeout=20000)


def retype(qtbot, line, text: str) -> None:  # noqa: ANN001
    line.selectAll()
    qtbot.keyClicks(line, text)


def test_every_field_changed_in_the_dialog_is_one_edit_in_history_that_edit_undo_reverts(
        qtbot, make_window, service, book) -> None:
    before = service.detail(book)
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    form = dialog.form
    assert form.title.text() == before.title
    assert dialog.heading.text().startswith(before.title)

    retype(qtbot, form.title, "The Long Harbor")
    retype(qtbot, form.subtitle, "A Novel")
    retype(qtbot, form.series, "Harbor Cycle")
    retype(qtbot, form.position, "2")
    retype(qtbot, form.tags, "Sea, Favourites")
    retype(qtbot, form.language, "fr")
    retype(qtbot, form.publisher, "Quill Press")
    retype(qtbot, form.published, "1999-04")
    form.rating.setCurrentText("★★★★")
    form.read_state.setCurrentText("Reading")
    form.people.add_row(["Royall Tyler", "translator", "Tyler, R."])
    form.identifiers.add_row(["asin", "B00TEST123"])
    form.description.setPlainText("Ships and the people who wait for them.")

    press_ok(qtbot, window, dialog)

    after = service.detail(book)
    assert (after.title, after.subtitle, after.language, after.publisher, after.first_published) == (
        "The Long Harbor", "A Novel", "fr", "Quill Press", "1999-04")
    assert [(s.name, s.label) for s in after.series] == [("Harbor Cycle", "2")]
    assert after.tags == ("Favourites", "Sea")
    assert (after.rating, after.read_state) == (8, "reading")
    assert ("Royall Tyler", "translator", "Tyler, R.") in [(c.name, c.role, c.sort_name) for c in after.contributors]
    assert after.identifiers["asin"] == "B00TEST123"
    assert after.description == "Ships and the people who wait for them."
    history = service.history(book)
    assert {c.field for c in history} >= {"title", "subtitle", "series", "tags", "language", "publisher",
                                          "first_published", "rating", "read_state", "people", "identifiers",
                                          "description"}
    assert {c.source for c in history} == {"user"} and len({c.correlation_id for c in history}) == 1
    ref = history[0].correlation_id
    assert ref in window.status_label.text()
    assert {"title", "people", "series", "description"} <= after.locked_fields  # set by hand: locked

    window.undo_action.trigger()

    qtbot.waitUntil(lambda: service.detail(book).title == before.title, timeout=20000)
    undone = service.detail(book)
    assert (undone.subtitle, undone.series, undone.tags, undone.rating, undone.read_state) == (
        before.subtitle, before.series, before.tags, before.rating, before.read_state)
    assert undone.contributors == before.contributors


def test_a_lock_closed_in_the_dialog_keeps_identification_away_and_one_opened_lets_it_in(
        qtbot, make_window, service, book) -> None:
    with service.catalog.write() as session:
        WorkRepository(session).set_locked(book, "subtitle", True)
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    assert dialog.form.locks["subtitle"].isChecked()  # the dialog shows what is locked
    assert not dialog.form.locks["publisher"].isChecked()

    qtbot.mouseClick(dialog.form.locks["publisher"], Qt.MouseButton.LeftButton)  # lock, value as it is
    qtbot.mouseClick(dialog.form.locks["subtitle"], Qt.MouseButton.LeftButton)  # open
    dialog.form.people.set_cell(0, 0, "Someone Else")  # people changed by hand: authors locked too
    press_ok(qtbot, window, dialog)

    def by_provider(field: str, value: object):  # noqa: ANN202
        with service.catalog.write() as session:
            return WorkRepository(session).set_field(book, field, value, source="openlibrary",
                                                     correlation_id="BD-PROV1")

    assert by_provider("publisher", "Provider Press") is None
    assert by_provider("authors", ["Provider Person"]) is None
    assert by_provider("narrators", ["Provider Voice"]) is None
    assert by_provider("subtitle", "From a provider") is not None
    assert service.detail(book).authors[0] == "Someone Else"


def test_problems_are_shown_beside_their_fields_and_nothing_is_sent(qtbot, make_window, service, book) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    form = dialog.form
    retype(qtbot, form.title, " ")
    retype(qtbot, form.published, "April 1999")
    form.identifiers.add_row(["", "12345"])

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.problem.isVisible()
    shown = dialog.problem.text()
    assert "needs a title" in shown and "1968-11-01" in shown and "scheme" in shown
    assert "border" in form.title.styleSheet() and "border" in form.published.styleSheet()  # marked in red
    assert "border" not in form.publisher.styleSheet()
    assert service.history(book) == []
    retype(qtbot, form.title, "Fixed Title")
    retype(qtbot, form.published, "1999")
    form.identifiers.table.setItem(form.identifiers.table.rowCount() - 1, 0, QTableWidgetItem("goodreads"))
    press_ok(qtbot, window, dialog)
    assert service.detail(book).title == "Fixed Title"


def test_an_edit_the_worker_refuses_leaves_the_dialog_open_with_what_was_typed(qtbot, make_window, service,
                                                                               book) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    retype(qtbot, dialog.form.title, "Never Saved")
    with service.catalog.write() as session:
        WorkRepository(session).delete([book])  # gone meanwhile (another window, a script)

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.problem.isVisible, timeout=20000)
    assert "Nothing was changed" in dialog.problem.text() and "no book with id" in dialog.problem.text()
    assert dialog.isVisible() and dialog.form.title.text() == "Never Saved"
    assert dialog.ok_button.isEnabled()


def test_a_cover_from_a_file_is_shown_then_applied_in_the_same_edit_and_undone(qtbot, make_window, service, book,
                                                                               tmp_path) -> None:
    old_cover = service.detail(book).cover_path
    picture = tmp_path / "new cover.png"
    picture.write_bytes(png((20, 160, 90), 150, 225))
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("a shopping list")
    window = make_window(service)
    dialog = opened(qtbot, window, book)

    dialog.cover.choose_file(not_a_picture)
    qtbot.waitUntil(dialog.cover.message.isVisible)
    assert "not a picture" in dialog.cover.message.text()
    dialog.cover.choose_file(picture)
    qtbot.waitUntil(lambda: dialog.cover.caption.text() == "New: 150 × 225 PNG")
    assert not dialog.cover.message.isVisible()
    assert dialog.form.locks["cover_path"].isChecked()
    retype(qtbot, dialog.form.publisher, "Quill Press")
    press_ok(qtbot, window, dialog)

    detail = service.detail(book)
    assert service.absolute(detail.cover_path).read_bytes() == picture.read_bytes()
    assert {c.field for c in service.history(book)} == {"cover_path", "publisher"}
    assert len({c.correlation_id for c in service.history(book)}) == 1
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: service.detail(book).cover_path == old_cover, timeout=20000)


def test_previous_and_next_walk_the_library_rows_around_the_one_book_opened_applying_each(
        qtbot, make_window, service, book) -> None:
    window = make_window(service)
    view = window.library_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    (first,) = select_rows(view, 0)
    second = view.model.work_id(1)
    press(qtbot, window, view.table, Qt.Key.Key_E)  # one book selected: its dialog, not the bulk edit
    dialog = window.findChild(EditMetadataDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.ok_button.isEnabled())
    assert dialog.form.title.text() == service.detail(first).title
    assert dialog.next_button.isVisible() and dialog.next_button.isEnabled()
    assert not dialog.previous_button.isEnabled()
    assert "(1 of 2)" in dialog.windowTitle()
    retype(qtbot, dialog.form.publisher, "First Press")

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled() and dialog.form.title.text() == service.detail(second).title,
                    timeout=20000)
    assert service.detail(first).publisher == "First Press"
    assert dialog.previous_button.isEnabled() and not dialog.next_button.isEnabled()
    assert "(2 of 2)" in dialog.windowTitle()


def test_history_says_the_people_with_their_roles(qtbot, make_window, service, book) -> None:
    author = service.detail(book).authors[0]
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    dialog.form.people.add_row(["Jennifer Ehle", "narrator", ""])
    press_ok(qtbot, window, dialog)

    history = window.library_view.history
    history.show_work(book)
    model = history.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, 3).data() == f"{author}; Jennifer Ehle (narrator)"
    assert model.index(0, 2).data() == author
    assert model.index(0, 4).data() == "you"


def test_a_cover_from_a_web_address_or_from_the_book_is_shown_and_a_bad_address_is_said(
        qtbot, make_window, service, book, monkeypatch) -> None:
    from tests.servers.http_harness import start_server

    monkeypatch.setenv("BOOKDESK_REQUEST_DEADLINE", "5")
    picture = png((200, 120, 10), 90, 135)

    def answer(request) -> None:  # noqa: ANN001 - the handler
        found = request.path == "/cover.png"
        body = picture if found else b"gone"
        request.send_response(200 if found else 404)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    server = start_server(answer)
    try:
        window = make_window(service)
        dialog = opened(qtbot, window, book)
        dialog.cover.choose_from_book()  # the EPUB's own cover is the one it has
        qtbot.waitUntil(dialog.cover.message.isVisible, timeout=20000)
        assert "no other cover" in dialog.cover.message.text()
        dialog.cover.choose_url(f"{server.url}/missing.png")
        qtbot.waitUntil(lambda: "404" in dialog.cover.message.text(), timeout=20000)
        assert dialog.cover.chosen is None
        dialog.cover.choose_url(f"{server.url}/cover.png")
        qtbot.waitUntil(lambda: dialog.cover.caption.text() == "New: 90 × 135 PNG", timeout=20000)
        press_ok(qtbot, window, dialog)
    finally:
        server.stop()
    assert service.absolute(service.detail(book).cover_path).read_bytes() == picture
    assert [c.field for c in service.history(book)] == ["cover_path"]


def test_a_title_typed_key_by_key_carries_the_whole_title_into_the_sort_title(qtbot, make_window, service,
                                                                              book) -> None:
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    retype(qtbot, dialog.form.title, "The Cipher Edited")
    assert dialog.form.sort_title.text() == "Cipher Edited"
    press_ok(qtbot, window, dialog)
    assert service.detail(book).sort_title == "Cipher Edited"


def test_a_book_whose_file_gave_an_odd_language_can_still_be_edited(qtbot, make_window, service, book) -> None:
    with service.catalog.write() as session:
        WorkRepository(session).set_field(book, "language", "English!", source="import", correlation_id="BD-IMP1")
    window = make_window(service)
    dialog = opened(qtbot, window, book)
    retype(qtbot, dialog.form.publisher, "Quill Press")
    press_ok(qtbot, window, dialog)
    assert service.detail(book).publisher == "Quill Press"


def test_with_write_back_on_undoing_an_edit_writes_the_old_title_back_into_the_file(qtbot, make_window, service,
                                                                                    book) -> None:
    from bookdesk.core.importer.readers.epub import read_epub

    before = service.detail(book).title
    epub = service.absolute(service.detail(book).files[0].path)
    window = make_window(service)
    window.settings.write_back_to_files = True
    dialog = opened(qtbot, window, book)
    retype(qtbot, dialog.form.title, "Writeback Title")
    press_ok(qtbot, window, dialog)
    qtbot.waitUntil(lambda: read_epub(epub).title == "Writeback Title", timeout=20000)

    window.undo_action.trigger()

    qtbot.waitUntil(lambda: read_epub(epub).title == before, timeout=20000)
    assert service.detail(book).title == before
