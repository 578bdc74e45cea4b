"""The Series view: every series in the library with the positions owned.

Gap detection against providers, monitoring and the wanted list grow here with the
series work; today it lists what the library itself knows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.library_service import LibraryService
from bookdesk.data.records import SeriesSummary
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.list_table import list_table

COLUMNS: list[ColumnSpec[SeriesSummary]] = [
    ColumnSpec("Series", lambda s: s.name),
    ColumnSpec("Author", lambda s: s.authors),
    ColumnSpec("Books owned", lambda s: str(s.owned), align_right=True),
    ColumnSpec("Positions owned", lambda s: ", ".join(s.labels)),
]


class SeriesView(QWidget):
    def __init__(self, service: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.model: RecordTableModel[SeriesSummary] = RecordTableModel(COLUMNS, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter series")
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.refresh)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.table = list_table(self.model, multi_select=True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 200), (2, 100), (3, 220)):
            header.resizeSection(column, width)
        self.empty = EmptyState(icon("series"), "No series yet",
                                "Books that belong to a series are grouped here as you import them, "
                                "with the positions you own.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.note = QLabel()
        self.note.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.filter)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note, 0, Qt.AlignmentFlag.AlignRight)

    def refresh(self) -> None:
        records = self.service.series(self.filter.text().strip() or None)
        self.model.set_records(records)
        self.stack.setCurrentWidget(self.table if records or self.filter.text() else self.empty)
        self.note.setText(f"{len(records):,} series")
