"""Metadata Providers: which are on, in which order their answers are preferred, where they are
(for mirrors), and their tokens, which go to the keyring and nowhere else."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
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

from bookdesk.core.secrets import GOOGLEBOOKS_KEY, HARDCOVER_TOKEN, SecretStore, SecretsUnavailableError
from bookdesk.core.settings import PROVIDERS, Settings
from bookdesk.errors import UsageError
from bookdesk.redaction import storable_url
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.theme import tone

LABELS = {"hardcover": "Hardcover", "openlibrary": "Open Library", "googlebooks": "Google Books",
          "audnexus": "Audnexus (audiobooks)"}
SECRETS = {"hardcover": (HARDCOVER_TOKEN, "API token (from hardcover.app → Settings → API)"),
           "googlebooks": (GOOGLEBOOKS_KEY, "API key (optional; raises the daily quota)")}
STORED = "storedToken"  # a token field's property: what the keyring held when the page was made


def keyring_note_text(secrets: SecretStore, what: str = "tokens") -> str:
    """Where ``what`` (typed in a settings page) are kept: the keyring, or with none only while BookDesk runs."""
    if secrets.persistent:
        return f"{what[0].upper()}{what[1:]} are kept in your system keyring, never in a file."
    return (f"This computer has no system keyring: {what} you enter last until BookDesk closes, and are "
            "never written to a file.")



def add_token_rows(form: QFormLayout, secrets: SecretStore, *, read: bool = True
                   ) -> tuple[dict[str, QLineEdit], str | None]:
    """A hidden field per provider token or key, filled from ``secrets`` when ``read`` (else by
    ``read_tokens`` once shown: opening Settings or the wizard of a first start asks the keyring nothing):
    one look wherever tokens are asked. With the fields, why the keyring could not be read (None when it
    could, or was not asked)."""
    edits: dict[str, QLineEdit] = {}
    for name, (_secret, hint) in SECRETS.items():
        edit = QLineEdit()
        edit.setProperty(STORED, None)  # None: not read, left alone unless typed over
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText(hint)
        edits[name] = edit
        label = QLabel(f"{LABELS[name]} {'&token' if name == 'hardcover' else '&key'}:")
        label.setBuddy(edit)
        form.addRow(label, edit)
    return edits, read_tokens(edits, secrets) if read else None


def read_tokens(edits: dict[str, QLineEdit], secrets: SecretStore) -> str | None:
    """Fill the fields from ``secrets``; why the keyring would not say (None when it did)."""
    for name, edit in edits.items():
        try:
            stored = secrets.get(SECRETS[name][0]) or ""
        except SecretsUnavailableError as exc:
            return exc.message
        edit.setText(stored)
        edit.setProperty(STORED, stored)
    return None


def changed_tokens(edits: dict[str, QLineEdit]) -> dict[str, str]:
    """The secrets' names and new values of the fields the person changed ("" forgets one); a token the
    keyring would not show is left as it is unless something was typed over it."""
    changed = {}
    for name, edit in edits.items():
        value, stored = edit.text().strip(), edit.property(STORED)
        if value != (stored or "") and (value or stored is not None):
            changed[SECRETS[name][0]] = value
    return changed


class ProvidersPage(SettingsPage):
    key = "providers"
    title = "Metadata Providers"

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.secrets = secrets
        self.order = QListWidget()
        self.order.setToolTip("Tick the providers to ask; the first one's answers win when they disagree")
        on = settings.providers()
        for name in [*on, *[p for p in PROVIDERS if p not in on]]:
            item = QListWidgetItem(LABELS[name], self.order)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if settings.providers_enabled.get(name, True)
                               else Qt.CheckState.Unchecked)
        self.order.setMaximumHeight(self.order.sizeHintForRow(0) * (len(PROVIDERS) + 1) + 8)
        up, down = QPushButton("Move &Up"), QPushButton("Move &Down")
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

        tokens = QFormLayout()
        self.tokens, _unread = add_token_rows(tokens, secrets, read=False)  # read once the page shows
        self._tokens_read = False
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        tokens.addRow("", self.keyring_note)
        token_box = QGroupBox("Tokens")
        token_box.setLayout(tokens)

        addresses = QFormLayout()
        self.urls: dict[str, QLineEdit] = {}
        for name in PROVIDERS:
            edit = QLineEdit(settings.provider_urls.get(name, ""))
            edit.setPlaceholderText("the public service")
            self.urls[name] = edit
            addresses.addRow(f"{LABELS[name]}:", edit)
        address_box = QGroupBox("Addresses (only to use a mirror)")
        address_box.setLayout(addresses)

        self.language = QLineEdit(settings.series_language)
        self.language.setPlaceholderText("any language (e.g. en, de, fr)")
        self.language.setToolTip("Books of a series published only in other languages are not counted as missing")
        self.novellas = QCheckBox("Count novellas (positions like 2.5) as missing books of a series")
        self.novellas.setChecked(settings.series_novellas)
        self.write_back = QCheckBox("Also write corrected metadata into the book files (EPUB, audio tags)")
        self.write_back.setToolTip("Each original is kept in the library's .backup folder")
        self.write_back.setChecked(settings.write_back_to_files)
        backup_note = QLabel("Each original is kept in the library's .backup folder; the catalog alone is "
                             "the record when this is off.")
        backup_note.setWordWrap(True)
        backup_note.setStyleSheet("color: palette(placeholder-text);")
        books = QFormLayout()
        books.addRow("Your language for series:", self.language)
        books.addRow("", self.novellas)
        books.addRow("", self.write_back)
        books.addRow("", backup_note)
        books_box = QGroupBox("Series and book files")
        books_box.setLayout(books)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(order_box)
        layout.addWidget(token_box)
        layout.addWidget(address_box)
        layout.addWidget(books_box)
        layout.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """The keyring is asked for the tokens when the person looks at them, not when Settings opens."""
        super().showEvent(event)
        if not self._tokens_read:
            self._tokens_read = True
            refusal = read_tokens(self.tokens, self.secrets)
            self.keyring_note.setText(refusal or keyring_note_text(self.secrets))
            tone(self.keyring_note, None if refusal is None and self.secrets.persistent else "warning")

    def _move(self, step: int) -> None:
        row = self.order.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order.count():
            return
        item = self.order.takeItem(row)
        self.order.insertItem(target, item)
        self.order.setCurrentRow(target)

    def values(self, settings: Settings) -> Settings:
        items = [self.order.item(i) for i in range(self.order.count())]
        names = [item.data(Qt.ItemDataRole.UserRole) for item in items]
        enabled = {item.data(Qt.ItemDataRole.UserRole): item.checkState() == Qt.CheckState.Checked for item in items}
        urls = {name: edit.text().strip() for name, edit in self.urls.items() if edit.text().strip()}
        for name, url in urls.items():
            if not url.startswith(("http://", "https://")):
                raise UsageError(f"The address of {LABELS[name]} must start with http:// or https://.")
            if storable_url(url) != url:  # the settings file would keep it without: say so, not drop it
                where = " (its key goes under Tokens above, where the keyring keeps it)" if name in SECRETS else ""
                raise UsageError(f"The address of {LABELS[name]} has a login or key written into it; the settings "
                                 f"file keeps no logins: give the address without it{where}.")
        return replace(settings, provider_order=names, providers_enabled=enabled, provider_urls=urls,
                       write_back_to_files=self.write_back.isChecked(),
                       series_language=self.language.text().strip(), series_novellas=self.novellas.isChecked())

    def commit_secrets(self) -> None:
        """Changed tokens into the SecretStore; a cleared field forgets its token. The keyring is not
        asked about the ones left as they were."""
        for secret, value in changed_tokens(self.tokens).items():
            if value:
                self.secrets.set(secret, value)
            else:
                self.secrets.delete(secret)

    commit = commit_secrets
