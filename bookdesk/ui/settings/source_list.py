"""The sources of one kind (OPDS catalogs, indexers, download clients or Audiobookshelf servers): a list
of names and the form of the chosen one. Secrets typed here go to the keyring when the settings are
saved, under the source's name; a renamed source takes its secret along, a removed one leaves none
behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.acquisition import config
from bookdesk.core.audiobookshelf import config as abs_config
from bookdesk.core.secrets import SecretStore, source_secret
from bookdesk.errors import UsageError
from bookdesk.ui.settings.abs_server_form import FieldChecks, trust_certificate
from bookdesk.ui.settings.providers_page import keyring_note_text
from bookdesk.ui.settings.source_login import move_login
from bookdesk.ui.theme import tone


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text, secret, choice, bool, mappings, list (comma-separated), checks (sync fields)
    choices: tuple[str, ...] = ()
    default: object = ""
    hint: str = ""


SOURCE_FIELDS: dict[str, tuple[Field, ...]] = {
    "opds": (
        Field("name", "Name"),
        Field("url", "Address", hint="https://my-calibre:8080/opds"),
        Field("username", "User name", hint="only if the catalog asks for one"),
        Field("password", "Password", "secret"),
    ),
    "indexer": (
        Field("name", "Name"),
        Field("kind", "Kind", "choice", config.INDEXER_KINDS, "torznab"),
        Field("url", "Address", hint="http://localhost:9696/1/api (Prowlarr) or Jackett's Torznab feed"),
        Field("password", "API key", "secret"),
        Field("enabled", "Search it", "bool", default=True),
    ),
    "client": (
        Field("name", "Name"),
        Field("kind", "Kind", "choice", config.CLIENT_KINDS, "qbittorrent"),
        Field("url", "Address", hint="http://localhost:8080 (qBittorrent) or http://localhost:9091 (Transmission)"),
        Field("username", "User name"),
        Field("password", "Password", "secret"),
        Field("category", "Category", default="bookdesk"),
        Field("save_path", "Save to", hint="the client's folder for books; empty: its default"),
        Field("path_mappings", "Path mappings", "mappings",
              hint="one a line: the client's folder => this computer's folder"),
        Field("remove_after_import", "Remove the torrent after importing (stop seeding)", "bool", default=False),
        Field("enabled", "Use it", "bool", default=True),
    ),
    "audiobookshelf": (
        Field("name", "Name"),
        Field("url", "Address", hint="http://my-nas:13378"),
        Field("username", "User name", hint="only to log in with a password instead of an API key"),
        Field("password", "API key or password", "secret"),
        Field("libraries", "Libraries", "list", default=(),
              hint="the server's libraries to read, separated by commas; empty: every one"),
        Field("path_mappings", "Path mappings", "mappings",
              hint="one a line, when this computer sees the server's disk: the server's folder => this computer's"),
        Field("sync_fields", "Fields to sync", "checks", default=None),
        Field("send_downloads_to", "Send downloaded audiobooks to",
              hint="a library of this server, by name; empty: none are sent by themselves"),
        Field("enabled", "Pull from it", "bool", default=True),
    ),
}
TITLES = {"opds": "Catalogs (OPDS)", "indexer": "Indexers", "client": "Download clients",
          "audiobookshelf": "Audiobookshelf"}
PARSERS: dict[str, Callable[[list[dict]], list]] = {"opds": config.opds_catalogs, "indexer": config.indexers,
                                                    "client": config.clients, "audiobookshelf": abs_config.servers}
NEW_NAMES = {"opds": "Catalog", "indexer": "Indexer", "client": "Client", "audiobookshelf": "Server"}
# Path mappings as typed when they do not parse: kept with the source (so moving to another source
# loses nothing) and refused when the settings are saved.
RAW_MAPPINGS = "_mappings_as_typed"


def mappings_text(mappings: list[dict]) -> str:
    return "\n".join(f"{m.get('remote', '')} => {m.get('local', '')}" for m in mappings)


def parse_mappings(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "=>" not in line:
            raise UsageError(f"A path mapping is \"client folder => local folder\", not {line.strip()!r}.")
        remote, local = (part.strip() for part in line.split("=>", 1))
        found.append({"remote": remote, "local": local})
    return found


class SourceList(QWidget):
    """The sources of one kind: a list of names, and the form of the chosen one."""

    test_requested = Signal(str, dict, str)  # kind, the source as the settings keep it, its secret

    def __init__(self, kind: str, sources: list[dict], secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind, self.secrets = kind, secrets
        self.sources = [dict(s) for s in sources]
        # Beside each source: the name its secret is kept under now (None for a new one), and a secret
        # typed here, not yet stored.
        self.origins: list[str | None] = [str(s.get("name", "")) for s in sources]
        self.typed: list[str] = ["" for _ in sources]
        self._removed: list[str] = []  # names whose secrets go when the settings are saved
        self.names = QListWidget()
        self.names.currentRowChanged.connect(self._show)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        self.test_button = QPushButton("Test")
        self.test_button.setToolTip("Ask the source whether it answers, with these settings")
        self.test_button.clicked.connect(self._test)
        self.result = QLabel()
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        left = QVBoxLayout()
        left.addWidget(self.names, 1)
        left.addLayout(buttons)
        self.form = QFormLayout()
        self.editors: dict[str, QWidget] = {}
        for spec in SOURCE_FIELDS[kind]:
            editor = self._editor(spec)
            self.editors[spec.key] = editor
            if spec.kind == "bool":
                self.form.addRow("", editor)
            else:
                self.form.addRow(spec.label, editor)
        right = QVBoxLayout()
        right.addLayout(self.form)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)
        right.addLayout(test_row)
        right.addStretch(1)
        self.form_box = QWidget()
        self.form_box.setLayout(right)
        self.keyring_note = QLabel()  # said once the tab is shown: asking what the keyring is loads it
        self.keyring_note.setWordWrap(True)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.form_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.keyring_note)
        for source in self.sources:
            QListWidgetItem(source.get("name", ""), self.names)
        self._current = -1
        self.names.setCurrentRow(0 if self.sources else -1)
        self.form_box.setEnabled(bool(self.sources))

    def _editor(self, spec: Field) -> QWidget:
        if spec.kind == "choice":
            box = QComboBox()
            box.addItems(list(spec.choices))
            return box
        if spec.kind == "bool":
            return QCheckBox(spec.label)
        if spec.kind == "checks":
            return FieldChecks()
        if spec.kind == "mappings":
            text = QPlainTextEdit()
            text.setPlaceholderText(f"/downloads/books => /home/me/Downloads/books\n({spec.hint})")
            text.setFixedHeight(64)
            return text
        line = QLineEdit()
        if spec.kind == "secret":
            line.setEchoMode(QLineEdit.EchoMode.Password)
        if spec.hint:
            line.setPlaceholderText(spec.hint)
        return line

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.keyring_note.text():
            self.keyring_note.setText(keyring_note_text(self.secrets, "passwords and API keys"))
            tone(self.keyring_note, None if self.secrets.persistent else "warning")

    # ----- moving between sources ------------------------------------------------------------------

    def add(self) -> None:
        self._store()
        base = NEW_NAMES[self.kind]
        taken = {s.get("name") for s in self.sources}
        name = next(f"{base} {n}" for n in range(1, 1000) if f"{base} {n}" not in taken)
        source = {spec.key: [] if spec.kind in ("mappings", "list") else spec.default
                  for spec in SOURCE_FIELDS[self.kind] if spec.kind != "secret"}
        source["name"] = name
        self.sources.append(source)
        self.origins.append(None)
        self.typed.append("")
        QListWidgetItem(name, self.names)
        self._current = -1
        self.names.setCurrentRow(len(self.sources) - 1)
        self.form_box.setEnabled(True)
        self.editors["name"].setFocus()

    def remove(self) -> None:
        row = self.names.currentRow()
        if row < 0:
            return
        self._current = -1
        if self.origins[row]:
            self._removed.append(self.origins[row])
        del self.sources[row], self.origins[row], self.typed[row]
        self.names.takeItem(row)
        self.form_box.setEnabled(bool(self.sources))
        if self.sources:
            self.names.setCurrentRow(min(row, len(self.sources) - 1))
            self._show(self.names.currentRow())

    def _show(self, row: int) -> None:
        self._store()
        self._current = row
        self.result.clear()
        if row < 0 or row >= len(self.sources):
            return
        source = self.sources[row]
        for spec in SOURCE_FIELDS[self.kind]:
            editor = self.editors[spec.key]
            value = source.get(spec.key, spec.default)
            if spec.kind == "choice":
                editor.setCurrentText(str(value))
            elif spec.kind == "bool":
                editor.setChecked(bool(value))
            elif spec.kind == "mappings":
                editor.setPlainText(source.get(RAW_MAPPINGS) or mappings_text(list(value or [])))
            elif spec.kind == "list":
                editor.setText(", ".join(str(v) for v in value or ()))
            elif spec.kind == "checks":
                editor.set_values(value if isinstance(value, list | tuple) else None)  # a wrong one: every field
            elif spec.kind == "secret":
                editor.setText(self.typed[row])
                kept = self._kept(row)
                editor.setPlaceholderText("kept in the keyring" if kept else "")
            else:
                editor.setText(str(value or ""))

    def _store(self) -> None:
        """The form's values back into the source being shown."""
        row = self._current
        if row < 0 or row >= len(self.sources):
            return
        source = self.sources[row]
        for spec in SOURCE_FIELDS[self.kind]:
            editor = self.editors[spec.key]
            if spec.kind == "choice":
                source[spec.key] = editor.currentText()
            elif spec.kind == "bool":
                source[spec.key] = editor.isChecked()
            elif spec.kind == "mappings":
                text = editor.toPlainText()
                try:
                    source[spec.key] = parse_mappings(text)
                    source.pop(RAW_MAPPINGS, None)
                except UsageError:
                    source[RAW_MAPPINGS] = text
            elif spec.kind == "list":
                source[spec.key] = [part.strip() for part in editor.text().split(",") if part.strip()]
            elif spec.kind == "checks":
                source[spec.key] = editor.values()
            elif spec.kind == "secret":
                self.typed[row] = editor.text()
            else:
                source[spec.key] = editor.text().strip()
        item = self.names.item(row)
        if item is not None:
            item.setText(str(source.get("name", "")))

    def values(self) -> list[dict]:
        """The sources as the settings keep them; raises UsageError with what is wrong, and when a login
        written into an address was moved to its fields (the person checks them and saves again)."""
        self._store()
        self._move_logins()
        cleaned = [_checked(s) for s in self.sources]
        PARSERS[self.kind](cleaned)
        return cleaned

    def _move_logins(self) -> None:
        labels = {spec.key: spec.label for spec in SOURCE_FIELDS[self.kind] if spec.key in ("username", "password")}
        said = []
        for row, source in enumerate(self.sources):
            moved = move_login(self.kind, source, self.typed[row], labels)
            if moved is not None:
                self.sources[row], self.typed[row] = moved.source, moved.secret
                said.append(moved.said)
        if said:
            self._current = -1  # shown again from the sources, not stored back from the form
            self._show(self.names.currentRow())
            raise UsageError(" ".join(said))

    @property
    def new_secrets(self) -> dict[str, str]:
        """Source name -> a secret typed here and not stored yet."""
        return {str(s.get("name", "")): typed for s, typed in zip(self.sources, self.typed, strict=True) if typed}

    def _kept(self, row: int) -> str | None:
        origin = self.origins[row]
        return self.secrets.get(source_secret(self.kind, origin)) if origin else None

    def secret_for(self, name: str) -> str:
        for row, source in enumerate(self.sources):
            if source.get("name") == name:
                return self.typed[row] or self._kept(row) or ""
        return ""

    def commit_secrets(self) -> None:
        """Typed secrets into the keyring; a renamed source's secret follows it, a removed one's goes."""
        names = [str(s.get("name", "")) for s in self.sources]
        moved = {row: self._kept(row) for row, name in enumerate(names)
                 if self.origins[row] and self.origins[row] != name and not self.typed[row]}
        unchanged = {name for row, name in enumerate(names) if self.origins[row] == name}
        for origin in {o for o in self.origins if o} | set(self._removed):
            if origin not in unchanged:
                self.secrets.delete(source_secret(self.kind, origin))
        for row, name in enumerate(names):
            value = self.typed[row] or moved.get(row)
            if value:
                self.secrets.set(source_secret(self.kind, name), value)
        self.origins, self.typed, self._removed = list(names), ["" for _ in names], []

    def _test(self) -> None:
        try:
            self._store()
            source = _checked(self.sources[self.names.currentRow()])
            PARSERS[self.kind]([source])
        except (UsageError, IndexError) as exc:
            self.show_result(False, getattr(exc, "message", str(exc)))
            return
        self.result.setText("Asking…")
        self.test_requested.emit(self.kind, dict(source), self.secret_for(str(source.get("name", ""))))

    def show_result(self, ok: bool, text: str, fingerprint: str = "") -> None:
        """What Test found; ``fingerprint``: of a certificate this computer does not trust, which the person
        may accept (kept with the source as ``tls_fingerprint``), and Test asks again."""
        self.result.setText(("✔ " if ok else "✘ ") + text)
        tone(self.result, None if ok else "problem")
        row = self.names.currentRow()
        if not fingerprint or not 0 <= row < len(self.sources):
            return
        source = self.sources[row]
        if trust_certificate(self, str(source.get("name", "")), str(source.get("url", "")), fingerprint):
            source["tls_fingerprint"] = fingerprint
            self._test()


def _checked(source: dict) -> dict:
    """A source without this form's bookkeeping; raises UsageError for mappings that do not parse."""
    if RAW_MAPPINGS in source:
        parse_mappings(source[RAW_MAPPINGS])
    return {k: v for k, v in source.items() if k != RAW_MAPPINGS}
