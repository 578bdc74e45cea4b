"""The preview shown before a calibre library comes over: each book, its formats and where they will be
(calibre's own files, in place; or the library's, copied or linked), what is there already, what is wrong
with the library; the person picks how and says Bring Over."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from bookdesk.core.calibre.plan import (
    IN_PLACE,
    REMOVED_HERE,
    UPDATE,
    CalibreItem,
    CalibrePlan,
    guess_read_column,
    read_columns,
)
from bookdesk.core.importer.plan import DUPLICATE, FAILED, NEW
from bookdesk.ui.dialogs.import_preview_dialog import how_and_go
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.theme import tone_colour
from bookdesk.ui.views.column_fit import ColumnFit
from bookdesk.ui.views.list_table import list_table

STATUS_TEXT = {NEW: "New", UPDATE: "Changed in calibre", DUPLICATE: "Already here", FAILED: "Problem",
               REMOVED_HERE: "Removed here"}
MODE_TEXT = {IN_PLACE: "In place: use calibre's files where they are (BookDesk never changes them)",
             "copy": "Copy the files into the library (calibre's stay as they are)",
             "link": "Hard-link the files into the library (same disk only; no extra space)"}

COLUMNS: list[ColumnSpec[CalibreItem]] = [
    ColumnSpec("Status", lambda i: STATUS_TEXT.get(i.status, i.status)),
    ColumnSpec("Title", lambda i: i.title),
    ColumnSpec("Authors", lambda i: i.authors),
    ColumnSpec("Formats", lambda i: i.formats),
    ColumnSpec("Why not", lambda i: i.reason),
    ColumnSpec("In calibre", lambda i: i.source),
]


class CalibreImportDialog(QDialog):
    def __init__(self, plan: CalibrePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Add a calibre Library")
        self.resize(980, 560)
        self.summary = QLabel(self._summary_text())
        self.summary.setWordWrap(True)
        self.model = RecordTableModel(COLUMNS, self)
        order = {FAILED: 0, NEW: 1, UPDATE: 2, DUPLICATE: 3}
        self.model.set_records(sorted(plan.items, key=lambda i: (order.get(i.status, 9), i.title.casefold())))
        self.table = list_table(self.model)
        self.columns = ColumnFit(self.table, elastic=(1, 2, 4, 5))  # title, authors, why not, where in calibre
        self.problems = QPlainTextEdit("\n".join(plan.problems))
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(90)
        self.problems.setVisible(bool(plan.problems))

        books = plan.count(NEW, UPDATE)
        work = bool(books or plan.removed)
        go = f"Bring Over {books:,} Book{'s' if books != 1 else ''}" if books or not work else "Bring Over the Changes"
        self.mode, self.import_button, bottom = how_and_go(self, MODE_TEXT, plan.mode, go, work)
        self.read_column = QComboBox()
        self.read_column.addItem("Read state: not from calibre", None)
        by_label = {c.label: c for c in plan.columns}
        for label in read_columns(plan.columns):
            self.read_column.addItem(f"Read state from the column {by_label[label].name} (#{label})", label)
        chosen = self.read_column.findData(guess_read_column(plan.columns))
        self.read_column.setCurrentIndex(max(chosen, 0))
        self.read_column.setEnabled(self.read_column.count() > 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.read_column)
        layout.addLayout(bottom)

    def chosen_mode(self) -> str:
        return self.mode.currentData()

    def chosen_read_column(self) -> str | None:
        """The custom column chosen as the read state, by its label; None: BookDesk's own read state stays."""
        return self.read_column.currentData()

    def _summary_text(self) -> str:
        plan = self.plan
        parts = [f"<b>{plan.count(NEW):,}</b> book{'s' if plan.count(NEW) != 1 else ''} to bring over from "
                 f"{plan.folder}"]
        if plan.count(UPDATE):
            parts.append(f"{plan.count(UPDATE):,} changed in calibre since (a field changed here too goes to review)")
        if plan.removed:
            parts.append(f"{len(plan.removed):,} removed in calibre")
        if plan.count(DUPLICATE):
            parts.append(f"{plan.count(DUPLICATE):,} here already, unchanged (skipped)")
        if plan.problems:
            problem = tone_colour("warning")
            parts.append(f"<span style='color:{problem}'>{len(plan.problems):,} problem"
                         f"{'s' if len(plan.problems) != 1 else ''} (below)</span>")
        return " · ".join(parts) + f"<br><small>Ref {plan.correlation_id}</small>"
