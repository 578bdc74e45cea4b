"""The book actions (BookActions) from the Book menu, the Library's context menu and their shortcuts, on
one book and on many: Open, Show in Folder, Copy Path, Mark as, Rating; each enabled only for a
selection it can act on, and only while the Library view is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork
from bookdesk.data.work_repository import WorkRepository
from tests.ui.context_menu_harness import choose, menu_bar_item, open_context_menu, press


@pytest.fixture
def opened(monkeypatch) -> list[Path]:  # noqa: ANN001
    """What the system was asked to open, instead of opening it."""
    urls: list[Path] = []

    def record(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    monkeypatch.setattr("bookdesk.ui.book_files.select_in_file_manager", lambda path: False)  # no file manager here
    monkeypatch.setattr("bookdesk.ui.book_files.system_opener", lambda: None)  # Qt's opener, recorded above
    return urls


def select_rows(view, *rows: int) -> list[int]:  # noqa: ANN001 - LibraryView
    view.table.clearSelection()
    for row in rows:
        view.table.selectionModel().select(view.model.index(row, 0), view.table.selectionModel().SelectionFlag.Select
                                           | view.table.selectionModel().SelectionFlag.Rows)
    return [view.model.work_id(r) for r in rows]


def first_file(service: LibraryService, work_id: int) -> Path:
    return service.absolute(service.detail(work_id).files[0].path)


def test_open_from_the_menu_the_context_menu_and_its_shortcut(qtbot, make_window, filled_service, opened) -> None:
    window = make_window(filled_service)
    view = window.library_view
    (book,) = select_rows(view, 0)
    menu_bar_item(window, "Book ▸ Open").trigger()
    qtbot.waitUntil(lambda: len(opened) == 1)
    choose(open_context_menu(qtbot, view.table, 1), "Open")
    qtbot.waitUntil(lambda: len(opened) == 2)
    press(qtbot, window, view.table, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: len(opened) == 3)
    assert opened[0] == first_file(filled_service, book)
    assert opened[1] == opened[2] == first_file(filled_service, view.model.work_id(1))
    assert opened[0].is_file()


def test_open_on_many_books_opens_each(qtbot, make_window, filled_service, opened) -> None:
    window = make_window(filled_service)
    books = select_rows(window.library_view, 0, 2, 3)
    window.book_actions.open.trigger()
    qtbot.waitUntil(lambda: len(opened) == 3)
    assert opened == [first_file(filled_service, b) for b in books]


def _audiobook(service: LibraryService, parts: int) -> int:
    files = [NewFile(f"Le Guin/Tehanu {parts}/Part {n}.mp3", "mp3", "audiobook", 100, 0.0, f"{parts}{n}".ljust(64, "0"))
             for n in range(1, parts + 1)]
    for file in files:  # on disk: Open says a file that is not there is not found
        (service.folder / file.path).parent.mkdir(parents=True, exist_ok=True)
        (service.folder / file.path).write_bytes(b"ID3")
    with service.catalog.write() as session:
        return WorkRepository(session).add(NewWork(f"Tehanu in {parts}", [Contributor("Ursula K. Le Guin")],
                                                   files=files))


def test_an_audiobook_in_several_files_opens_its_folder_and_in_one_file_that_file(qtbot, make_window, service,
                                                                                  opened) -> None:
    several, single = _audiobook(service, 3), _audiobook(service, 1)
    window = make_window(service)
    view = window.library_view
    select_rows(view, view.model.row_of(several))
    window.book_actions.open.trigger()
    qtbot.waitUntil(lambda: len(opened) == 1)
    select_rows(view, view.model.row_of(single))
    window.book_actions.open.trigger()
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert opened == [service.folder / "Le Guin" / "Tehanu 3", service.folder / "Le Guin/Tehanu 1/Part 1.mp3"]


def test_show_in_folder_opens_the_folder_holding_each_book(qtbot, make_window, filled_service, opened) -> None:
    window = make_window(filled_service)
    view = window.library_view
    books = select_rows(view, 0, 1)
    menu_bar_item(window, "Book ▸ Show in Folder").trigger()
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert opened == [first_file(filled_service, b).parent for b in books]
    choose(open_context_menu(qtbot, view.table, 0, keep_selection=True), "Show in Folder")
    qtbot.waitUntil(lambda: len(opened) == 4)
    press(qtbot, window, view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(opened) == 6)


def test_copy_path_puts_every_selected_books_file_on_the_clipboard_one_per_line(qtbot, make_window,
                                                                                filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    clipboard = QApplication.clipboard()
    books = select_rows(view, 0, 1, 2)
    clipboard.clear()
    menu_bar_item(window, "Book ▸ Copy Path").trigger()
    expected = "\n".join(str(first_file(filled_service, b)) for b in books)
    qtbot.waitUntil(lambda: clipboard.text() == expected)
    (one,) = select_rows(view, 4)
    choose(open_context_menu(qtbot, view.table, 4, keep_selection=True), "Copy Path")
    qtbot.waitUntil(lambda: clipboard.text() == str(first_file(filled_service, one)))
    select_rows(view, 0, 1, 2)
    clipboard.clear()
    press(qtbot, window, view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: clipboard.text() == expected)
    assert "Copied 3 paths" in window.status_label.text()


def test_mark_as_finished_on_many_books_is_one_undoable_edit(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    books = select_rows(view, 0, 1, 2)
    menu_bar_item(window, "Book ▸ Mark as ▸ Finished").trigger()
    qtbot.waitUntil(lambda: all(filled_service.detail(b).read_state == "finished" for b in books))
    qtbot.waitUntil(lambda: view.model.index(0, 3).data() == "Finished")
    assert "Marked 3 books as finished" in window.status_label.text()
    assert any(job.kind == "edit" for job in filled_service.jobs())
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: all(filled_service.detail(b).read_state == "unread" for b in books), timeout=10_000)


def test_mark_as_from_the_context_menu_and_the_shortcut(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    (book,) = select_rows(view, 1)
    choose(open_context_menu(qtbot, view.table, 1, keep_selection=True), "Mark as ▸ Reading")
    qtbot.waitUntil(lambda: filled_service.detail(book).read_state == "reading")
    press(qtbot, window, view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: filled_service.detail(book).read_state == "finished")


def test_rating_from_the_menu_the_context_menu_and_the_shortcut(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    books = select_rows(view, 0, 1)
    menu_bar_item(window, "Book ▸ Rating ▸ ★★★★").trigger()
    qtbot.waitUntil(lambda: [filled_service.detail(b).rating for b in books] == [8, 8])
    qtbot.waitUntil(lambda: view.model.index(0, 4).data() == "★★★★")
    choose(open_context_menu(qtbot, view.table, 0, keep_selection=True), "Rating ▸ ★★")
    qtbot.waitUntil(lambda: [filled_service.detail(b).rating for b in books] == [4, 4])
    press(qtbot, window, view.table, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: [filled_service.detail(b).rating for b in books] == [None, None])


def test_actions_follow_the_selection(make_window, filled_service) -> None:
    window = make_window(filled_service)
    actions = window.book_actions
    view = window.library_view
    view.table.clearSelection()
    assert not any(a.isEnabled() for a in (actions.edit, actions.open, actions.remove, actions.merge))
    select_rows(view, 0)
    assert actions.edit.isEnabled() and actions.open.isEnabled() and actions.remove.isEnabled()
    assert not actions.merge.isEnabled()  # merging takes two books or more
    # a one-file book has no format to split out or remove apart from the book (test_removal_flow.py
    # has the two-file book that offers them)
    assert not actions.split.isEnabled() and not actions.remove_format.isEnabled()
    select_rows(view, 0, 1)
    assert actions.merge.isEnabled() and actions.edit.isEnabled() and actions.remove.isEnabled()
    assert not actions.split.isEnabled() and not actions.remove_format.isEnabled()  # one book's formats


def test_book_shortcuts_do_nothing_outside_the_library_view_or_while_typing_a_search(qtbot, make_window,
                                                                                      filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    select_rows(view, 0)
    window.show_view("downloads")
    assert not window.book_actions.remove.isEnabled() and not window.book_actions.edit.isEnabled()
    window.show_view("library")
    assert window.book_actions.remove.isEnabled()
    view.search.setFocus()
    qtbot.keyClicks(view.search, "e")
    assert view.search.text() == "e"  # typed, not Edit Metadata


def test_the_toolbar_holds_the_common_actions_with_their_icons(make_window, filled_service) -> None:
    window = make_window(filled_service)
    shown = [a for a in window.toolbar.actions() if not a.isSeparator()]
    assert [a.iconText() for a in shown] == ["Import", "Edit", "Identify", "Remove", "Sync Now", "Settings"]
    assert all(not a.icon().isNull() for a in shown)
    assert shown[1] is menu_bar_item(window, "Book ▸ Edit Metadata…")  # one action: one shortcut, one state
    assert shown[5] is menu_bar_item(window, "Edit ▸ Settings…")


def test_opening_more_than_ten_books_is_asked_first(qtbot, make_window, filled_service, opened, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(filled_service)
    asked: list[str] = []

    def question(_parent, _title, text, *args):  # noqa: ANN001, ANN202 - QMessageBox.question's
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    select_rows(window.library_view, *range(11))
    window.book_actions.open.trigger()
    assert asked == ["Open 11 books, each in its own window?"]
    assert opened == []
    select_rows(window.library_view, *range(10))
    window.book_actions.open.trigger()
    qtbot.waitUntil(lambda: len(opened) == 10)
    assert len(asked) == 1


def test_showing_more_than_ten_books_in_their_folders_is_asked_first_and_then_shows_them_all(
        qtbot, make_window, filled_service, opened, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(filled_service)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent, _title, text, *args):  # noqa: ANN001, ANN202 - QMessageBox.question's
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    select_rows(window.library_view, *range(11))
    window.book_actions.show_folder.trigger()
    assert asked == ["Show 11 books in their folders, each in a window of its own?"]
    assert opened == []
    window.book_actions.show_folder.trigger()
    qtbot.waitUntil(lambda: len(opened) == 11)  # every one of them, not the first ten
