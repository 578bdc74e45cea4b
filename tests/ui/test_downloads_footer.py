"""The Downloads view's footer counts what is really active: a download that failed is not, and one paused
is counted paused; the status bar says what Pause or Cancel did, not what was said before."""

from __future__ import annotations

from tests.ui.test_downloads_view import books_server, rows  # noqa: F401 - a fixture


def test_a_failed_download_is_not_counted_as_active(qtbot, make_window, service, books_server) -> None:  # noqa: F811
    window = make_window(service)
    window.show_view("downloads")
    view = window.downloads_view
    dialog = window.download_from_addresses()
    qtbot.addWidget(dialog)
    dialog.addresses.setPlainText(f"{books_server.url}/books/broken.epub\n")
    dialog.accept()

    # As the person watches: the row turns Failed from the queue's news, no refresh asked for.
    qtbot.waitUntil(lambda: rows(view).get("broken.epub", [None, None])[1] == "Failed", timeout=20_000)
    qtbot.waitUntil(lambda: view.note.text() == "0 active · 1 failed · 1 in all", timeout=5_000)


def test_a_paused_download_is_counted_paused_and_the_status_bar_says_what_was_done(
        qtbot, make_window, service, books_server) -> None:  # noqa: F811
    from tests.core.net.local_server import Reply
    from tests.ui.test_downloads_view import read_again, select

    window = make_window(service)
    served = books_server.routes[("GET", "/books/dispossessed.epub")][0]  # held back: it runs until paused
    books_server.route("GET", "/books/dispossessed.epub", Reply(body=served.body, content_type=served.content_type,
                                                                delay=600))
    window.acquisition.fetch([f"{books_server.url}/books/dispossessed.epub"])
    assert window.status_label.text() == "1 download queued"
    qtbot.waitUntil(lambda: len(books_server.requests_to("/books/dispossessed.epub")) == 1, timeout=20_000)
    window.show_view("downloads")
    view = window.downloads_view
    read_again(qtbot, view)
    select(view, "dispossessed.epub")

    view.buttons["pause"].click()

    qtbot.waitUntil(lambda: view.note.text() == "0 active · 1 paused · 1 in all", timeout=10_000)
    assert window.status_label.text() == "1 download paused"
    select(view, "dispossessed.epub")
    view.buttons["cancel"].click()
    qtbot.waitUntil(lambda: view.note.text() == "0 active · 1 in all", timeout=10_000)
    assert window.status_label.text() == "1 download cancelled"
