"""An Audiobookshelf server as a person sets it up in Settings → Sources & Clients: Test asks the real
server (tests/servers/audiobookshelf.py) and shows its version and libraries, a wrong key is said, and the
key is kept in the keyring, never in the settings file."""

from __future__ import annotations

import json

from bookdesk.core.audiobookshelf.login import AbsTokens
from bookdesk.core.audiobookshelf.push_fields import SYNC_FIELDS
from bookdesk.core.secrets import source_secret
from bookdesk.core.settings import settings_path
from tests.servers.audiobookshelf import ROOT_PASSWORD, ROOT_USER, Book, abs_server  # noqa: F401 - the fixture
from tests.ui.settings_dialog_harness import abs_server_form, save


def test_test_shows_the_servers_version_and_libraries_and_save_keeps_the_key_in_the_keyring(
        qtbot, make_window, service, abs_server):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer")])
    window = make_window(service)
    dialog, servers = abs_server_form(qtbot, window, abs_server.url, abs_server.api_key)
    servers.editors["libraries"].setText(library_name)

    servers.test_button.click()

    qtbot.waitUntil(lambda: servers.result.text().startswith(("✔", "✘")), timeout=60_000)
    assert servers.result.text().startswith("✔ Audiobookshelf 2.36.0 answers; libraries: ")
    assert library_name in servers.result.text()
    save(dialog)
    assert window.settings.audiobookshelf_servers == [{
        "name": "Home NAS", "url": abs_server.url, "username": "", "libraries": [library_name], "path_mappings": [],
        "sync_fields": list(SYNC_FIELDS), "send_downloads_to": "", "enabled": True}]
    assert window.secrets.get(source_secret("audiobookshelf", "Home NAS")) == abs_server.api_key
    written = settings_path().read_text()
    assert abs_server.api_key not in written
    assert json.loads(written)["audiobookshelf_servers"][0]["name"] == "Home NAS"


def test_a_wrong_key_is_said_naming_the_server(qtbot, make_window, service, abs_server):  # noqa: F811
    window = make_window(service)
    _, servers = abs_server_form(qtbot, window, abs_server.url, "a-key-the-server-never-gave")

    servers.test_button.click()

    qtbot.waitUntil(lambda: servers.result.text().startswith(("✔", "✘")), timeout=60_000)
    assert servers.result.text().startswith("✘ Audiobookshelf server Home NAS refused the API key")


def test_with_no_keyring_the_tab_says_a_key_lasts_until_bookdesk_closes(qtbot, make_window, service):
    window = make_window(service)  # its secrets in memory, as on a computer with no keyring

    dialog, servers = abs_server_form(qtbot, window, "http://127.0.0.1:9")

    assert servers.keyring_note.isVisible()
    assert servers.keyring_note.text() == (
        "This computer has no system keyring: passwords and API keys you enter last until BookDesk closes, "
        "and are never written to a file.")


def test_test_says_a_library_the_server_does_not_have(qtbot, make_window, service, abs_server):  # noqa: F811
    window = make_window(service)
    _, servers = abs_server_form(qtbot, window, abs_server.url, abs_server.api_key)
    servers.editors["libraries"].setText("Nope")

    servers.test_button.click()

    qtbot.waitUntil(lambda: servers.result.text().startswith(("✔", "✘")), timeout=60_000)
    assert servers.result.text().startswith("✘ Audiobookshelf server Home NAS has no book library called 'Nope'")


def test_a_user_and_password_log_in_and_the_pull_at_once_leaves_only_tokens_in_the_keyring(
        qtbot, make_window, service, abs_server):  # noqa: F811
    library_name, _, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer")])
    window = make_window(service)
    dialog, servers = abs_server_form(qtbot, window, abs_server.url, ROOT_PASSWORD)
    servers.editors["username"].setText(ROOT_USER)
    servers.editors["libraries"].setText(library_name)

    servers.test_button.click()

    qtbot.waitUntil(lambda: servers.result.text().startswith(("✔", "✘")), timeout=60_000)
    assert servers.result.text().startswith("✔ Audiobookshelf 2.36.0 answers; libraries: "), servers.result.text()
    save(dialog)
    assert window.settings.audiobookshelf_servers[0]["username"] == ROOT_USER
    secret = source_secret("audiobookshelf", "Home NAS")
    qtbot.waitUntil(lambda: AbsTokens.read(window.secrets.get(secret)) is not None, timeout=60_000)
    assert ROOT_PASSWORD not in window.secrets.get(secret)
    assert ROOT_PASSWORD not in settings_path().read_text()
