"""One look for every bar in a table cell: the figures in the row's text colour beside a slim bar,
never on it, so they stay readable whatever the fill and whether the row is selected."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

DONE_COLOUR = QColor(46, 160, 67)  # complete reads at a glance
FAILED_COLOUR = QColor(207, 34, 46)
BAR_HEIGHT = 6
BAR_ROOM = 56  # the least width of a bar that still reads as one


def paint_bar(painter: QPainter, option: QStyleOptionViewItem, fraction: float | None, text: str, *,
              widest: str = "888 / 888", done: bool = False, failed: bool = False) -> None:
    """``fraction`` of the bar filled (None: no bar, the text alone); ``widest`` sizes the text column so
    that bars in one column line up."""
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    palette = option.palette
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if selected:
        painter.fillRect(option.rect, palette.highlight())
    text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
    rect = option.rect.adjusted(6, 0, -6, 0)
    metrics = option.fontMetrics
    text_width = min(rect.width(), max(metrics.horizontalAdvance(widest), metrics.horizontalAdvance(text)))
    painter.setPen(text_colour)
    painter.drawText(rect.adjusted(0, 0, -(rect.width() - text_width), 0),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
    bar_left = rect.left() + text_width + 8
    bar = QRectF(bar_left, rect.center().y() - BAR_HEIGHT / 2 + 1, max(0, rect.right() - bar_left), BAR_HEIGHT)
    if fraction is not None and bar.width() >= 12:
        track = QColor(text_colour)
        track.setAlphaF(0.18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(bar, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
        fraction = min(1.0, max(0.0, fraction))
        if fraction > 0:
            fill = QRectF(bar)
            fill.setWidth(max(BAR_HEIGHT, bar.width() * fraction))
            if failed:
                colour = FAILED_COLOUR
            elif done:
                colour = DONE_COLOUR
            else:
                colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight)
            painter.setBrush(colour)
            painter.drawRoundedRect(fill, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
    painter.restore()


def bar_size(option: QStyleOptionViewItem, size: QSize, widest: str) -> QSize:
    """A bar cell's size hint: the widest figures, the gaps and room for a bar beside them, so a column
    sized to its contents keeps its bars."""
    return QSize(option.fontMetrics.horizontalAdvance(widest) + 12 + 8 + BAR_ROOM, size.height())
