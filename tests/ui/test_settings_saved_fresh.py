"""Settings changed by another BookDesk while the window is open (``bookdesk abs add`` in a terminal) are
kept when the window saves its own: the Settings dialog shows them when it opens, and a save from the
dialog or from the Pause Automation menu writes only what the window changed."""

from __future__ import annotations

from bookdesk.core.audiobookshelf.config import with_server
from bookdesk.core.settings import load_settings, save_settings
from tests.ui.settings_dialog_harness import abs_server_form, save


def _added_from_a_terminal(name: str) -> None:
    """What ``bookdesk abs add`` does in another process: the file read, one server added, written."""
    settings = load_settings()
    settings.audiobookshelf_servers = with_server(settings.audiobookshelf_servers, {
        "name": name, "url": "http://127.0.0.1:9", "libraries": [], "path_mappings": [], "enabled": True})
    save_settings(settings)


def _server_names() -> list[str]:
    return [server["name"] for server in load_settings().audiobookshelf_servers]


def test_settings_saved_from_the_dialog_keep_a_server_added_from_a_terminal(qtbot, make_window, service):
    window = make_window(service)
    _added_from_a_terminal("Attic")

    dialog = window.edit_settings("sources")
    qtbot.addWidget(dialog)
    servers = dialog.sources_page.lists["audiobookshelf"]
    assert "Attic" in [servers.names.item(row).text() for row in range(servers.names.count())]
    dialog.library_page.template.setText("{author}/{title}")
    save(dialog)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert _server_names() == ["Attic"]
    assert load_settings().import_template == "{author}/{title}"
    assert [server["name"] for server in window.settings.audiobookshelf_servers] == ["Attic"]


def test_a_server_added_in_the_dialog_and_one_from_a_terminal_are_both_kept(qtbot, make_window, service):
    window = make_window(service)
    dialog, _ = abs_server_form(qtbot, window, "http://127.0.0.1:8")
    _added_from_a_terminal("Attic")

    save(dialog)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert sorted(_server_names()) == ["Attic", "Home NAS"]


def test_pausing_automation_keeps_a_server_added_from_a_terminal(qtbot, make_window, service):
    window = make_window(service)
    _added_from_a_terminal("Attic")

    window.pause_action.trigger()

    qtbot.waitUntil(lambda: load_settings().automation_paused)
    assert _server_names() == ["Attic"]
