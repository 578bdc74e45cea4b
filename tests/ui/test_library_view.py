"""What a person sees in the Library view: every book, search as you type, sorting, the detail pane."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from bookdesk.ui.models.library_model import PAGE, Column


def visible_titles(view) -> list[str]:  # noqa: ANN001 - LibraryView
    model = view.model
    return [model.index(r, Column.TITLE).data() for r in range(model.rowCount())]


def test_every_imported_book_is_a_row_with_its_title_and_author(make_window, filled_service, corpus: Path) -> None:
    window = make_window(filled_service)
    view = window.library_view
    truth = json.loads((corpus / "manifest.json").read_text())
    books = truth["books"] if isinstance(truth, dict) else truth
    assert view.model.rowCount() == len(books)
    titles = set(visible_titles(view))
    assert {b["title"] for b in books} == titles
    assert view.count_label.text() == f"{len(books)} books"


def test_typing_in_the_search_box_filters_as_you_type(qtbot, make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    view = window.library_view
    first = filled_service.detail(view.model.work_id(0))
    surname = first.authors[0].split()[-1]
    qtbot.keyClicks(view.search, surname[:4].lower())
    qtbot.waitUntil(lambda: view.model.search_text == surname[:4].lower())
    loaded(view)
    assert 0 < view.model.rowCount() < len(filled_service.work_ids())
    for row in range(view.model.rowCount()):
        detail = filled_service.detail(view.model.work_id(row))
        haystack = " ".join([detail.title, *detail.authors, *(s.name for s in detail.series)]).lower()
        assert surname[:4].lower() in haystack
    assert "of" in view.count_label.text()


def test_a_search_that_matches_nothing_says_so(qtbot, make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    view = window.library_view
    view.search.setText("zzzqqqxxx")
    view.apply_search()
    loaded(view)
    assert view.model.rowCount() == 0
    assert view.stack.currentWidget() is view.no_match
    view.search.clear()
    view.apply_search()
    loaded(view)
    assert view.stack.currentWidget() is view.table


def test_clicking_the_authors_header_sorts_by_author(qtbot, make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    view = window.library_view
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.AUTHORS) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert view.model.sort_key == "authors"
    loaded(view)
    keys = [filled_service.detail(view.model.work_id(r)).contributors[0].sort_name.casefold()
            for r in range(view.model.rowCount())]
    assert keys == sorted(keys) or keys == sorted(keys, reverse=True)
    view.table.sortByColumn(Column.AUTHORS, Qt.SortOrder.DescendingOrder)
    loaded(view)
    keys_desc = [filled_service.detail(view.model.work_id(r)).contributors[0].sort_name.casefold()
                 for r in range(view.model.rowCount())]
    assert keys_desc == sorted(keys_desc, reverse=True)


def test_selecting_a_book_shows_cover_people_series_and_files(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    in_series = next(i for i in filled_service.work_ids() if filled_service.detail(i).series)
    view.table.selectRow(view.model.row_of(in_series))
    detail = filled_service.detail(in_series)
    pane = view.detail
    assert pane.title.text() == detail.title
    assert detail.authors[0] in pane.authors.text()
    assert detail.series[0].name in pane.series.text()
    assert detail.identifiers["isbn"] in pane.identifiers.text()
    assert detail.files[0].path.split("/")[-1].split(" - ")[0][:10] in pane.files.text()
    assert not pane.cover.pixmap().isNull()
    assert not pane.placeholder.isVisible()


def test_an_empty_library_explains_how_to_add_books(make_window, service) -> None:
    window = make_window(service)
    view = window.library_view
    assert view.model.rowCount() == 0
    assert view.stack.currentWidget() is view.empty
    assert "Drop" in view.empty.hint.text()


def test_a_big_library_reads_only_the_rows_on_screen(qtbot, make_window, service: LibraryService,
                                                    monkeypatch) -> None:
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        for n in range(PAGE * 6):
            repo.add(NewWork(title=f"Book {n:05d}", contributors=[Contributor(f"Author {n % 37}")],
                             series=[SeriesRef(f"Saga {n % 11}", str(n % 9 + 1))]))
    read: list[int] = []
    rows = service.rows

    def counted(ids):  # noqa: ANN001, ANN202 - the service's own rows, noting which were read
        read.extend(ids)
        return rows(ids)

    monkeypatch.setattr(service, "rows", counted)
    window = make_window(service)
    view = window.library_view
    assert view.model.rowCount() == PAGE * 6
    qtbot.waitUntil(lambda: len(read) > 0)  # painted: however long that takes here
    assert len(set(read)) <= 2 * PAGE  # only what was painted, not 1,200 rows
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: visible_titles(view)[-1:] == ["Book 01199"])


def test_editing_a_title_in_place_is_recorded_and_ctrl_z_undoes_it(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    work_id = view.model.work_id(0)
    before = filled_service.detail(work_id).title
    index = view.model.index(0, Column.TITLE)
    assert view.model.setData(index, "A Wizard of Earthsea")
    assert view.model.index(0, Column.TITLE).data() == "A Wizard of Earthsea"
    history = filled_service.history(work_id)
    assert (history[0].field, history[0].old_value, history[0].new_value, history[0].source) == (
        "title", before, "A Wizard of Earthsea", "user")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert filled_service.detail(work_id).title == before
    assert view.model.index(0, Column.TITLE).data() == before
    assert not window.undo_action.isEnabled()


def test_editing_series_keeps_every_series_of_the_book(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    work_id = view.model.work_id(0)
    filled_service.edit(work_id, "series", [{"name": "Earthsea", "label": "1"}, {"name": "Hainish", "label": "2"}])
    view.model.refresh_row(0)
    index = view.model.index(0, Column.SERIES)
    assert index.data(Qt.ItemDataRole.EditRole) == "Earthsea #1; Hainish #2"
    assert view.model.setData(index, "Earthsea #1.5; Hainish #2")
    assert [(s.name, s.label) for s in filled_service.detail(work_id).series] == [("Earthsea", "1.5"), ("Hainish", "2")]
    assert not view.model.setData(view.model.index(0, Column.TITLE), "   ")  # a book needs a title
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None)
    assert "needs a title" in window.presenter.last_dialog.message_label.text()


def test_authors_and_series_typed_in_place_are_read_as_an_import_reads_them(make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    work_id = view.model.work_id(0)
    assert view.model.setData(view.model.index(0, Column.AUTHORS), "Stephen King, Peter Straub")
    assert view.model.setData(view.model.index(0, Column.SERIES), "The Talisman #Book 1,5")
    detail = filled_service.detail(work_id)
    assert [c.name for c in detail.contributors if c.role == "author"] == ["Stephen King", "Peter Straub"]
    assert [(s.name, s.label, s.sort_key) for s in detail.series] == [("The Talisman", "1.5", 1.5)]
    assert view.model.setData(view.model.index(0, Column.AUTHORS), "King, Stephen")  # one person, as signed
    assert [c.name for c in filled_service.detail(work_id).contributors if c.role == "author"] == ["Stephen King"]


def test_the_history_tab_lists_changes_and_undoes_the_one_chosen(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    view = window.library_view
    work_id = view.model.work_id(0)
    original = filled_service.detail(work_id).title
    view.model.setData(view.model.index(0, Column.TITLE), "First Try")
    view.model.setData(view.model.index(0, Column.TITLE), "Second Try")
    view.table.selectRow(0)
    view.side.setCurrentWidget(view.history)
    history = view.history
    assert history.model.rowCount() == 2
    assert [history.model.index(r, 3).data() for r in range(2)] == ["Second Try", "First Try"]
    assert history.model.index(0, 4).data() == "you"  # the source "user", as a person reads it
    history.table.selectRow(1)  # the older change: back to the original title
    history.undo_button.click()
    assert filled_service.detail(work_id).title == original
    assert history.model.rowCount() == 3 and history.model.index(0, 4).data() == "undo"
    assert view.detail.title.text() == original


def test_with_write_back_on_an_edit_reaches_the_book_file_and_the_original_is_kept(qtbot, make_window,
                                                                                   filled_service) -> None:
    from bookdesk.core.importer.readers.epub import read_epub

    window = make_window(filled_service)
    window.settings.write_back_to_files = True
    view = window.library_view
    work_id = view.model.work_id(0)
    before = filled_service.detail(work_id).files[0]
    view.model.setData(view.model.index(0, Column.TITLE), "Written Into The File")
    book = filled_service.absolute(before.path)
    qtbot.waitUntil(lambda: read_epub(book).title == "Written Into The File", timeout=10000)
    qtbot.waitUntil(lambda: filled_service.detail(work_id).files[0].content_hash != before.content_hash,
                    timeout=5000)
    backups = [p for p in (filled_service.folder / ".backup").rglob("*.epub") if p.is_file()]
    assert len(backups) == 1 and read_epub(backups[0]).title != "Written Into The File"
