"""Finding the icons in a source checkout or inside a packaged bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


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
