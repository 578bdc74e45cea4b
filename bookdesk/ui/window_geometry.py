"""Where the window was and how its library table looked, kept between runs in window.ini (beside the
settings, not in them: it is the desktop's, not the library's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from bookdesk.core import paths

if TYPE_CHECKING:  # the window's frame restores its size before the views (and what they import) exist
    from bookdesk.ui.views.library_view import LibraryView

DEFAULT_SIZE = (1280, 780)


def window_settings() -> QSettings:
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def restore_geometry(window: QMainWindow, library_view: LibraryView) -> None:
    restore_window(window)
    library_view.restore_state(window_settings())


def restore_window(window: QMainWindow) -> None:
    """Where the window was and its size: before its first paint, so it paints once, where it belongs."""
    geometry = window_settings().value("window/geometry")
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*DEFAULT_SIZE)


def save_geometry(window: QMainWindow, library_view: LibraryView) -> None:
    settings = window_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    library_view.save_state(settings)
    settings.sync()
