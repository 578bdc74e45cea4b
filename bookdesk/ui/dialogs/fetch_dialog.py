"""Download books from web addresses: one address a line, imported when they arrive (or kept aside)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class FetchDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Download from Addresses")
        self.setMinimumWidth(520)
        self.addresses = QPlainTextEdit()
        self.addresses.setPlaceholderText("https://example.org/books/the-left-hand-of-darkness.epub")
        self.addresses.textChanged.connect(self._update)
        self.import_after = QCheckBox("Import the books when they arrive")
        self.import_after.setChecked(True)
        self.import_after.setToolTip("Otherwise they stay in the library's downloads folder")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Download")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Addresses of book files, one a line:"))
        layout.addWidget(self.addresses, 1)
        layout.addWidget(self.import_after)
        layout.addWidget(self.buttons)
        self._update()

    def urls(self) -> list[str]:
        return [line.strip() for line in self.addresses.toPlainText().splitlines() if line.strip()]

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.urls()))
