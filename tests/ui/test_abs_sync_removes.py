""""Sync with Audiobookshelf" as the window runs it, against the real server (tests/servers/audiobookshelf.py):
a book that was on the server only, whose item the server deleted, leaves the open Library view at once."""

from __future__ import annotations

from dataclasses import replace

from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture
from tests.ui.test_abs_sync_window import _library_titles, _two_books


def test_a_book_the_sync_takes_out_leaves_the_open_library_view(qtbot, make_window, service, abs_server):  # noqa: F811
    library_id = _two_books(abs_server)
    window = make_window(service)
    window.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}]))
    window.automation.run_now("abs-sync")
    qtbot.waitUntil(lambda: _library_titles(window) == ["Ash", "Bone"], timeout=60_000)
    window.show_view("library")
    bone = next(item["id"] for item in abs_server.items(library_id) if item["media"]["metadata"]["title"] == "Bone")
    abs_server.delete_item(bone)
    qtbot.waitUntil(lambda: not any(job.state in ("queued", "running") for job in service.jobs()), timeout=60_000)

    window.automation.run_now("abs-sync")

    qtbot.waitUntil(lambda: [row.title for row in service.rows(service.work_ids())] == ["Ash"], timeout=60_000)
    qtbot.waitUntil(lambda: _library_titles(window) == ["Ash"], timeout=10_000)
