"""A context menu in every list, with what applies there: each item is the view's own action (its
button), enabled and named alike, and choosing it does what the button does."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_repository import WorkRepository
from tests.ui.context_menu_harness import choose, item, items, open_context_menu
from tests.ui.test_downloads_view import (
    books_server,  # noqa: F401 - the fixture, shared
    read_again,
)
from tests.ui.test_downloads_view import rows as download_rows


def test_the_library_menu_holds_every_book_action(qtbot, make_window, filled_service) -> None:
    window = make_window(filled_service)
    menu = open_context_menu(qtbot, window.library_view.table, 2)
    assert window.library_view.selected_ids() == [window.library_view.model.work_id(2)]  # the row clicked
    assert items(menu) == [
        "Edit Metadata…", "Identify Selected", "Open", "Show in Folder", "Copy Path", "Send to Audiobookshelf…",
        "Mark as ▸ Unread",
        "Mark as ▸ Reading", "Mark as ▸ Finished", "Rating ▸ No Rating", "Rating ▸ ★", "Rating ▸ ★★",
        "Rating ▸ ★★★", "Rating ▸ ★★★★", "Rating ▸ ★★★★★", "Merge Books…", "Split Format…", "Remove Format…",
        "Remove from Library…"]
    assert not item(menu, "Merge Books…").isEnabled()  # one book selected
    menu.close()


def test_the_series_menu_checks_monitors_and_wants(qtbot, make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    window.show_view("series")
    view = loaded(window.series_view)
    menu = open_context_menu(qtbot, view.table, 0)
    assert items(menu) == ["Check Providers", "Check History…", "Monitor This Series", "Want Missing",
                           "Ignore Series"]
    assert not item(menu, "Monitor This Series").isChecked()
    name = view.detail.current.name
    choose(menu, "Monitor This Series")
    qtbot.waitUntil(lambda: any(s.monitored for s in window.series.summaries() if s.name == name))
    loaded(view)
    menu = open_context_menu(qtbot, view.table, view.model.records.index(
        next(s for s in view.model.records if s.name == name)))
    assert item(menu, "Monitor This Series").isChecked()
    menu.close()


def test_the_authors_menu_monitors_an_author(qtbot, make_window, filled_service, loaded) -> None:
    window = make_window(filled_service)
    window.show_view("authors")
    view = loaded(window.authors_view)
    menu = open_context_menu(qtbot, view.table, 0)
    assert items(menu) == ["Check Providers", "Monitor This Author", "Merge Selected", "Split Alias…"]
    choose(menu, "Monitor This Author")
    assert view.monitor_button.isChecked()


def test_the_wanted_menu_searches_and_gives_up_a_book(qtbot, make_window, service, loaded) -> None:
    with service.catalog.write() as session:
        for title in ("Tehanu", "The Other Wind"):
            WorkRepository(session).add(NewWork(title, [Contributor("Ursula K. Le Guin")], status="wanted"))
    window = make_window(service)
    window.show_view("wanted")
    view = loaded(window.wanted_view)
    assert view.model.rowCount() == 2
    menu = open_context_menu(qtbot, view.table, 0)
    assert items(menu) == ["Search for This Book…", "No Longer Wanted"]
    assert item(menu, "Search for This Book…").isEnabled()
    choose(menu, "No Longer Wanted")
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() == 1)


def test_the_downloads_menu_retries_and_removes(qtbot, make_window, service, books_server) -> None:  # noqa: F811
    window = make_window(service)
    dialog = window.download_from_addresses()
    qtbot.addWidget(dialog)
    dialog.addresses.setPlainText(f"{books_server.url}/books/broken.epub\n")
    dialog.accept()
    view = window.downloads_view

    def failed() -> bool:
        read_again(qtbot, view)
        return download_rows(view).get("broken.epub", ["", ""])[1] == "Failed"

    qtbot.waitUntil(failed, timeout=20_000)
    menu = open_context_menu(qtbot, view.table, 0)
    assert items(menu) == [button.text() for button in view.buttons.values()]
    assert item(menu, "Retry").isEnabled() and not item(menu, "Pause").isEnabled()
    choose(menu, "Remove")
    qtbot.waitUntil(lambda: "broken.epub" not in download_rows(view))


def test_the_activity_menu_copies_a_jobs_ref_and_undoes_it(qtbot, make_window, filled_service, monkeypatch) -> None:
    window = make_window(filled_service)
    window.show_view("activity")
    view = window.activity_view
    import_row = next(r for r, job in enumerate(view.model.records) if job.kind == "import")
    menu = open_context_menu(qtbot, view.table, import_row)
    assert items(menu) == ["Copy Ref", "Undo This Job"]
    choose(menu, "Copy Ref")
    ref = view.model.records[import_row].correlation_id
    assert QApplication.clipboard().text() == ref
    asked: list[str] = []

    def question(_parent, _title, text, *args):  # noqa: ANN001, ANN202 - QMessageBox.question's
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    choose(open_context_menu(qtbot, view.table, import_row), "Undo This Job")
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert ref in asked[0]
