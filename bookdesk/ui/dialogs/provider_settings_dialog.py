"""Metadata providers: which are on, in which order their answers are preferred, where they are
(for mirrors), and their tokens, which go to the keyring and nowhere else."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, SecretStore
from bookdesk.core.settings import PROVIDERS, Settings

LABELS = {"hardcover": "Hardcover", "openlibrary": "Open Library", "googlebooks": "Google Books",
          "audnexus": "Audnexus (audiobooks)"}
SECRETS = {"hardcover": (HARDCOVER_TOKEN, "API token (from hardcover.app → Settings → API)"),
           "googlebooks": (GOOGLEBOOKS_KEY, "API key (optional; raises the daily quota)")}


class ProviderSettingsDialog(QDialog):
    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.secrets = settings, secrets
        self.setWindowTitle("Metadata Providers")
        self.setMinimumWidth(620)
        self.order = QListWidget()
        for name in [*settings.providers(), *[p for p in PROVIDERS if p not in settings.providers()]]:
            item = QListWidgetItem(LABELS[name], self.order)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if settings.providers_enabled.get(name, True)
                               else Qt.CheckState.Unchecked)
        up, down = QPushButton("Up"), QPushButton("Down")
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        moves = QVBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        moves.addStretch(1)
        order_row = QHBoxLayout()
        order_row.addWidget(self.order, 1)
        order_row.addLayout(moves)
        order_box = QGroupBox("Ask these, the first one's answers preferred")
        order_box.setLayout(order_row)

        form = QFormLayout()
        self.urls: dict[str, QLineEdit] = {}
        for name in PROVIDERS:
            edit = QLineEdit(settings.provider_urls.get(name, ""))
            edit.setPlaceholderText("the public service")
            self.urls[name] = edit
            form.addRow(f"{LABELS[name]} address:", edit)
        self.tokens: dict[str, QLineEdit] = {}
        for name, (secret, hint) in SECRETS.items():
            edit = QLineEdit(secrets.get(secret) or "")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(hint)
            self.tokens[name] = edit
            form.addRow(f"{LABELS[name]} {'token' if name == 'hardcover' else 'key'}:", edit)
        self.keyring_note = QLabel(
            "Tokens are kept in your system keyring." if secrets.persistent else
            "This computer has no system keyring: tokens you enter last until BookDesk closes, and are "
            "never written to a file.")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("" if secrets.persistent else "color: #b46a00;")
        self.write_back = QCheckBox("Also write corrected metadata into the book files (EPUB, audio tags); "
                                    "each original is kept in the library's .backup folder")
        self.write_back.setChecked(settings.write_back_to_files)
        self.language = QLineEdit(settings.series_language)
        self.language.setPlaceholderText("any language (e.g. en, de, fr)")
        self.novellas = QCheckBox("Count novellas (positions like 2.5) as missing books of a series")
        self.novellas.setChecked(settings.series_novellas)
        form.addRow("Your language for series:", self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(order_box)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.write_back)
        layout.addWidget(self.novellas)
        layout.addWidget(buttons)

    def _move(self, step: int) -> None:
        row = self.order.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order.count():
            return
        item = self.order.takeItem(row)
        self.order.insertItem(target, item)
        self.order.setCurrentRow(target)

    def result_settings(self) -> Settings:
        """The settings with these choices; tokens are stored in the SecretStore, not in the settings."""
        names = [self.order.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.order.count())]
        enabled = {self.order.item(i).data(Qt.ItemDataRole.UserRole):
                   self.order.item(i).checkState() == Qt.CheckState.Checked for i in range(self.order.count())}
        urls = {name: edit.text().strip() for name, edit in self.urls.items() if edit.text().strip()}
        for name, edit in self.tokens.items():
            secret = SECRETS[name][0]
            if edit.text().strip():
                self.secrets.set(secret, edit.text().strip())
            else:
                self.secrets.delete(secret)
        from dataclasses import replace

        return replace(self.settings, provider_order=names, providers_enabled=enabled, provider_urls=urls,
                       write_back_to_files=self.write_back.isChecked(),
                       series_language=self.language.text().strip(), series_novellas=self.novellas.isChecked())
