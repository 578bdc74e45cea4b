""""Sync with Audiobookshelf" as the window runs it, against the real server
(tests/servers/audiobookshelf.py): the books it brings show in the Library at once."""

from __future__ import annotations

from dataclasses import replace

from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def _library_titles(window) -> list[str]:  # noqa: ANN001 - the main window
    model = window.library_view.model
    return sorted(model.index(row, 0).data() for row in range(model.rowCount()))


def test_books_the_sync_brings_show_in_the_library(qtbot, make_window, service, abs_server):  # noqa: F811
    _, library_id, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer"),
                                           Book("Bo Baker/Bone", "Bone", "Bo Baker", fmt="mp3")])
    window = make_window(service)
    window.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}]))
    assert _library_titles(window) == []

    window.automation.run_now("abs-sync")

    qtbot.waitUntil(lambda: _library_titles(window) == ["Ash", "Bone"], timeout=60_000)
