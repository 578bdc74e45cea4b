"""Books to import, as a person gives them: files or a folder chosen in a dialog, or dragged onto the
window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QFileDialog, QWidget

from bookdesk.core.importer.formats import FORMATS


def choose_files(parent: QWidget) -> list[Path]:
    patterns = " ".join(f"*{ext}" for ext in FORMATS)
    files, _ = QFileDialog.getOpenFileNames(parent, "Import books", str(Path.home()),
                                            f"Books and audiobooks ({patterns});;All files (*)")
    return [Path(f) for f in files]


def choose_folder(parent: QWidget) -> list[Path]:
    folder = QFileDialog.getExistingDirectory(parent, "Import a folder of books", str(Path.home()))
    return [Path(folder)] if folder else []


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders a drag carries (the window takes a drop anywhere on it)."""
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
