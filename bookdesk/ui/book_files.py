"""A book's files on the desktop: which one Open opens, which one Show in Folder points at, and handing
them to the system (its default application, its file manager)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QProcess, QUrl
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


Failed = Callable[[str], None]  # told later, in people's words, when the opener that started then failed


def open_with_system(path: Path, on_failure: Failed | None = None) -> bool:
    """Open a file (or a folder) with the application the system chose for it. False when the system
    refuses at once; ``on_failure`` hears it when the opener started and then failed (on Linux)."""
    opener = system_opener()
    if opener is None:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    # Qt's opener on Linux says yes as soon as xdg-open starts: its exit code (4 when no application
    # opens the file) is read here, when it ends, without waiting for it on the GUI thread.
    process = QProcess(QCoreApplication.instance())  # kept alive while it runs, whatever window goes
    process.setStandardOutputFile(QProcess.nullDevice())
    process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)

    def finished(code: int, status: QProcess.ExitStatus) -> None:
        process.deleteLater()
        if (code != 0 or status != QProcess.ExitStatus.NormalExit) and on_failure is not None:
            on_failure(_no_application(path))

    def failed_to_start(error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no finished() follows
            process.deleteLater()
            if on_failure is not None:
                on_failure(_no_application(path))

    process.finished.connect(finished)
    process.errorOccurred.connect(failed_to_start)
    process.start(opener, [str(path)])
    return True


def system_opener() -> str | None:
    """xdg-open on Linux (where its exit code is reliable); None elsewhere, where Qt's opener answers."""
    return shutil.which("xdg-open") if sys.platform.startswith("linux") else None


def _no_application(path: Path) -> str:
    kind = "folders" if path.is_dir() else f"{path.suffix[1:].upper() or 'such'} files"
    return f"No application opens {kind} on this system ({path.name})"


def show_in_folder(path: Path, on_failure: Failed | None = None) -> bool:
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
        return open_with_system(path.parent, on_failure)
    return open_with_system(path, on_failure)


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
