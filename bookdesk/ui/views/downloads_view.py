"""The Downloads view: what is being fetched, with its state and progress."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bookdesk.core.library_service import LibraryService
from bookdesk.data.records import DownloadRecord
from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.resources import icon
from bookdesk.ui.views.empty_state import EmptyState
from bookdesk.ui.views.list_table import list_table


def _progress(d: DownloadRecord) -> str:
    if d.bytes_total:
        return f"{d.bytes_done / d.bytes_total:.0%}"
    return f"{d.bytes_done / 1_048_576:.1f} MB" if d.bytes_done else ""


COLUMNS: list[ColumnSpec[DownloadRecord]] = [
    ColumnSpec("State", lambda d: d.state.capitalize()),
    ColumnSpec("Source", lambda d: d.source),
    ColumnSpec("Address", lambda d: d.url),
    ColumnSpec("Progress", _progress, align_right=True),
    ColumnSpec("Ref", lambda d: d.correlation_id or ""),
    ColumnSpec("Last error", lambda d: d.last_error or ""),
]


class DownloadsView(QWidget):
    def __init__(self, service: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.model: RecordTableModel[DownloadRecord] = RecordTableModel(COLUMNS, self)
        self.table = list_table(self.model, multi_select=True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty = EmptyState(icon("downloads"), "No downloads",
                                "Books you fetch from catalogs, indexers or web addresses show their "
                                "progress here, and import themselves when they arrive.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.stack)

    def refresh(self) -> None:
        records = self.service.downloads()
        self.model.set_records(records)
        self.stack.setCurrentWidget(self.table if records else self.empty)
