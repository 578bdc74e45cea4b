"""The Series, Authors and Wanted views as a collector uses them: what is missing, want it, see it wanted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from bookdesk.data.catalog_rows import Contributor, NewFile, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository


def add_book(repo, title, label, kind="ebook", series="Earthsea Cycle", author="Ursula K. Le Guin", n=[0]):  # noqa: B006
    n[0] += 1
    fmt = "epub" if kind == "ebook" else "m4b"
    return repo.add(NewWork(title, [Contributor(author)], series=[SeriesRef(series, label)],
                            files=[NewFile(f"x/{n[0]}.{fmt}", fmt, kind, 10, 1.0, f"hash-{title}-{n[0]}")]))


@pytest.fixture
def collection(service):
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        add_book(repo, "A Wizard of Earthsea", "1")
        add_book(repo, "A Wizard of Earthsea", "1", kind="audiobook")
        add_book(repo, "The Farthest Shore", "3")
        add_book(repo, "Tales from Earthsea", "4.5")
        add_book(repo, "Tehanu", "4")
        add_book(repo, "Dune", "1", series="Dune", author="Frank Herbert")
        add_book(repo, "Dune Messiah", "2", series="Dune", author="Frank Herbert")
    return service


def test_the_series_view_shows_completion_per_kind_and_the_missing_books_as_ghosts(qtbot, make_window, collection,
                                                                                   loaded):
    window = make_window(collection)
    window.show_view("series")
    view = loaded(window.series_view)
    names = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert names == ["Dune", "Earthsea Cycle"]
    earthsea = names.index("Earthsea Cycle")
    assert view.model.index(earthsea, 4).data() == "1"  # book 2 is missing; 4.5 is a novella, not a gap
    assert view.model.index(earthsea, 2).data() == "4 / 5"  # ebooks owned: 1, 3, 4 and the novella; 2 missing
    assert view.model.index(earthsea, 3).data() == "1 / 4"  # the audiobook of 1 alone; 2, 3, 4 missing
    view.show_only.setCurrentIndex(view.show_only.findData("gaps"))
    assert [view.model.index(r, 0).data() for r in range(view.model.rowCount())] == ["Earthsea Cycle"]
    view.table.selectRow(0)
    detail = view.detail
    entries = [detail.entries.item(i).text() for i in range(detail.entries.count())]
    assert any(text.startswith("#2") and "missing" in text for text in entries)
    assert any(text.startswith("#1") and "A Wizard of Earthsea" in text for text in entries)


def test_wanting_the_missing_books_puts_them_on_the_wanted_list_once(qtbot, make_window, collection, loaded):
    window = make_window(collection)
    window.show_view("series")
    view = loaded(window.series_view)
    view.show_only.setCurrentIndex(view.show_only.findData("gaps"))
    view.table.selectRow(0)
    created = view.detail.want_missing()
    assert len(created) == 1
    assert view.detail.want_missing() == []  # never two wanted works for one position
    window.show_view("wanted")
    wanted = loaded(window.wanted_view)
    assert wanted.model.rowCount() == 1
    assert "Earthsea Cycle #2" in wanted.model.index(0, 2).data()
    wanted.table.selectRow(0)
    wanted.unwant_selected()
    loaded(wanted)
    assert wanted.model.rowCount() == 0 and wanted.stack.currentWidget() is wanted.empty


def test_monitoring_a_series_and_an_author(qtbot, make_window, collection, loaded):
    window = make_window(collection)
    window.show_view("series")
    view = loaded(window.series_view)
    view.table.selectRow(0)
    view.detail.monitor.setChecked(True)
    loaded(view)
    assert view.model.index(0, 0).data().endswith("★")
    window.show_view("authors")
    authors = loaded(window.authors_view)
    rows = {authors.model.index(r, 0).data(): r for r in range(authors.model.rowCount())}
    assert set(rows) == {"Frank Herbert", "Ursula K. Le Guin"}
    authors.table.selectRow(rows["Frank Herbert"])
    authors.monitor_button.setChecked(True)
    loaded(authors)
    assert any(authors.model.index(r, 0).data() == "Frank Herbert ★" for r in range(authors.model.rowCount()))


def test_two_names_of_one_person_are_merged_into_the_one_on_most_books(qtbot, make_window, collection,
                                                                         monkeypatch, loaded):
    from PySide6.QtWidgets import QMessageBox

    with collection.catalog.write() as session:
        add_book(WorkRepository(session), "The Word for World Is Forest", "", series="Hainish",
                 author="U. K. Le Guin")
    window = make_window(collection)
    window.show_view("authors")
    authors = loaded(window.authors_view)
    names = [authors.model.index(r, 0).data() for r in range(authors.model.rowCount())]
    keep, other = names.index("Ursula K. Le Guin"), names.index("U. K. Le Guin")
    authors.table.selectRow(keep)
    authors.table.selectionModel().select(authors.model.index(other, 0),
                                          authors.table.selectionModel().SelectionFlag.Select
                                          | authors.table.selectionModel().SelectionFlag.Rows)
    assert authors.merge_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    authors.merge_button.click()
    loaded(authors)
    rows = {authors.model.index(r, 0).data(): r for r in range(authors.model.rowCount())}
    assert "U. K. Le Guin" not in rows
    assert authors.model.index(rows["Ursula K. Le Guin"], 1).data() == "U. K. Le Guin"

    # Then it turns out "U. K. Le Guin" wrote one of those books as someone else: split that name off again.
    authors.table.selectRow(rows["Ursula K. Le Guin"])
    assert authors.split_button.isEnabled()
    authors.split_button.click()
    dialog = authors.split_dialog
    qtbot.addWidget(dialog)
    forest = next(i for i in range(dialog.books.count()) if "Forest" in dialog.books.item(i).text())
    dialog.books.item(forest).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    loaded(authors)
    rows = {authors.model.index(r, 0).data(): r for r in range(authors.model.rowCount())}
    assert {"U. K. Le Guin", "Ursula K. Le Guin"} <= set(rows)
    with collection.catalog.read() as session:
        repo = WorkRepository(session)
        [forest_id] = repo.ids("forest")
        assert repo.detail(forest_id).authors == ["U. K. Le Guin"]



def test_the_language_and_novella_choices_change_what_is_missing(qtbot, make_window, collection, loaded):
    from dataclasses import replace

    from bookdesk.core.series.listing import ListedBook, SeriesListing

    window = make_window(collection)
    earthsea = window.series.series_id("Earthsea Cycle")
    window.series.record_listings(earthsea, [SeriesListing("hardcover", "Earthsea Cycle", "1", 5, [
        ListedBook("A Wizard of Earthsea", label="1", sort_key=1.0), ListedBook("The Tombs", label="2", sort_key=2.0),
        ListedBook("Shore", label="3", sort_key=3.0), ListedBook("Tehanu", label="4", sort_key=4.0),
        ListedBook("Dragonfly", label="4.5", sort_key=4.5), ListedBook("The Other Wind", label="5", sort_key=5.0),
        ListedBook("Erdsee 6", label="6", sort_key=6.0, language="de")])])

    def missing() -> int:
        return next(s for s in window.series.summaries() if s.id == earthsea).missing

    everything = missing()
    window.apply_settings(replace(window.settings, series_language="en"))
    assert missing() == everything - 1  # the German book is not missing for an English reader
    window.apply_settings(replace(window.settings, series_novellas=True))
    window.series_view.refresh()
    window.show_view("series")
    loaded(window.series_view).select(earthsea)
    assert "Last checked" in window.series_view.detail.confidence.text()


def show_earthsea_checked_twice(window, loaded):  # noqa: ANN001, ANN201 - the window, the fixture; SeriesDetail
    """Earthsea checked twice (Open Library listing 2 books in January, Hardcover 3 in March), then shown
    selected in the Series view; gives the view's detail pane back."""
    from datetime import datetime

    from bookdesk.core.series.listing import ListedBook, SeriesListing

    series = window.series
    earthsea = series.series_id("Earthsea Cycle")
    books = [ListedBook("A Wizard of Earthsea", label="1", sort_key=1.0),
             ListedBook("The Tombs", label="2", sort_key=2.0)]
    series.record_listings(earthsea, [SeriesListing("openlibrary", "Earthsea Cycle", "1", 2, books)],
                           fetched_at=datetime(2026, 1, 5, 10, 0))
    series.record_listings(earthsea, [SeriesListing("hardcover", "Earthsea Cycle", "1", 3, [
        *books, ListedBook("Shore", label="3", sort_key=3.0)])], fetched_at=datetime(2026, 3, 7, 9, 30))
    window.show_view("series")
    window.series_view.refresh()
    loaded(window.series_view).select(earthsea)
    return window.series_view.detail


def test_check_history_lists_every_check_newest_first(qtbot, make_window, collection, loaded):
    window = make_window(collection)
    detail = show_earthsea_checked_twice(window, loaded)
    assert detail.history_button.isEnabled()

    dialog = detail.show_history()
    qtbot.addWidget(dialog)

    shown = [[dialog.model.index(r, c).data() for c in range(dialog.model.columnCount())]
             for r in range(dialog.model.rowCount())]
    assert [row[0] for row in shown] == ["2026-03-07 09:30", "2026-01-05 10:00"]
    assert shown[0][1] == "hardcover, openlibrary" and shown[0][2] == "3"  # the earlier listing still counts
    assert shown[1][1] == "openlibrary" and shown[1][2] == "2"
    assert "2 checks" in dialog.summary.text()


def test_a_series_never_checked_says_so_in_its_history(qtbot, make_window, collection, loaded):
    window = make_window(collection)
    window.show_view("series")
    window.series_view.refresh()
    loaded(window.series_view).select(window.series.series_id("Earthsea Cycle"))
    dialog = window.series_view.detail.show_history()
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert "not been checked" in dialog.summary.text()
