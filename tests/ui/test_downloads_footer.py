"""The Downloads view's footer counts what is really active: a download that failed is not."""

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
