"""The Library view's read state and rating columns, and its shelf filter: the books you have (wanted
placeholders are not books), one read state, or the wanted placeholders when asked for."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from bookdesk.ui.models.library_model import HEADERS, Column


def titles(view) -> list[str]:  # noqa: ANN001 - LibraryView
    return [view.model.index(r, Column.TITLE).data() for r in range(view.model.rowCount())]


def choose(view, text: str, loaded) -> None:  # noqa: ANN001
    view.show_only.setCurrentIndex(view.show_only.findText(text))
    loaded(view)


def add_wanted(service: LibraryService, *titles_wanted: str) -> None:
    with service.catalog.write() as session:
        for title in titles_wanted:
            WorkRepository(session).add(NewWork(title, [Contributor("Ursula K. Le Guin")], status="wanted"))


def test_wanted_placeholders_are_not_counted_or_listed_as_books(qtbot, make_window, filled_service, loaded) -> None:
    books = filled_service.count()
    add_wanted(filled_service, "Tehanu", "The Other Wind")
    window = make_window(filled_service)
    view = window.library_view
    assert view.show_only.currentText() == "All books"
    assert view.model.rowCount() == books
    assert "Tehanu" not in titles(view)
    assert view.count_label.text() == f"{books} books"
    choose(view, "Wanted", loaded)
    assert sorted(titles(view)) == ["Tehanu", "The Other Wind"]
    assert view.count_label.text() == "2 wanted"
    choose(view, "All books", loaded)
    assert view.model.rowCount() == books


def test_a_library_of_only_wanted_placeholders_is_empty(make_window, service) -> None:
    add_wanted(service, "Tehanu")
    window = make_window(service)
    view = window.library_view
    assert view.model.rowCount() == 0
    assert view.stack.currentWidget() is view.empty
    assert view.count_label.text() == "0 books"


def test_read_state_and_rating_columns_show_each_book(make_window, filled_service) -> None:
    first = filled_service.work_ids(shelf="books")[0]
    filled_service.edit(first, "read_state", "finished")
    filled_service.edit(first, "rating", 7)
    window = make_window(filled_service)
    view = window.library_view
    row = view.model.row_of(first)
    assert "Read" in HEADERS and "Rating" in HEADERS
    assert view.model.index(row, Column.READ).data() == "Finished"
    assert view.model.index(row, Column.RATING).data() == "★★★½"
    assert view.model.index(row, Column.RATING).data(Qt.ItemDataRole.ToolTipRole) == "3.5 stars"
    other = 1 if row == 0 else 0
    assert view.model.index(other, Column.READ).data() == "Unread"
    assert view.model.index(other, Column.RATING).data() == ""


def test_the_filter_shows_one_read_state_and_counts_against_every_book(make_window, filled_service, loaded) -> None:
    ids = filled_service.work_ids(shelf="books")
    filled_service.edit(ids[0], "read_state", "reading")
    filled_service.edit(ids[1], "read_state", "finished")
    filled_service.edit(ids[2], "read_state", "finished")
    window = make_window(filled_service)
    view = window.library_view
    choose(view, "Finished", loaded)
    assert {view.model.work_id(r) for r in range(view.model.rowCount())} == {ids[1], ids[2]}
    assert view.count_label.text() == f"2 of {len(ids)} books"
    choose(view, "Reading", loaded)
    assert [view.model.work_id(r) for r in range(view.model.rowCount())] == [ids[0]]
    choose(view, "Unread", loaded)
    assert view.model.rowCount() == len(ids) - 3


def test_a_filter_with_no_books_says_so_and_how_to_see_them_all(make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    view = window.library_view
    choose(view, "Reading", loaded)
    assert view.stack.currentWidget() is view.no_match
    assert view.no_match.title.text() == "No books you are reading"
    assert "All books" in view.no_match.hint.text()


def test_clicking_the_rating_header_sorts_by_rating(qtbot, make_window, filled_service, loaded) -> None:
    ids = filled_service.work_ids(shelf="books")
    filled_service.edit(ids[-1], "rating", 10)
    filled_service.edit(ids[0], "rating", 2)
    window = make_window(filled_service)
    view = window.library_view
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.RATING) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    loaded(view)
    assert view.model.sort_key == "rating"
    view.table.sortByColumn(Column.RATING, Qt.SortOrder.DescendingOrder)
    loaded(view)
    assert [view.model.work_id(0), view.model.work_id(1)] == [ids[-1], ids[0]]


def test_the_columns_fit_the_default_window_without_clipping_a_header(make_window, filled_service) -> None:
    window = make_window(filled_service)
    window.resize(1280, 800)
    table = window.library_view.table
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    shown = sum(header.sectionSize(c) for c in range(len(HEADERS)))
    assert shown <= table.viewport().width() + 1  # no sideways scrolling
    for column, text in enumerate(HEADERS):
        assert header.sectionSize(column) >= metrics.horizontalAdvance(text) + 16, text
    added = window.library_view.model.index(0, Column.ADDED).data()
    assert header.sectionSize(Column.ADDED) >= table.fontMetrics().horizontalAdvance(added) + 8


def test_column_widths_saved_with_other_columns_are_not_put_on_these(make_window, filled_service, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    window = make_window(filled_service)
    view = window.library_view
    header = view.table.horizontalHeader()
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    header.resizeSection(Column.READ, 300)
    view.save_state(settings)
    header.resizeSection(Column.READ, 90)
    view.restore_state(settings)
    assert header.sectionSize(Column.READ) == 300  # the same columns: as they were left
    header.resizeSection(Column.READ, 90)
    settings.setValue("library/columns", "Title,Authors,Series,Formats,Published,Added,Status")  # an older BookDesk
    view.restore_state(settings)
    assert header.sectionSize(Column.READ) == 90
