"""The dry run shown before an import: what will be added and where, what is already there,
what cannot be read; the user picks copy, move or link and says Import."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.importer.plan import ATTACH, DUPLICATE, FAILED, NEW, UNCHANGED, ImportPlan, PlannedItem
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.theme import tone_colour
from bookdesk.ui.views.list_table import list_table

STATUS_TEXT = {NEW: "New", ATTACH: "New format", DUPLICATE: "Already there", UNCHANGED: "Already there",
               FAILED: "Problem"}
MODE_TEXT = {"copy": "Copy into the library (keep the originals)",
             "move": "Move into the library (remove the originals once imported)",
             "link": "Hard-link into the library (same disk only; no extra space)"}

COLUMNS: list[ColumnSpec[PlannedItem]] = [
    ColumnSpec("Status", lambda i: STATUS_TEXT.get(i.status, i.status)),
    ColumnSpec("Title", lambda i: i.title),
    ColumnSpec("Authors", lambda i: i.authors),
    ColumnSpec("Format", lambda i: i.format.upper()),
    ColumnSpec("Goes to / why not", lambda i: i.destination if i.status in (NEW, ATTACH) else i.reason),
    ColumnSpec("From", lambda i: str(i.source)),
]


class PlanModel(RecordTableModel[PlannedItem]):
    """Problems in red and books already there greyed, so the eye finds what needs it."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001 - Qt signature
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            status = self.records[index.row()].status
            if status == FAILED:
                return QBrush(QColor(200, 40, 40))
            if status in (DUPLICATE, UNCHANGED):
                return QBrush(QColor(128, 128, 128))
        return super().data(index, role)


class ImportPreviewDialog(QDialog):
    def __init__(self, plan: ImportPlan, default_mode: str = "copy", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import books")
        self.resize(980, 560)
        self.summary = QLabel(self._summary_text())
        self.summary.setWordWrap(True)
        self.model = PlanModel(COLUMNS, self)
        order = {FAILED: 0, NEW: 1, ATTACH: 2, DUPLICATE: 3, UNCHANGED: 4}
        self.model.set_records(sorted(plan.items, key=lambda i: (order.get(i.status, 9), i.title.casefold())))
        self.table = list_table(self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate((100, 240, 160, 60, 300)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        to_add = plan.books_to_add()
        self.mode, self.import_button, bottom = how_and_go(self, MODE_TEXT, default_mode,
                                                           f"Import {to_add:,} book{'s' if to_add != 1 else ''}",
                                                           to_add > 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def chosen_mode(self) -> str:
        return self.mode.currentData()

    def _summary_text(self) -> str:
        plan = self.plan
        # Counted as the Library will count them: a format of a book this import adds is that book's.
        new = plan.count(NEW)
        joined = plan.joined()
        formats = plan.count(ATTACH) - joined
        parts = [f"<b>{new:,}</b> new book{'s' if new != 1 else ''}" + (f" ({new + joined:,} files)" if joined else "")]
        if formats:
            parts.append(f"<b>{formats:,}</b> more format{'s' if formats != 1 else ''} of "
                         f"{'a book' if formats == 1 else 'books'} you have")
        if plan.count(DUPLICATE, UNCHANGED):
            parts.append(f"{plan.count(DUPLICATE, UNCHANGED):,} already in your library (skipped)")
        if plan.count(FAILED):
            problem = tone_colour("problem")
            parts.append(f"<span style='color:{problem}'>{plan.count(FAILED):,} that cannot be imported</span>")
        return " · ".join(parts) + f"<br><small>Ref {plan.correlation_id}</small>"


def how_and_go(dialog: QDialog, modes: dict[str, str], current: str, go: str,
               enabled: bool) -> tuple[QComboBox, QPushButton, QHBoxLayout]:
    """The foot of a preview: how (a choice of ``modes``, ``current`` chosen), Cancel, and the button that
    goes ahead (``go``, the default, accepting the dialog)."""
    mode = QComboBox()
    for name, text in modes.items():
        mode.addItem(text, name)
    mode.setCurrentIndex(list(modes).index(current) if current in modes else 0)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = buttons.addButton(go, QDialogButtonBox.ButtonRole.AcceptRole)
    button.setEnabled(enabled)
    button.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    bottom = QHBoxLayout()
    bottom.addWidget(QLabel("How:"))
    bottom.addWidget(mode, 1)
    bottom.addWidget(buttons)
    return mode, button, bottom
