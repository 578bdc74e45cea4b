"""A download's progress in its table cell: "42%" beside a slim bar (see bar_painter)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from bookdesk.ui.models.downloads_model import BAR_ROLE
from bookdesk.ui.views.bar_painter import bar_size, paint_bar


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        bar = index.data(BAR_ROLE)
        if bar is None:
            super().paint(painter, option, index)
            return
        fraction, text, state = bar
        paint_bar(painter, option, fraction, text, widest="100%", done=state in ("imported", "completed"),
                  failed=state in ("failed", "cancelled"))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return bar_size(option, super().sizeHint(option, index), "100%")
