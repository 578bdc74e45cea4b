"""SQLite's errors in people's words: a full disk, a catalog that became read-only, damage.

``translate`` is the one place that reads SQLite's error codes (and, where Python hides them, its
messages); opening and every session of an open catalog ask it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bookdesk.data.catalog_copy import newest_backup
from bookdesk.data.library_access import MIN_FREE_BYTES, disk_full_message
from bookdesk.errors import (
    CatalogCorruptError,
    CatalogDiskFullError,
    CatalogIOError,
    LibraryError,
    LibraryReadOnlyError,
)

# SQLite's primary result codes (sqlite3.h), the low byte of an extended code.
_READONLY, _IOERR, _CORRUPT, _FULL, _NOTADB = 8, 10, 11, 13, 26
_DAMAGE_WORDS = ("malformed", "not a database", "could not decode")


def translate(path: Path, exc: BaseException) -> LibraryError | None:
    """The error to show for ``exc`` raised by the catalog at ``path``; None when it is no fault of the
    catalog's file or disk (a bug, a constraint, a lock) and should stay as it is."""
    orig = getattr(exc, "orig", None) or exc
    if not isinstance(orig, sqlite3.Error):
        return None  # "malformed" in another library's error says nothing about the catalog
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig).lower()
    if primary == _FULL or "database or disk is full" in text or (
            (primary == _IOERR or "disk i/o" in text) and _nearly_full(path)):
        return CatalogDiskFullError(disk_full_message(path.parent), detail=str(exc))
    if primary == _READONLY or "readonly database" in text:
        return LibraryReadOnlyError(
            f"The library at {path.parent} became read-only while BookDesk had it open (its catalog file, "
            "folder or disk can no longer be written), so this change was not made. Make them writable "
            "again and reopen the library.", detail=str(exc))
    if primary in (_CORRUPT, _NOTADB) or any(word in text for word in _DAMAGE_WORDS):
        return CatalogCorruptError(damaged_message(path, _what(orig)), detail=str(exc))
    if primary == _IOERR or "disk i/o" in text:
        # A network drive or a USB disk that dropped out says so too: no damage is known, so nothing
        # is refused and no restore is advised (it would lose the changes since that copy).
        return CatalogIOError(
            f"The disk holding the library at {path.parent} could not be read or written just now, so this "
            "was not done. Check that the disk (or network drive) is connected, then try again.",
            detail=str(exc))
    return None


def damaged_message(path: Path, what: str, *, touched: bool = True) -> str:
    """What to say of a damaged catalog: what was found, that BookDesk stopped, and the way back."""
    stopped = ("BookDesk stopped changing it, so nothing more is lost." if touched
               else "BookDesk left it untouched.")
    backup = newest_backup(path.parent, path.name)
    # All three: SQLite replays a -wal it finds beside a catalog onto it, a restored copy too.
    files = f"{path.name} and its {path.name}-wal and {path.name}-shm files (where they are)"
    if backup is not None:
        way_back = (f"The newest good copy is {backup}: quit BookDesk, move the damaged {files} away "
                    f"and put a copy of that file in its place, named {path.name}.")
    else:
        way_back = ("No good copy of it was found beside it (bookdesk.sqlite3.bak-*) nor in the scheduled "
                    f"backups; move {files} away to start afresh (the book files in the folder stay).")
    return f"The catalog {path} is damaged ({what}). {stopped} {way_back}"


def _what(orig: BaseException) -> str:
    text = str(orig).lower()
    if "could not decode" in text:
        return "some of its text cannot be read"
    if "not a database" in text:
        return "part of it is not a database"
    return "SQLite reports some of its pages malformed"


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < MIN_FREE_BYTES
    except OSError:
        return False

