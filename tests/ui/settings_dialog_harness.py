"""What the Settings dialog's tests share: a secret store, a dialog opened on it (``make_dialog``) and
its Save button. The test modules take the fixtures by assigning them (``secrets =
settings_dialog_harness.secrets``), so they stay these tests' own."""

from __future__ import annotations

import pytest

from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.settings.settings_dialog import SettingsDialog


@pytest.fixture
def secrets() -> InMemorySecretStore:
    return InMemorySecretStore()


@pytest.fixture
def make_dialog(qtbot, secrets, tmp_path):
    def make(settings: Settings | None = None, **options) -> SettingsDialog:
        options.setdefault("library", tmp_path / "Library")
        options.setdefault("tray_available", True)
        dialog = SettingsDialog(settings or Settings(), secrets, **options)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def save(dialog: SettingsDialog) -> None:
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()


def abs_server_form(qtbot, window, url: str, key: str = ""):  # noqa: ANN001, ANN201 - qtbot, window; the list
    """The window's Settings open on the Audiobookshelf tab with a new server "Home NAS" typed in."""
    dialog = window.edit_settings("sources")
    qtbot.addWidget(dialog)
    servers = dialog.sources_page.lists["audiobookshelf"]
    dialog.sources_page.tabs.setCurrentWidget(servers)
    servers.add()
    servers.editors["name"].setText("Home NAS")
    servers.editors["url"].setText(url)
    servers.editors["password"].setText(key)
    return dialog, servers
