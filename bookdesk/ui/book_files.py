"""A book's files on the desktop: which one Open opens, which one Show in Folder points at, and handing
them to the system (its default application, its file manager)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from bookdesk.data.catalog_rows import WorkDetail

# The ebook format Open prefers when a book has several: the one most readers open.
_EBOOK_ORDER = ("epub", "azw3", "kepub", "mobi", "pdf", "cbz", "djvu", "txt")


def open_target(detail: WorkDetail, absolute: Callable[[str], Path]) -> Path | None:
    """What opening ``detail`` opens: its ebook (EPUB before PDF), else its audiobook's one file, or the
    folder of an audiobook in several files; None for a book without files (a wanted one)."""
    if not detail.files:
        return None
    ebooks = [f for f in detail.files if f.media_kind != "audiobook"]
    if ebooks:
        best = min(ebooks, key=lambda f: _EBOOK_ORDER.index(f.format) if f.format in _EBOOK_ORDER else 99)
        return absolute(best.path)
    parts = [absolute(f.path) for f in detail.files]
    if len(parts) == 1:
        return parts[0]
    return Path(os.path.commonpath([p.parent for p in parts]))


def all_paths(detail: WorkDetail, absolute: Callable[[str], Path]) -> list[Path]:
    return [absolute(f.path) for f in detail.files]


def not_opened(missing: list[tuple[str, Path]], refused: list[tuple[str, Path]], doing: str) -> str | None:
    """What Open or Show in Folder says of the books it could not act on, each named with its file:
    ``missing`` (title, path) whose file is not there (moved or deleted outside BookDesk), ``refused``
    those the system would not ``doing`` ("open", "show in a folder"). None when every one went."""
    said = []
    if missing:
        said.append(f"File not found (moved or deleted outside BookDesk?) for {_named(missing)}")
    if refused:
        said.append(f"The system could not {doing} {_named(refused)}")
    return "; ".join(said) or None


def _named(books: list[tuple[str, Path]], shown: int = 3) -> str:
    names = ", ".join(f"“{title}” ({path})" for title, path in books[:shown])
    return names + (f" and {len(books) - shown} more" if len(books) > shown else "")


def open_with_system(path: Path) -> bool:
    """Open a file (or a folder) with the application the system chose for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Show the folder holding ``path`` with ``path`` selected where the file manager can (Windows
    Explorer, the macOS Finder, a Linux file manager that speaks org.freedesktop.FileManager1);
    elsewhere the folder is opened."""
    if path.is_file() or not path.exists():
        if sys.platform == "win32":
            return QProcess.startDetached("explorer", [f"/select,{path}"])[0]
        if sys.platform == "darwin":
            return QProcess.startDetached("open", ["-R", str(path)])[0]
        if select_in_file_manager(path):
            return True
        return open_with_system(path.parent)
    return open_with_system(path)


def select_in_file_manager(path: Path) -> bool:
    """Ask the file manager already running on the session bus to show ``path`` selected. Only one that
    is running: asking D-Bus to start one could open a file manager nobody uses."""
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusMessage
    except ImportError:  # a Qt built without D-Bus
        return False
    bus = QDBusConnection.sessionBus()
    service = "org.freedesktop.FileManager1"
    if not bus.isConnected() or not bus.interface().isServiceRegistered(service).value():
        return False
    call = QDBusMessage.createMethodCall(service, "/org/freedesktop/FileManager1", service, "ShowItems")
    call.setArguments([[QUrl.fromLocalFile(str(path)).toString()], ""])
    return bus.send(call)
