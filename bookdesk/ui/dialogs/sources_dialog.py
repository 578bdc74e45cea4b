"""Where books come from: OPDS catalogs, indexers (Torznab/Newznab) and download clients
(qBittorrent, Transmission) with their path mappings. Passwords and API keys go to the keyring,
never to the settings file; a Test button asks the source itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.acquisition import config
from bookdesk.core.secrets import SecretStore, source_secret
from bookdesk.core.settings import Settings
from bookdesk.errors import UsageError


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text, secret, choice, bool, mappings
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
}
TITLES = {"opds": "Catalogs (OPDS)", "indexer": "Indexers", "client": "Download clients"}
PARSERS: dict[str, Callable[[list[dict]], list]] = {"opds": config.opds_catalogs, "indexer": config.indexers,
                                                    "client": config.clients}


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
        self.new_secrets: dict[str, str] = {}  # source name -> a secret typed in this dialog
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
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.form_box, 2)
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

    # ----- moving between sources ------------------------------------------------------------------

    def add(self) -> None:
        self._store()
        base = {"opds": "Catalog", "indexer": "Indexer", "client": "Client"}[self.kind]
        taken = {s.get("name") for s in self.sources}
        name = next(f"{base} {n}" for n in range(1, 1000) if f"{base} {n}" not in taken)
        source = {spec.key: spec.default for spec in SOURCE_FIELDS[self.kind] if spec.kind != "secret"}
        source["name"] = name
        if self.kind == "client":
            source["path_mappings"] = []
        self.sources.append(source)
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
        del self.sources[row]
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
                editor.setPlainText(mappings_text(list(value or [])))
            elif spec.kind == "secret":
                editor.clear()
                kept = self.secrets.get(source_secret(self.kind, str(source.get("name", ""))))
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
                source[spec.key] = parse_mappings(editor.toPlainText())
            elif spec.kind == "secret":
                if editor.text():
                    self.new_secrets[str(self.editors["name"].text()).strip()] = editor.text()
            else:
                source[spec.key] = editor.text().strip()
        item = self.names.item(row)
        if item is not None:
            item.setText(str(source.get("name", "")))

    def values(self) -> list[dict]:
        self._store()
        PARSERS[self.kind](self.sources)  # raises UsageError with what is wrong
        return [dict(s) for s in self.sources]

    def secret_for(self, name: str) -> str:
        return self.new_secrets.get(name) or self.secrets.get(source_secret(self.kind, name)) or ""

    def _test(self) -> None:
        try:
            self._store()
            source = self.sources[self.names.currentRow()]
            PARSERS[self.kind]([source])
        except (UsageError, IndexError) as exc:
            self.show_result(False, getattr(exc, "message", str(exc)))
            return
        self.result.setText("Asking…")
        self.test_requested.emit(self.kind, dict(source), self.secret_for(str(source.get("name", ""))))

    def show_result(self, ok: bool, text: str) -> None:
        self.result.setText(("✔ " if ok else "✘ ") + text)
        self.result.setStyleSheet("" if ok else "color: #cf222e;")


class SourcesDialog(QDialog):
    test_requested = Signal(str, dict, str)

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.secrets = settings, secrets
        self.setWindowTitle("Sources and Download Clients")
        self.setMinimumSize(760, 440)
        self.tabs = QTabWidget()
        self.lists = {"opds": SourceList("opds", settings.opds_catalogs, secrets),
                      "indexer": SourceList("indexer", settings.indexers, secrets),
                      "client": SourceList("client", settings.download_clients, secrets)}
        for kind, widget in self.lists.items():
            self.tabs.addTab(widget, TITLES[kind])
            widget.test_requested.connect(self.test_requested.emit)
        limits = QHBoxLayout()
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 20)
        self.concurrency.setValue(settings.download_concurrency)
        self.per_host = QSpinBox()
        self.per_host.setRange(1, 20)
        self.per_host.setValue(settings.download_per_host)
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 100)
        self.threshold.setSuffix(" %")
        self.threshold.setValue(round(settings.grab_threshold * 100))
        self.threshold.setToolTip("A release must score at least this to be grabbed without asking you")
        for label, box in (("Downloads at once", self.concurrency), ("from one server", self.per_host),
                           ("Grab releases scoring at least", self.threshold)):
            limits.addWidget(QLabel(label))
            limits.addWidget(box)
        limits.addStretch(1)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #cf222e;")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(limits)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        """The settings as edited; raises UsageError with what is wrong."""
        return replace(self.settings, opds_catalogs=self.lists["opds"].values(),
                       indexers=self.lists["indexer"].values(),
                       download_clients=self.lists["client"].values(),
                       download_concurrency=self.concurrency.value(), download_per_host=self.per_host.value(),
                       grab_threshold=self.threshold.value() / 100)

    def accept(self) -> None:
        try:
            self.edited = self.result_settings()
        except UsageError as exc:
            self.problem.setText(exc.message)
            return
        for kind, widget in self.lists.items():
            names = {s["name"] for s in widget.sources}
            for name, secret in widget.new_secrets.items():
                if name in names:
                    self.secrets.set(source_secret(kind, name), secret)
        super().accept()

    def show_test_result(self, kind: str, ok: bool, text: str) -> None:
        self.lists[kind].show_result(ok, text)

