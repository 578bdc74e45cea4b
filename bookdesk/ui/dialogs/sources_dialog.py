"""Sources and download clients on their own: the Sources & Clients page of the Settings dialog in
a dialog. Passwords and API keys go to the keyring, never to the settings file."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bookdesk.core.secrets import SecretStore
from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError
from bookdesk.ui.settings.source_list import (
    PARSERS,
    SOURCE_FIELDS,
    TITLES,
    Field,
    SourceList,
    mappings_text,
    parse_mappings,
)
from bookdesk.ui.settings.sources_page import SourcesPage

__all__ = ["PARSERS", "SOURCE_FIELDS", "TITLES", "Field", "SourceList", "SourcesDialog", "mappings_text",
           "parse_mappings"]


class SourcesDialog(QDialog):
    test_requested = Signal(str, dict, str)

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.secrets = settings, secrets
        self.setWindowTitle("Sources and Download Clients")
        self.setMinimumSize(760, 440)
        self.page = SourcesPage(settings, secrets)
        self.page.test_requested.connect(self.test_requested.emit)
        # The page's parts, by the names callers and tests know.
        self.tabs, self.lists = self.page.tabs, self.page.lists
        self.concurrency, self.per_host, self.threshold = self.page.concurrency, self.page.per_host, self.page.threshold
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #cf222e;")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        """The settings as edited; raises UsageError with what is wrong."""
        return self.page.values(self.settings)

    def accept(self) -> None:
        try:
            self.edited = self.result_settings()
            self.edited.check()
        except UsageError as exc:
            self.problem.setText(exc.message)
            return
        self.page.commit_secrets()
        super().accept()

    def show_test_result(self, kind: str, ok: bool, text: str) -> None:
        self.page.show_test_result(kind, ok, text)
