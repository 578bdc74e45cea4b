"""The fields a push sends to an Audiobookshelf server's items, chosen in Settings → Sources & Clients →
Audiobookshelf with a checkbox each, saved as the server's sync_fields."""

from __future__ import annotations

from bookdesk.core.audiobookshelf.config import servers as parsed
from bookdesk.core.audiobookshelf.push_fields import SYNC_FIELDS
from tests.ui.settings_dialog_harness import abs_server_form, save


def test_the_fields_to_sync_are_checkboxes_saved_as_sync_fields(qtbot, make_window, service):
    window = make_window(service)
    dialog, servers = abs_server_form(qtbot, window, "http://127.0.0.1:9")
    checks = servers.editors["sync_fields"]
    assert checks.values() == list(SYNC_FIELDS)  # a new server syncs every field

    checks.boxes["description"].setChecked(False)
    checks.boxes["genres"].setChecked(False)
    save(dialog)

    kept = window.settings.audiobookshelf_servers[0]["sync_fields"]
    assert kept == [f for f in SYNC_FIELDS if f not in ("description", "genres")]
    assert "description" not in parsed(window.settings.audiobookshelf_servers)[0].sync_fields
    again = window.edit_settings("sources")
    qtbot.addWidget(again)
    shown = again.sources_page.lists["audiobookshelf"].editors["sync_fields"]
    assert not shown.boxes["description"].isChecked() and shown.boxes["title"].isChecked()
