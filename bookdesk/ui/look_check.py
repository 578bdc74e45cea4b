"""What ``bookdesk smoke --check`` looks for in a window: text a person cannot read against what is
behind it, and column headers cut short.

Contrast is **sampled from the grabbed window**, the pixels a person sees, not taken from palette
roles: a style sheet resolved against an older palette, an icon drawn on a highlight or a colour
forced on an item all show there and nowhere else. For each visible text (a label, a line edit, a
header section, the cells and list items in view) the most common colour of its rectangle is its
background, and its text colour is the one that stands out most from it among at least
``STRAY_PIXELS`` pixels (so one stray dot, a frame corner, does not count). WCAG AA asks 4.5:1 of
text, 3:1 of large text (18 pt, or 14 pt bold) and of an icon. Disabled widgets are exempt, as WCAG
exempts inactive controls.

A header section is clipped when the part of it a person sees (its width, less what lies outside
the table's viewport) is narrower than its text's width (QFontMetrics) and the style's margins.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QWidget,
)

TEXT_RATIO, LARGE_RATIO, ICON_RATIO = 4.5, 3.0, 3.0
STRAY_PIXELS = 3
ROWS_LOOKED_AT = 12  # enough rows to see both the plain and the alternate colour, and a selection


@dataclass(frozen=True)
class Finding:
    what: str  # "label '7 series'", "header 'Missing'"
    problem: str

    def __str__(self) -> str:
        return f"{self.what}: {self.problem}"


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio, from 1 (the same) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Pixels:
    """A grabbed window's pixels, read fast enough for every cell in view."""

    def __init__(self, image: QImage) -> None:
        self.image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.bits = bytes(self.image.constBits())
        self.stride = self.image.bytesPerLine()
        self.bounds = self.image.rect()

    def measured(self, rect: QRect) -> float | None:
        """The contrast between the commonest colour in ``rect`` and what stands out most from it; None
        for an empty rectangle."""
        rect = rect.intersected(self.bounds)
        if rect.width() <= 0 or rect.height() <= 0:
            return None
        counts: Counter[int] = Counter()
        for y in range(rect.top(), rect.bottom() + 1):
            start = y * self.stride + rect.left() * 4
            row = self.bits[start:start + rect.width() * 4]
            counts.update(int.from_bytes(row[i:i + 3], "little") for i in range(0, len(row), 4))
        background = _colour(counts.most_common(1)[0][0])
        ratios = sorted(((contrast(background, _colour(c)), n) for c, n in counts.items()), reverse=True)
        seen = 0
        for ratio, n in ratios:
            seen += n
            if seen >= STRAY_PIXELS:
                return ratio
        return 1.0


def _colour(bgr: int) -> QColor:
    return QColor((bgr >> 16) & 0xFF, (bgr >> 8) & 0xFF, bgr & 0xFF)


def needed_ratio(font: QFont) -> float:
    points = font.pointSizeF()
    large = points >= 18 or (points >= 14 and font.bold())
    return LARGE_RATIO if large else TEXT_RATIO


def check_window(window: QWidget) -> list[Finding]:
    """Every finding in what ``window`` shows now: contrast of its visible texts, clipped headers."""
    image = window.grab().toImage()
    scale = image.width() / max(1, window.width())  # device pixels per logical pixel
    pixels = Pixels(image)
    findings: list[Finding] = []

    def look(what: str, widget: QWidget, rect: QRect, needed: float) -> None:
        top_left = widget.mapTo(window, rect.topLeft())
        where = QRect(QPoint(round(top_left.x() * scale), round(top_left.y() * scale)),
                      rect.size() * scale)
        ratio = pixels.measured(where)
        if ratio is not None and ratio < needed:
            findings.append(Finding(what, f"contrast {ratio:.1f}:1, needs {needed:.1f}:1"))

    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isEnabled():
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            look(f"label {widget.text()[:40]!r}", widget, widget.contentsRect(), needed_ratio(widget.font()))
        elif isinstance(widget, QLineEdit) and (widget.text() or widget.placeholderText()):
            text = widget.text() or widget.placeholderText()
            look(f"field {text[:40]!r}", widget, widget.rect().adjusted(4, 4, -4, -4), needed_ratio(widget.font()))
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            clipped = clipped_headers(widget)
            findings += clipped
            cut = {finding.what for finding in clipped}  # said once: a cut header is not measured again
            for _section, rect, text in _header_sections(widget):
                if text and f"header {text!r}" not in cut:
                    look(f"header {text!r}", widget, rect.adjusted(2, 2, -2, -2), needed_ratio(widget.font()))
        elif isinstance(widget, QAbstractItemView):
            _look_at_items(widget, look)
    return findings


def _header_sections(header: QHeaderView) -> list[tuple[int, QRect, str]]:
    model = header.model()
    shown = []
    for section in range(header.count()):
        if header.isSectionHidden(section) or model is None:
            continue
        text = str(model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) or "")
        left = header.sectionViewportPosition(section)
        rect = QRect(left, 0, header.sectionSize(section), header.height()).intersected(header.viewport().rect())
        shown.append((section, rect, text))
    return shown


def clipped_headers(header: QHeaderView) -> list[Finding]:
    """The sections of ``header`` a person sees less of than their text needs."""
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    metrics = header.fontMetrics()
    findings = []
    for _section, rect, text in _header_sections(header):
        needed = metrics.horizontalAdvance(text) + 2 * margin
        if text and rect.width() < needed:
            findings.append(Finding(f"header {text!r}", f"{max(0, rect.width())} px shown, its text needs {needed} px"))
    return findings


def _look_at_items(view: QAbstractItemView, look) -> None:  # noqa: ANN001 - check_window's look
    model = view.model()
    if model is None:
        return
    area = view.viewport().rect()
    needed = needed_ratio(view.font())
    top = view.indexAt(QPoint(1, 1))
    first = top.row() if top.isValid() else 0
    # A list shows one column (and QListWidget's model keeps columnCount to itself).
    columns = [view.modelColumn()] if isinstance(view, QListView) else range(model.columnCount())
    for row in range(first, min(model.rowCount(), first + ROWS_LOOKED_AT)):
        for column in columns:
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            rect = view.visualRect(index).intersected(area)
            if not text or rect.isEmpty():
                continue
            # The middle band of the cell, where text and icon lie: a rounded highlight's corners stay out.
            line = view.fontMetrics().height()
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                size = view.iconSize() if view.iconSize().isValid() else QSize(16, 16)
                icon_rect = _band(QRect(rect.left() + 2, rect.top(), size.width() + 8, rect.height()), size.height())
                look(f"icon of {str(text)[:40]!r}", view.viewport(), icon_rect, ICON_RATIO)
                rect.setLeft(icon_rect.right() + 2)
            look(f"item {str(text)[:40]!r}", view.viewport(), _band(rect.adjusted(2, 0, -2, 0), line), needed)


def _band(rect: QRect, height: int) -> QRect:
    """The horizontal band of ``height`` in the middle of ``rect``."""
    height = min(height, rect.height())
    return QRect(rect.left(), rect.top() + (rect.height() - height) // 2, rect.width(), height)
