"""A book's History tab: every change to its metadata, where it came from, and Undo for each."""

from __future__ import annotations

import json
from datetime import UTC

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bookdesk.core.library_service import LibraryService
from bookdesk.data.catalog_rows import FieldChangeRecord
from bookdesk.errors import BookDeskError
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.views.list_table import list_table


def value_text(value: object) -> str:
    """A field's value as a person reads it: lists joined, series as "Name #2", nothing as a dash."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return "; ".join(_item_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _item_text(item: object) -> str:
    """One series ("Earthsea #2"), one person ("Royall Tyler (translator)"; an author by name alone)."""
    if not isinstance(item, dict):
        return str(item)
    if item.get("label"):
        return f"{item['name']} #{item['label']}"
    if item.get("role", "author") != "author":
        return f"{item['name']} ({item['role']})"
    return str(item["name"])


def by_whom(source: str) -> str:
    """Who made a change, as a person reads it: their own edits are "you"."""
    return "you" if source == "user" else source


def _when(change: FieldChangeRecord) -> str:
    return change.changed_at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _by(change: FieldChangeRecord) -> str:
    return by_whom(change.source) + (" (undone)" if change.undone else "")


def _summary(change: FieldChangeRecord) -> str:
    """Two lines for a narrow pane: what, who and when; then the change itself."""
    return (f"{change.field.replace('_', ' ').capitalize()} · {_by(change)} · {_when(change)}\n"
            f"{value_text(change.old_value)} → {value_text(change.new_value)}")


def _details(change: FieldChangeRecord) -> str:
    return "\n".join([f"{change.field.replace('_', ' ').capitalize()}, changed {_when(change)} by {_by(change)}",
                      f"Was: {value_text(change.old_value)}", f"Became: {value_text(change.new_value)}",
                      f"Ref {change.correlation_id}" if change.correlation_id else "No Ref"])


COLUMNS: list[ColumnSpec[FieldChangeRecord]] = [
    ColumnSpec("When", _when),
    ColumnSpec("Field", lambda c: c.field.replace("_", " ")),
    ColumnSpec("Was", lambda c: value_text(c.old_value)),
    ColumnSpec("Became", lambda c: value_text(c.new_value)),
    ColumnSpec("By", _by),
    ColumnSpec("Ref", lambda c: c.correlation_id or ""),
    ColumnSpec("Change", _summary, tooltip=_details),
]
SHOWN = 6  # the tab beside Details is a few hundred pixels: one two-line column; the rest in its tooltip


class HistoryView(QWidget):
    changed = Signal(int)  # work id, after an undo

    def __init__(self, service: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.work_id: int | None = None
        self.model: RecordTableModel[FieldChangeRecord] = RecordTableModel(COLUMNS, self)
        self.table = list_table(self.model)
        for column in range(len(COLUMNS)):
            self.table.setColumnHidden(column, column != SHOWN)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long text elides
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(2 * self.table.fontMetrics().lineSpacing() + 10)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.undo_button = QPushButton("Undo This Change")
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.show_work(None)

    def show_work(self, work_id: int | None) -> None:
        self.work_id = work_id
        changes = self.service.history(work_id) if work_id is not None else []
        self.model.set_records(changes)
        if work_id is None:
            self.note.setText("Select a book to see how its details changed.")
        elif not changes:
            self.note.setText("No changes yet: what you see is what the file said when it was imported.")
        else:
            self.note.setText(f"{len(changes)} changes, newest first.")
        self._update_buttons()

    def selected(self) -> FieldChangeRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def undo_selected(self) -> None:
        change = self.selected()
        if change is None or self.work_id is None:
            return
        try:
            self.service.undo(change.id)
        except BookDeskError as exc:
            self.note.setText(exc.message)
            return
        self.show_work(self.work_id)
        self.changed.emit(change.work_id)

    def _update_buttons(self) -> None:
        change = self.selected()
        self.undo_button.setEnabled(change is not None and not change.undone and change.source != "undo")
        if change is not None and change.field == "cover":
            self.undo_button.setToolTip(json.dumps(change.old_value))
