"""Send to Audiobookshelf… as a person does it, against the real server (tests/servers/audiobookshelf.py):
the Library's context menu, a library chosen, a job in Activity; the book is then on the server and its
"On server" column says so."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialogButtonBox

from bookdesk.ui.dialogs.abs_send_dialog import AbsSendDialog
from tests.servers.audiobookshelf import Book, abs_server, lay  # noqa: F401 - the session fixture
from tests.ui.context_menu_harness import choose, menu_bar_item, open_context_menu


def _open_dialog(qtbot, window) -> AbsSendDialog:  # noqa: ANN001 - qtbot, the main window
    qtbot.waitUntil(lambda: window.findChild(AbsSendDialog) is not None and window.findChild(AbsSendDialog)
                    .isVisible(), timeout=60_000)
    return window.findChild(AbsSendDialog)


def test_a_book_sent_from_the_context_menu_is_on_the_server_and_the_library_says_so(
        qtbot, make_window, service, import_books, abs_server, tmp_path):  # noqa: F811
    library_name, library_id, _ = abs_server.library([])
    import_books(service.catalog, [lay(tmp_path / "incoming", Book("dusk", "Dusk", "Di Dale", fmt="mp3"))])
    (work_id,) = service.work_ids()
    service.edit(work_id, "authors", ["Di Dale"])
    window = make_window(service)
    window.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}]))
    view = window.library_view
    assert menu_bar_item(window, "Book ▸ Send to Audiobookshelf…") is not None

    choose(open_context_menu(qtbot, view.table, 0), "Send to Audiobookshelf…")
    dialog = _open_dialog(qtbot, window)
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == [f"Home NAS — {library_name}"]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    qtbot.waitUntil(lambda: [item["relPath"] for item in abs_server.items(library_id)] == ["Di Dale/Dusk"],
                    timeout=120_000)
    qtbot.waitUntil(lambda: view.model.row_at(view.model.row_of(work_id)).on_server == "Home NAS", timeout=120_000)
    assert window.service.rows([work_id])[0].on_server == "Home NAS"
    qtbot.waitUntil(lambda: "1 book sent to Home NAS" in window.jobs.label.text(), timeout=60_000)
    assert "(Ref BD-" in window.jobs.label.text()


def test_with_no_server_set_up_it_says_where_to_add_one(qtbot, make_window, service, import_books, make_book):
    import_books(service.catalog, [make_book("Fen", author="Fay Fox")])
    window = make_window(service)

    choose(open_context_menu(qtbot, window.library_view.table, 0), "Send to Audiobookshelf…")

    qtbot.waitUntil(lambda: "No Audiobookshelf server is set up" in window.jobs.label.text(), timeout=30_000)
    assert "Settings → Sources & Clients → Audiobookshelf" in window.jobs.label.text()
    assert window.findChild(AbsSendDialog) is None
