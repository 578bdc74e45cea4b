"""Where the window was and how its library table looked, kept between runs in window.ini (beside the
settings, not in them: it is the desktop's, not the library's)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from bookdesk.core import paths
from bookdesk.ui.views.library_view import LibraryView

DEFAULT_SIZE = (1280, 780)


def window_settings() -> QSettings:
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def restore_geometry(window: QMainWindow, library_view: LibraryView) -> None:
    settings = window_settings()
    geometry = settings.value("window/geometry")
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*DEFAULT_SIZE)
    library_view.restore_state(settings)


def save_geometry(window: QMainWindow, library_view: LibraryView) -> None:
    settings = window_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    library_view.save_state(settings)
    settings.sync()
