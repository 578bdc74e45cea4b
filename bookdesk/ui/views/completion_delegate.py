"""A completion bar in a table cell: "6 / 9" beside a slim bar two-thirds full, per media kind.

The figures are drawn in the row's own text colour beside the bar, never on it, so they stay
readable whatever the fill and whether the row is selected.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

FIGURES_ROLE = Qt.ItemDataRole.UserRole + 2  # (owned, missing) or None
COMPLETE_COLOUR = QColor(46, 160, 67)  # a finished series reads at a glance
BAR_HEIGHT = 6


class CompletionDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        figures = index.data(FIGURES_ROLE)
        if not figures or sum(figures) == 0:
            super().paint(painter, option, index)
            return
        owned, missing = figures
        total = owned + missing
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.fillRect(option.rect, palette.highlight())
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = option.rect.adjusted(6, 0, -6, 0)
        text = f"{owned} / {total}"
        text_width = max(option.fontMetrics.horizontalAdvance("888 / 888"), option.fontMetrics.horizontalAdvance(text))
        painter.setPen(text_colour)
        painter.drawText(rect.adjusted(0, 0, -(rect.width() - text_width), 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
        bar_left = rect.left() + text_width + 8
        bar = QRectF(bar_left, rect.center().y() - BAR_HEIGHT / 2 + 1, max(0, rect.right() - bar_left), BAR_HEIGHT)
        if bar.width() >= 12:
            track = QColor(text_colour)
            track.setAlphaF(0.18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
            if owned:
                fill = QRectF(bar)
                fill.setWidth(max(BAR_HEIGHT, bar.width() * owned / total))
                colour = COMPLETE_COLOUR if not missing else (
                    palette.color(QPalette.ColorRole.HighlightedText) if selected else palette.color(
                        QPalette.ColorRole.Highlight))
                painter.setBrush(colour)
                painter.drawRoundedRect(fill, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
        painter.restore()
