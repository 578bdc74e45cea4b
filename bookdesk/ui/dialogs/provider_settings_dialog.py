"""Metadata providers on their own: the Metadata Providers page of the Settings dialog in a dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError
from bookdesk.ui.settings.providers_page import LABELS, SECRETS, ProvidersPage

__all__ = ["LABELS", "SECRETS", "ProviderSettingsDialog"]


class ProviderSettingsDialog(QDialog):
    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.secrets = settings, secrets
        self.setWindowTitle("Metadata Providers")
        self.setMinimumWidth(620)
        self.page = ProvidersPage(settings, secrets)
        # The page's editors, by the names callers and tests know.
        self.order, self.urls, self.tokens = self.page.order, self.page.urls, self.page.tokens
        self.keyring_note, self.write_back = self.page.keyring_note, self.page.write_back
        self.language, self.novellas = self.page.language, self.page.novellas
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #cf222e;")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.page.values(self.settings)
        except UsageError as exc:
            self.problem.setText(exc.message)
            return
        super().accept()

    def result_settings(self) -> Settings:
        """The settings with these choices; tokens are stored in the SecretStore, not in the settings."""
        edited = self.page.values(self.settings)
        self.page.commit_secrets()
        return edited
