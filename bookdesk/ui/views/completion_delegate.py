"""A completion bar in a table cell: "6 / 9" beside a slim bar two-thirds full, per media kind."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from bookdesk.ui.views.bar_painter import bar_size, paint_bar

FIGURES_ROLE = Qt.ItemDataRole.UserRole + 2  # (owned, missing) or None


class CompletionDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        figures = index.data(FIGURES_ROLE)
        if not figures or sum(figures) == 0:
            super().paint(painter, option, index)
            return
        owned, missing = figures
        total = owned + missing
        paint_bar(painter, option, owned / total, f"{owned} / {total}", done=not missing)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return bar_size(option, super().sizeHint(option, index), "888 / 888")
