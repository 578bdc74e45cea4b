"""A record table whose media-kind columns hand the completion delegate (owned, missing) figures."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from bookdesk.ui.models.record_table_model import ColumnSpec, RecordTableModel
from bookdesk.ui.views.completion_delegate import FIGURES_ROLE


class KindFiguresModel(RecordTableModel):
    """Records with a ``kind(media_kind)`` method (series and authors overviews)."""

    def __init__(self, columns: Sequence[ColumnSpec], kind_columns: dict[int, str], parent=None) -> None:  # noqa: ANN001
        super().__init__(columns, parent)
        self.kind_columns = kind_columns

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == FIGURES_ROLE and index.isValid() and index.column() in self.kind_columns:
            figures = self.records[index.row()].kind(self.kind_columns[index.column()])
            return (figures.owned, figures.missing)
        return super().data(index, role)
