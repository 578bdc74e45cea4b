""""Sync with Audiobookshelf" as the window runs it, against the real server
(tests/servers/audiobookshelf.py): the books it brings show in the Library at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bookdesk.core.audiobookshelf.config import with_server
from bookdesk.core.settings import load_settings, save_settings
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def _library_titles(window) -> list[str]:  # noqa: ANN001 - the main window
    model = window.library_view.model
    return sorted(model.index(row, 0).data() for row in range(model.rowCount()))


def _two_books(abs_server) -> str:  # noqa: ANN001, F811 - the server fixture
    """A library of the server with Ash and Bone; its id."""
    _, library_id, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer"),
                                           Book("Bo Baker/Bone", "Bone", "Bo Baker", fmt="mp3")])
    return library_id


def _sync_waits_its_turn(qtbot, window) -> None:  # noqa: ANN001 - qtbot, the main window
    """The scheduler started with no server set up: the sync's first turn is skipped, the next one hours
    away (as the Scheduler page shows it)."""
    window.automation.startup_delay = 0
    scheduler = window.automation.start()
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1)

    def skipped() -> bool:
        entry = next(e for e in scheduler.entries() if e.kind == "abs-sync")
        return entry.next_run is not None and entry.next_run > later

    qtbot.waitUntil(skipped, timeout=30_000)


def test_books_the_sync_brings_show_in_the_library(qtbot, make_window, service, abs_server):  # noqa: F811
    library_id = _two_books(abs_server)
    window = make_window(service)
    window.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}]))
    assert _library_titles(window) == []

    window.automation.run_now("abs-sync")

    qtbot.waitUntil(lambda: _library_titles(window) == ["Ash", "Bone"], timeout=60_000)


def test_a_server_added_in_settings_is_pulled_soon_without_waiting_for_its_turn(
        qtbot, make_window, service, abs_server):  # noqa: F811
    library_id = _two_books(abs_server)
    window = make_window(service)
    _sync_waits_its_turn(qtbot, window)
    window.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)

    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}]))

    qtbot.waitUntil(lambda: _library_titles(window) == ["Ash", "Bone"], timeout=60_000)


def test_sync_now_pulls_a_server_added_from_a_terminal(qtbot, make_window, service, abs_server):  # noqa: F811
    library_id = _two_books(abs_server)
    window = make_window(service)
    _sync_waits_its_turn(qtbot, window)
    window.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)
    settings = load_settings()  # as bookdesk abs add does in another process
    settings.audiobookshelf_servers = with_server(settings.audiobookshelf_servers, {
        "name": "Home NAS", "url": abs_server.url, "libraries": [library_id]})
    save_settings(settings)

    window.sync_action.trigger()

    qtbot.waitUntil(lambda: _library_titles(window) == ["Ash", "Bone"], timeout=60_000)
