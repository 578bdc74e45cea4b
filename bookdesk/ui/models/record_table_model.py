"""A thin table model over a list of plain records, with one small spec per column.

Used for jobs, series and downloads: lists of hundreds, not of 100,000, handed over whole
by a service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bookdesk.ui.models.cell_roles import FewCallsPerCell

T = TypeVar("T")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ColumnSpec(Generic[T]):
    header: str
    text: Callable[[T], str]
    align_right: bool = False
    tooltip: Callable[[T], str] | None = None  # what the cell cannot show; its own text when None


class RecordTableModel(FewCallsPerCell, QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[ColumnSpec[T]], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[T] = []

    def set_records(self, records: Sequence[T]) -> list[T]:
        """Show ``records``; a list is kept as it came (hand one you no longer change). Returns the rows
        shown before, for the caller to let go off the GUI thread when there are many."""
        self.beginResetModel()
        before, self.records = self.records, records if isinstance(records, list) else list(records)
        self.endResetModel()
        return before

    def replace(self, row: int, record: T) -> None:
        self.records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def insert_first(self, record: T) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.records.insert(0, record)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip or column.text)(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RECORD_ROLE:
            return record
        return None
