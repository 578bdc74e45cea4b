"""What the Audiobookshelf tab of Sources & Clients has beyond the fields every source has: a checkbox for
each field a push may send to the server's items (``sync_fields``), and the question asked when Test meets
a certificate this computer does not trust ("Trust this certificate?", with its SHA-256 fingerprint)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QGridLayout, QMessageBox, QWidget

from bookdesk.core.audiobookshelf.push_fields import SYNC_FIELDS

LABELS = {"title": "Title", "subtitle": "Subtitle", "authors": "Authors", "narrators": "Narrators",
          "series": "Series", "description": "Description", "genres": "Genres", "asin": "ASIN", "isbn": "ISBN",
          "year": "Year", "language": "Language", "publisher": "Publisher"}
COLUMNS = 4


class FieldChecks(QWidget):
    """One checkbox per field a push may send; ``values`` in the order of SYNC_FIELDS."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for index, name in enumerate(SYNC_FIELDS):
            box = QCheckBox(LABELS.get(name, name))
            box.setToolTip(f"Send corrections of {LABELS.get(name, name).lower()} made here to the server's items")
            self.boxes[name] = box
            grid.addWidget(box, index // COLUMNS, index % COLUMNS)

    def set_values(self, chosen: Sequence[str] | None) -> None:
        chosen = SYNC_FIELDS if chosen is None else tuple(chosen)
        for name, box in self.boxes.items():
            box.setChecked(name in chosen)

    def values(self) -> list[str]:
        return [name for name in SYNC_FIELDS if self.boxes[name].isChecked()]


def trust_certificate(parent: QWidget, name: str, url: str, fingerprint: str) -> bool:
    """Whether the person accepts the certificate of ``fingerprint`` for the server: they compare it with
    the one the server shows (its web page's certificate, or the NAS's settings)."""
    answer = QMessageBox.question(
        parent, "Trust this certificate?",
        f"The Audiobookshelf server {name} at {url} has a certificate this computer does not trust (self-signed, "
        f"as on many NAS boxes). Its SHA-256 fingerprint is:\n\n{fingerprint}\n\nTrust it only if it is the "
        "fingerprint your server shows. BookDesk will then accept this certificate for this server, and refuse "
        "any other.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
