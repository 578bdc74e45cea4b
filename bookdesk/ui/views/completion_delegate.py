"""A completion bar in a table cell: "6 / 9" over a bar two-thirds full, per media kind."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

FIGURES_ROLE = Qt.ItemDataRole.UserRole + 2  # (owned, missing) or None


class CompletionDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        figures = index.data(FIGURES_ROLE)
        if not figures or sum(figures) == 0:
            super().paint(painter, option, index)
            return
        owned, missing = figures
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 4, -3, -4)
        bar.minimum, bar.maximum = 0, owned + missing
        bar.progress = owned
        bar.text = f"{owned} / {owned + missing}"
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Enabled
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
