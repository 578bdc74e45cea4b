"""Finding the icons in a source checkout or inside a packaged bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


@cache
def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/NAME.svg``; an empty icon if it is missing."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def icon_on_highlight(name: str, colour: QColor, size: QSize) -> QIcon:
    """The icon ``name``, drawn in ``colour`` when its item is selected: the icons are one colour, and
    on the highlight (itself a blue) that colour vanished."""
    result = QIcon(icon(name))
    for scale in (1, 2):
        pixmap = icon(name).pixmap(size * scale)
        if pixmap.isNull():
            continue
        tinted = QPixmap(pixmap.size())
        tinted.fill(Qt.GlobalColor.transparent)
        painter = QPainter(tinted)
        painter.drawPixmap(0, 0, pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(tinted.rect(), colour)
        painter.end()
        result.addPixmap(tinted, QIcon.Mode.Selected)
    return result
