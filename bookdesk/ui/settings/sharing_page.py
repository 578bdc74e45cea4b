"""Settings → Sharing: the OPDS feeds and the local API served from this window. On or off (off until
turned on), this machine only or the local network too (with the addresses devices type, over TLS and
the certificate's fingerprint to compare), the port, the e-readers' log-in, and the API's keys, made and
revoked here at once (not on Save) and shown again from the keyring."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core import paths
from bookdesk.core.secrets import (
    SHARING_OPDS_PASSWORD,
    SecretStore,
    SecretsUnavailableError,
    environment_variable,
)
from bookdesk.core.settings import Settings
from bookdesk.errors import BookDeskError
from bookdesk.serve.addresses import local_addresses
from bookdesk.serve.policy import no_password_for
from bookdesk.ui import bridge
from bookdesk.ui.settings.page import SettingsPage
from bookdesk.ui.sharing_flow import SharingFlow

HINT_STYLE = "color: palette(placeholder-text);"


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class SharingPage(SettingsPage):
    key = "sharing"
    title = "Sharing"

    def __init__(self, settings: Settings, secrets: SecretStore, sharing: SharingFlow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.secrets, self.sharing = secrets, sharing
        self.enabled = QCheckBox("&Share this library with e-readers (OPDS) and scripts (the API)")
        self.enabled.setChecked(settings.sharing_enabled)
        self.lan = QCheckBox("Allow the &local network (over HTTPS)")
        self.lan.setChecked(settings.sharing_lan)
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(settings.sharing_port)
        self.where = _hint()
        self.lan.toggled.connect(self._show_where)
        self.port.valueChanged.connect(self._show_where)
        self.state = _hint(sharing.state.said() if sharing is not None else "")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.enabled)
        form.addRow(self.lan)
        form.addRow("&Port:", self.port)
        form.addRow(self.where)
        form.addRow(self.state)
        serving = QGroupBox("Serving")
        serving.setLayout(form)

        self.opds_user = QLineEdit(settings.sharing_opds_user)
        self.opds_password = QLineEdit()
        self.opds_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring_note = _hint()  # filled when the page shows: opening Settings asks the keyring nothing
        self.cert_file = QLineEdit(settings.sharing_cert_file)
        self.key_file = QLineEdit(settings.sharing_key_file)
        self.cert_file.setPlaceholderText("none: one made here")
        self.fingerprint = QLabel(self._fingerprint())
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to compare
        login = QFormLayout()
        login.addRow("E-reader &user name:", self.opds_user)
        login.addRow("Pass&word:", self.opds_password)
        login.addRow(self.keyring_note)
        login.addRow(_hint("Without a user name, e-readers on this computer only may read the catalog."))
        login.addRow("Your own &certificate:", self.cert_file)
        login.addRow("Its private &key:", self.key_file)
        login.addRow("Certificate SHA-256:", self.fingerprint)
        security = QGroupBox("Log-in and certificate")
        security.setLayout(login)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(serving)
        layout.addWidget(security)
        layout.addWidget(self._keys_box())
        layout.addStretch(1)
        self._show_where()
        if sharing is not None:
            sharing.state_changed.connect(lambda state: self.state.setText(state.said()))
            self.refresh_keys()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """The keyring is asked whether it keeps the password when the person looks at it, not before."""
        super().showEvent(event)
        if not self.keyring_note.text():
            self.keyring_note.setText(self._password_note())

    def _password_note(self) -> str:
        """Where the e-readers' password is kept, or, with no keyring that answers, where it comes from."""
        variable = environment_variable(SHARING_OPDS_PASSWORD)
        user = self.opds_user.text().strip()
        try:
            have = bool(self.secrets.get(SHARING_OPDS_PASSWORD))
            kept = self.secrets.persistent and have
        except SecretsUnavailableError as exc:
            lacking = no_password_for(user) + " " if user else ""
            return (f"{lacking}{exc.message} Without a keyring, the password is taken from {variable} for each "
                    "run; one typed here is kept only if the keyring takes it.")
        if not self.secrets.persistent:
            # After a restart without a keyring the user name is still here and the password is not.
            lacking = no_password_for(user) + " " if user and not have else ""
            return (f"{lacking}This computer has no system keyring: the password is taken from {variable} for "
                    "each run; one typed here lasts until BookDesk closes.")
        self.opds_password.setPlaceholderText("kept in the keyring" if kept else "")
        return "The password is kept in your system keyring, never in a file."

    def _keys_box(self) -> QGroupBox:
        self.key_list = QListWidget()
        self.key_list.setMinimumHeight(90)
        self.key_list.setMaximumHeight(150)
        self.key_name = QLineEdit()
        self.key_name.setPlaceholderText("a name, such as the script's")
        self.key_writes = QCheckBox("may start &jobs")
        self.make_button = QPushButton("&Make Key")
        self.show_button = QPushButton("S&how Key")
        self.revoke_button = QPushButton("&Revoke")
        self.new_key = QLineEdit()
        self.new_key.setReadOnly(True)
        self.new_key.setPlaceholderText("a key made or shown appears here, to copy")
        self.key_note = _hint("Scripts send it as Authorization: Bearer KEY.")
        for button in (self.make_button, self.show_button, self.revoke_button):
            button.setEnabled(self.sharing is not None)
        self.make_button.clicked.connect(self.make_key)
        self.show_button.clicked.connect(self.show_key)
        self.revoke_button.clicked.connect(self.revoke_key)
        making = QHBoxLayout()
        making.addWidget(self.key_name, 1)
        making.addWidget(self.key_writes)
        making.addWidget(self.make_button)
        acting = QHBoxLayout()
        acting.addWidget(self.show_button)
        acting.addWidget(self.revoke_button)
        acting.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.key_list)
        box.addLayout(acting)
        box.addLayout(making)
        box.addWidget(self.new_key)
        box.addWidget(self.key_note)
        group = QGroupBox("API keys")
        group.setLayout(box)
        return group

    def _show_where(self) -> None:
        port = self.port.value()
        if not self.lan.isChecked():
            self.where.setText(f"On this computer: http://127.0.0.1:{port}/opds")
            return
        # With the network allowed there is one listener, over HTTPS: this computer uses https too.
        found = local_addresses()
        self.where.setText(f"On this computer: https://127.0.0.1:{port}/opds\n"
                           "Devices on the network: " + (", ".join(f"https://{a}:{port}/opds" for a in found)
                                                        or "this computer has no address on a network now"))

    def _fingerprint(self) -> str:
        from bookdesk.serve.tls import CERT_NAME, fingerprint_of

        own = self.cert_file.text().strip()
        made = paths.config_dir() / CERT_NAME
        try:
            if own:
                return fingerprint_of(Path(own).expanduser())
            return fingerprint_of(made) if made.is_file() else "made when the local network is first allowed"
        except BookDeskError as exc:
            return exc.message

    # ----- keys ------------------------------------------------------------------------------

    def refresh_keys(self) -> None:
        async def fill() -> None:
            rows = await self.sharing.keys()
            self.key_list.clear()
            for row in rows:
                words = f"{row.name} — {'read and write' if row.scope == 'write' else 'read only'}, made {row.created_at}"
                item = QListWidgetItem(words + (f", revoked {row.revoked_at}" if row.revoked_at else ""))
                item.setData(Qt.ItemDataRole.UserRole, None if row.revoked_at else row.name)
                self.key_list.addItem(item)

        bridge.start(fill(), what="List the API keys", owner=self)

    def _chosen(self) -> str | None:
        item = self.key_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def make_key(self) -> None:
        async def make() -> None:
            try:
                made = await self.sharing.make_key(self.key_name.text(), self.key_writes.isChecked())
            except BookDeskError as exc:
                self.key_note.setText(exc.message)
                return
            self.new_key.setText(made.key)
            self.key_note.setText(f"Key “{made.name}” made. " + ("The keyring keeps it: Show Key shows it again."
                                  if made.kept else "The keyring could not keep it: copy it now."))
            self.key_name.clear()
            self.refresh_keys()

        bridge.start(make(), what="Make an API key", owner=self)

    def show_key(self) -> None:
        name = self._chosen()
        if name is None:
            self.key_note.setText("Choose a key in force in the list first.")
            return

        async def show() -> None:
            key = await self.sharing.stored_key(name)
            self.new_key.setText(key or "")
            self.key_note.setText(f"Key “{name}”." if key else f"The keyring does not hold “{name}”; make another.")

        bridge.start(show(), what="Show an API key", owner=self)

    def revoke_key(self) -> None:
        name = self._chosen()
        if name is None:
            self.key_note.setText("Choose a key in force in the list first.")
            return

        async def revoke() -> None:
            await self.sharing.revoke_key(name)
            self.new_key.clear()
            self.key_note.setText(f"Key “{name}” revoked: refused from the next request on.")
            self.refresh_keys()

        bridge.start(revoke(), what="Revoke an API key", owner=self)

    # ----- the settings ----------------------------------------------------------------------

    def values(self, settings: Settings) -> Settings:
        return replace(settings, sharing_enabled=self.enabled.isChecked(), sharing_lan=self.lan.isChecked(),
                       sharing_port=self.port.value(), sharing_opds_user=self.opds_user.text().strip(),
                       sharing_cert_file=self.cert_file.text().strip(), sharing_key_file=self.key_file.text().strip())

    def commit(self) -> None:
        if self.opds_password.text():
            self.secrets.set(SHARING_OPDS_PASSWORD, self.opds_password.text())
