"""The Library view keeps every selected book selected when it reads its rows again (after a bulk edit,
an Undo, Mark as…), wherever sorting puts them, so the next shortcut acts on the same books."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from bookdesk.ui.models.library_model import Column


def select_rows(view, rows: list[int]) -> None:  # noqa: ANN001 - LibraryView
    """As Ctrl+click on each row does."""
    view.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        view.table.selectionModel().setCurrentIndex(view.model.index(row, Column.TITLE), flags)


def test_three_selected_books_stay_selected_after_the_rows_are_read_again(make_window, filled_service,
                                                                           loaded) -> None:
    window = make_window(filled_service)
    view = loaded(window.library_view)
    select_rows(view, [1, 3, 5])
    chosen = set(view.selected_ids())
    assert len(chosen) == 3
    moved = view.model.work_id(3)
    filled_service.edit(moved, "title", "Zzz Last In Title Order", source="user")  # its row moves

    window.refresh_views()
    loaded(view)

    assert set(view.selected_ids()) == chosen
    assert view.selected_count() == 3
    assert view.model.row_of(moved) == view.model.rowCount() - 1


def test_a_selected_book_no_longer_listed_leaves_the_others_selected(make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    view = loaded(window.library_view)
    select_rows(view, [0, 2])
    kept, gone = view.selected_ids()
    view.search.setText(filled_service.detail(kept).title)
    view.apply_search()
    loaded(view)

    assert view.selected_ids() == [kept]
    assert gone not in view.selected_ids()
