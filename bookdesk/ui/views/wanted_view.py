"""The Wanted list: books you want and do not have yet, with when they come out. Acquisition fetches them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from bookdesk.core.series.service import SeriesService
from bookdesk.core.series.summaries import WantedBook
from bookdesk.core.worker import Worker
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.column_fit import ColumnFit
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.list_table import list_table
from bookdesk.ui.worker_rows import WorkerRows

COLUMNS: list[ColumnSpec[WantedBook]] = [
    ColumnSpec("Title", lambda w: w.title),
    ColumnSpec("Author", lambda w: w.authors),
    ColumnSpec("Series", lambda w: "; ".join(f"{name} #{label}" if label else name for name, label in w.series)),
    ColumnSpec("As", lambda w: ", ".join(w.media_kinds) or "any"),
    ColumnSpec("Comes out", lambda w: f"{w.release_date:%Y-%m-%d}" if w.release_date else ""),
]


class WantedView(QWidget):
    search_requested = Signal(object)  # WantedBook: "Search for This Book…"

    def __init__(self, series: SeriesService, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = series
        self.rows = WorkerRows(worker, "Read the wanted books", self)
        self.model: RecordTableModel[WantedBook] = RecordTableModel(COLUMNS, self)
        self.table = list_table(self.model, multi_select=True)
        self.columns = ColumnFit(self.table, elastic=(0, 1, 2))  # title, author, series
        self.unwant_button = QPushButton("No Longer Wanted")
        self.unwant_button.clicked.connect(self.unwant_selected)
        self.search_button = QPushButton("Search for This Book…")
        self.search_button.setToolTip("Ask the indexers for releases of the selected book, ranked, and grab one")
        self.search_button.clicked.connect(self._search_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self._search_selected())
        self.empty = EmptyState(icon("wanted"), "Nothing wanted yet",
                                "In the Series view, choose a series with gaps and press Want Missing: the books "
                                "you lack are listed here, ready to be fetched.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unwant_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

    @property
    def loading(self) -> bool:
        return self.rows.loading

    def refresh(self) -> None:
        """Read the wanted books again, on the worker; the rows shown stay until the new ones come."""
        self.rows.load(lambda: list(self.series.wanted()), self._show)  # the view's own list: emptied when let go

    def _show(self, wanted: list[WantedBook]) -> None:
        self.rows.let_go(self.model.set_records(wanted))
        self.stack.setCurrentWidget(self.table if wanted else self.empty)
        self._update_buttons()

    def selected(self) -> list[WantedBook]:
        return [self.model.records[i.row()] for i in self.table.selectionModel().selectedRows()]

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.unwant_button.setEnabled(bool(chosen))
        self.search_button.setEnabled(len(chosen) == 1)

    def _search_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.search_requested.emit(chosen[0])

    def unwant_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        for row in rows:
            self.series.unwant(self.model.records[row].id)
        self.refresh()
