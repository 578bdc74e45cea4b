"""The strip above the views that says the library can only be read, and why.

Shown from the start when the library opened read-only (a read-only file, folder or disk, a full
disk), and from the moment damage is found in the catalog while in use: then the damaged-catalog
dialog (with the way back to a good copy) is shown once as well, through the one ErrorPresenter.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from bookdesk.data.catalog import Catalog
from bookdesk.errors import CatalogCorruptError, CatalogDiskFullError
from bookdesk.ui.bridge import to_gui
from bookdesk.ui.dialogs.error_dialog import ErrorPresenter

STYLE = ("QLabel { background: #fff8c5; color: #3b2300; border-bottom: 1px solid #d4a72c; "
         "padding: 6px 10px; }")


class ReadOnlyBanner(QLabel):
    def __init__(self, catalog: Catalog, presenter: ErrorPresenter) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._presenter = presenter
        self._damage_found = to_gui(self, self._on_damage)  # called from whichever thread found it
        catalog.damage_listeners.append(self._found)
        self.setVisible(False)
        if catalog.refusal is not None:
            self.show_reason(catalog.refusal.message, disk_full=isinstance(catalog.refusal, CatalogDiskFullError))

    def show_reason(self, message: str, *, disk_full: bool = False) -> None:
        lead = "No room to change anything" if disk_full else "Read-only"
        self.setText(f"<b>{lead}.</b> {message}")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setVisible(True)

    def _found(self, error: CatalogCorruptError) -> None:
        with contextlib.suppress(RuntimeError):  # the app's loop is gone already (quitting)
            self._damage_found(error.message, error.correlation_id or "", error.detail or "")

    def _on_damage(self, message: str, reference: str, detail: str) -> None:
        self.show_reason(message)
        self._presenter.report(message, reference or None, detail)
