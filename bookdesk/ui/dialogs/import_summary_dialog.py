"""After an import: how it went, each failure with its reason and reference, and Undo."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QVBoxLayout, QWidget

from bookdesk.core.importer.service import ImportItem, ImportReport
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.views.list_table import list_table

COLUMNS: list[ColumnSpec[ImportItem]] = [
    ColumnSpec("File", lambda i: i.path),
    ColumnSpec("Why it failed", lambda i: i.error or ""),
    ColumnSpec("Ref", lambda i: i.correlation_id or ""),
]


ENDINGS = {"succeeded": "Import finished", "failed": "Import failed", "cancelled": "Import cancelled"}


def headline(report: ImportReport, state: str) -> str:
    """How an import ended, as the status bar and this dialog both say it: "Import failed — nothing added"."""
    return f"{ENDINGS.get(state, 'Import stopped')} — {report.summary()}"


class ImportSummaryDialog(QDialog):
    undo_requested = Signal(str)  # correlation id

    def __init__(self, report: ImportReport, parent: QWidget | None = None, state: str = "succeeded",
                 reason: str = "") -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(ENDINGS.get(state, "Import stopped"))
        self.resize(820, 420 if report.failed else 160)
        why = f"<br>{html.escape(reason)}" if reason else ""
        self.headline = QLabel(f"<b>{html.escape(headline(report, state))}</b> in {report.seconds:.1f} s "
                               f"<small>(Ref {report.correlation_id})</small>{why}")
        self.headline.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        self.failures: RecordTableModel[ImportItem] = RecordTableModel(COLUMNS, self)
        self.failures.set_records(report.failed)
        if report.failed:
            note = QLabel("These files were left as they were; the others are in your library.")
            layout.addWidget(note)
            table = list_table(self.failures)
            table.horizontalHeader().resizeSection(0, 360)
            table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.undo_button = buttons.addButton("Undo This Import", QDialogButtonBox.ButtonRole.ResetRole)
        self.undo_button.setEnabled(report.count("added") > 0)
        self.undo_button.clicked.connect(self._undo)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _undo(self) -> None:
        self.undo_requested.emit(self.report.correlation_id)
        self.accept()
