"""A view's rows on a big library: freed on the worker when new ones replace them (freeing 100,000 rows
held the GUI thread for tens of milliseconds, bench/ui_stalls.py identify), and read again when a view
hidden during a change is shown."""

from __future__ import annotations

import threading
from dataclasses import fields

import pytest

from bookdesk.core.series.summaries import AuthorOverview
from bookdesk.data.work_repository import WorkRepository
from tests.ui.test_series_views import add_book
from tests.ui.test_views_read_on_the_worker import held


@pytest.fixture
def two_authors(service):  # noqa: ANN001, ANN201
    with service.catalog.write() as session:
        add_book(WorkRepository(session), "A Wizard of Earthsea", "1")
        add_book(WorkRepository(session), "Dune", "1", series="Dune", author="Frank Herbert")
    return service


class _Freed(list):
    """The threads on which tracked rows were freed."""


def tracked(authors: list[AuthorOverview], freed: _Freed) -> list[AuthorOverview]:
    """Copies of ``authors`` that note the thread that frees them."""

    class Tracked(AuthorOverview):
        def __del__(self) -> None:
            freed.append(threading.current_thread())

    return [Tracked(*(getattr(a, f.name) for f in fields(AuthorOverview))) for a in authors]


def test_the_authors_views_previous_rows_are_freed_on_the_worker(qtbot, make_window, two_authors, monkeypatch):
    window = make_window(two_authors)
    freed = _Freed()
    first = [True]
    authors = window.series.authors

    def read_authors() -> list[AuthorOverview]:
        rows = tracked(authors(), freed) if first[0] else authors()
        first[0] = False
        return rows

    monkeypatch.setattr(window.series, "authors", read_authors)
    view = window.authors_view
    window.show_view("authors")
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() == 2)
    window.show_view("library")
    window.show_view("authors")  # read again: the first rows are let go
    qtbot.waitUntil(lambda: len(freed) == 2)
    assert threading.main_thread() not in freed


def test_a_view_hidden_when_the_library_changes_shows_the_change_when_it_is_shown(qtbot, make_window, two_authors):
    window = make_window(two_authors)
    window.show_view("authors")
    view = window.authors_view
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() == 2)
    window.show_view("library")
    with two_authors.catalog.write() as session:
        add_book(WorkRepository(session), "Kindred", "1", series="Kindred", author="Octavia E. Butler")
    window.refresh_views()  # as after an import: the Authors view is hidden
    window.show_view("authors")
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() == 3)
    assert "Octavia E. Butler" in {view.model.index(r, 0).data() for r in range(3)}


def test_what_is_typed_in_the_filter_while_the_authors_are_read_filters_the_rows_that_come(qtbot, make_window,
                                                                                           two_authors, monkeypatch):
    window = make_window(two_authors)
    view = window.authors_view
    window.show_view("authors")
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() == 2)
    gate = threading.Event()
    monkeypatch.setattr(window.series, "authors", held(window.series.authors, gate))
    window.show_view("library")
    window.show_view("authors")  # read again, with no filter; the worker is held
    qtbot.keyClicks(view.filter, "herbert")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)  # the rows shown, filtered at once
    gate.set()
    qtbot.waitUntil(lambda: not view.loading)
    assert [view.model.index(r, 0).data() for r in range(view.model.rowCount())] == ["Frank Herbert"]
