"""The book actions that ask first, each from the Book menu, the Library's context menu and its shortcut:
Edit Metadata (one book: its dialog, also on a double-click; several: the bulk edit), Remove from
Library, Remove Format, Merge Books and Split Format, each asking about the books selected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from bookdesk.ui.dialogs.bulk_edit_dialog import BulkEditDialog
from bookdesk.ui.dialogs.edit_metadata_dialog import EditMetadataDialog
from bookdesk.ui.dialogs.removal_dialogs import FormatChooser, MergeDialog, RemoveBooksDialog
from tests.ui.context_menu_harness import choose, menu_bar_item, open_context_menu, press
from tests.ui.test_book_actions import select_rows
from tests.ui.test_removal_flow import _second_format


def asked(qtbot, window, kind: type[QDialog]) -> QDialog:  # noqa: ANN001
    """The dialog of ``kind`` the action opened; closed and gone before the next is asked for."""
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(kind)))
    dialog = next(d for d in window.findChildren(kind) if d.isVisible())
    dialog.reject()
    dialog.setParent(None)  # gone from the window at once, whatever its WA_DeleteOnClose
    return dialog


def editing(dialog: EditMetadataDialog) -> int:
    """The book the dialog opened on (Previous and Next walk the Library's rows around it)."""
    return dialog.work_ids[dialog.index]


def test_edit_metadata_opens_the_books_dialog_from_the_menu_the_context_menu_e_and_a_double_click(
        qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    (book,) = select_rows(view, 1)
    menu_bar_item(window, "Book ▸ Edit Metadata…").trigger()
    assert editing(asked(qtbot, window, EditMetadataDialog)) == book
    choose(open_context_menu(qtbot, view.table, 2), "Edit Metadata…")
    assert editing(asked(qtbot, window, EditMetadataDialog)) == view.model.work_id(2)
    press(qtbot, window, view.table, Qt.Key.Key_E)
    assert editing(asked(qtbot, window, EditMetadataDialog)) == view.model.work_id(2)
    rect = view.table.visualRect(view.model.index(3, 0))
    # A mouse's double-click is a click and then a second press that is the double-click.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editing(asked(qtbot, window, EditMetadataDialog)) == view.model.work_id(3)
    assert not view.table.isPersistentEditorOpen(view.model.index(3, 0))  # the dialog, not an edit in place


def test_edit_metadata_on_many_books_is_the_bulk_edit(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    books = select_rows(view, 0, 1, 2)
    press(qtbot, window, view.table, Qt.Key.Key_E)
    assert asked(qtbot, window, BulkEditDialog).work_ids == books
    choose(open_context_menu(qtbot, view.table, 1, keep_selection=True), "Edit Metadata…")
    assert asked(qtbot, window, BulkEditDialog).work_ids == books


def test_remove_from_library_asks_about_the_selected_books(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    select_rows(view, 0, 1)
    menu_bar_item(window, "Book ▸ Remove from Library…").trigger()
    assert asked(qtbot, window, RemoveBooksDialog).plan.books == 2
    choose(open_context_menu(qtbot, view.table, 3), "Remove from Library…")
    assert asked(qtbot, window, RemoveBooksDialog).plan.books == 1
    press(qtbot, window, view.table, Qt.Key.Key_Delete)
    assert asked(qtbot, window, RemoveBooksDialog).plan.books == 1
    assert len(filled_service.work_ids()) == view.model.rowCount()  # asked, never removed unasked


def test_delete_while_typing_a_search_removes_nothing(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    select_rows(view, 0)
    view.search.setText("abc")
    press(qtbot, window, view.search, Qt.Key.Key_Home)
    press(qtbot, window, view.search, Qt.Key.Key_Delete)
    assert view.search.text() == "bc"
    assert not window.findChildren(RemoveBooksDialog)


def test_merge_books_from_the_menu_the_context_menu_and_m(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    select_rows(view, 0, 1)
    menu_bar_item(window, "Book ▸ Merge Books…").trigger()
    asked(qtbot, window, MergeDialog)
    choose(open_context_menu(qtbot, view.table, 0, keep_selection=True), "Merge Books…")
    asked(qtbot, window, MergeDialog)
    press(qtbot, window, view.table, Qt.Key.Key_M)
    assert asked(qtbot, window, MergeDialog).action_button.text() == "Merge 2 Books"


def test_remove_format_and_split_format_ask_which_file(qtbot, make_window, filled_service) -> None:
    book = filled_service.work_ids(shelf="books")[0]
    _second_format(filled_service, book)
    window = make_window(filled_service)
    view = window.library_view
    select_rows(view, view.model.row_of(book))
    menu_bar_item(window, "Book ▸ Remove Format…").trigger()
    assert asked(qtbot, window, FormatChooser).files.count() == 2
    choose(open_context_menu(qtbot, view.table, view.model.row_of(book), keep_selection=True), "Split Format…")
    assert asked(qtbot, window, FormatChooser).files.count() == 2
    press(qtbot, window, view.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    asked(qtbot, window, FormatChooser)
    press(qtbot, window, view.table, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)
    asked(qtbot, window, FormatChooser)
    menu_bar_item(window, "Book ▸ Split Format…").trigger()
    asked(qtbot, window, FormatChooser)
    choose(open_context_menu(qtbot, view.table, view.model.row_of(book), keep_selection=True), "Remove Format…")
    asked(qtbot, window, FormatChooser)
