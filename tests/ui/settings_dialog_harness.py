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
