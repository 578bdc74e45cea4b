"""Import settings on their own: the Library & Import page of the Settings dialog in a dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError
from bookdesk.ui.settings.library_page import SAMPLES, LibraryPage, mode_box

__all__ = ["SAMPLES", "ImportSettingsDialog", "mode_box"]


class ImportSettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Settings")
        self.setMinimumWidth(720)
        self.page = LibraryPage(settings)
        # The page's editors, by the names callers and tests know.
        self.template, self.preview, self.mode = self.page.template, self.page.preview, self.page.mode
        self.watch_enabled, self.watch_folder = self.page.watch_enabled, self.page.watch_folder
        self.watch_mode, self.watch_interval = self.page.watch_mode, self.page.watch_interval
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(self.page.valid)
        self.page.valid_changed.connect(save.setEnabled)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #cf222e;")
        self.problem.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        try:
            self.settings()
        except UsageError as exc:
            self.problem.setText(exc.message)
            return
        super().accept()

    def settings(self) -> Settings:
        """Default settings with this dialog's import choices (the caller copies those fields over)."""
        return self.page.values(Settings())
