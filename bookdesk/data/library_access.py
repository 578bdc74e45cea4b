"""What opening a library will need, checked before SQLite is asked: reading the folder and the catalog,
writing them, and some free space; and what follows when one is missing, in plain words.

The folder is tried for real (a file is created in it). The catalog itself is never opened here: on
POSIX closing any descriptor of a file drops every lock the process holds on it, SQLite's too, and a
server or window holding a connection would have its -wal and -shm files deleted under it by the next
BookDesk that closes the catalog. Its access is asked of the kernel instead (``access(2)``, which on Linux
refuses root a write to a file marked immutable), and a read-only mount is seen by ``statvfs``.
``probe`` looks, ``decide`` judges: tests hand ``decide`` an ``Access`` of their choosing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from bookdesk.errors import CatalogDiskFullError, LibraryError, LibraryNotWritableError, LibraryReadOnlyError

# The errors that mean a full disk: no space left, or the person's quota used up. The data layer's own
# check; core/disk_full.py (everyone above) builds on this same set.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})

# Below this much free space a writing BookDesk would fail at its first change: open read-only instead.
MIN_FREE_BYTES = 1 << 20


@dataclass(frozen=True)
class Access:
    """What this process may do with a library folder and its catalog. ``*_denied`` name why not (an
    OS error's words, or "" when allowed)."""

    folder_read_denied: str = ""
    folder_write_denied: str = ""
    catalog_exists: bool = True
    catalog_read_denied: str = ""
    catalog_write_denied: str = ""
    read_only_file_system: bool = False
    free_bytes: int | None = None


def probe(folder: Path, catalog: Path) -> Access:
    """Look at ``folder`` (which exists) and its ``catalog`` as this process, root or not."""
    folder_read = _denied(lambda: next(os.scandir(folder), None))
    folder_write, erofs = _folder_write_denied(folder)
    exists = catalog.is_file()
    catalog_read = catalog_write = ""
    if exists:
        catalog_read = _access_denied(catalog, os.R_OK)
        erofs = erofs or _read_only_mount(catalog)
        catalog_write = os.strerror(errno.EROFS) if erofs else _access_denied(catalog, os.W_OK)
    try:
        free: int | None = shutil.disk_usage(folder).free
    except OSError:
        free = None
    return Access(folder_read, folder_write, exists, catalog_read, catalog_write, erofs, free)


def decide(folder: Path, catalog: Path, access: Access) -> LibraryError | None:
    """None when the library can be opened to write; the reason it can only be read (a
    ``LibraryReadOnlyError`` or ``CatalogDiskFullError``, raised at the first change); raises when
    it cannot be opened at all."""
    if access.folder_read_denied:
        raise LibraryNotWritableError(
            f"BookDesk cannot open the library folder {folder}: {_lower(access.folder_read_denied)}. "
            "Check that the folder is yours to read and write (its permissions), or choose another library.")
    if access.catalog_exists and access.catalog_read_denied:
        raise LibraryNotWritableError(
            f"BookDesk cannot read the catalog {catalog}: {_lower(access.catalog_read_denied)}. "
            "Check the file's permissions, or choose another library.")
    if not access.catalog_exists and access.folder_write_denied:
        raise LibraryNotWritableError(
            f"BookDesk cannot create a library in {folder}: it can only be read "
            f"({_lower(access.folder_write_denied)}). Choose a folder you can write to.")
    if access.read_only_file_system:
        why = "the disk holding it is mounted read-only"
    elif access.catalog_write_denied:
        why = f"the catalog file {catalog.name} can only be read ({_lower(access.catalog_write_denied)})"
    elif access.folder_write_denied:
        why = f"the library folder can only be read ({_lower(access.folder_write_denied)})"
    elif access.free_bytes is not None and access.free_bytes < MIN_FREE_BYTES:
        return CatalogDiskFullError(disk_full_message(folder))
    else:
        return None
    if not access.catalog_exists:
        return None
    return LibraryReadOnlyError(
        f"The library at {folder} can only be read: {why}. BookDesk shows its books but changes nothing; "
        "make the folder and the catalog writable again to add or change books.")


def disk_full_message(folder: Path) -> str:
    return (f"The disk holding the library at {folder} is full; free some space on it and try again. "
            "Nothing was lost: the catalog keeps everything up to the last change that finished.")


def _denied(attempt) -> str:  # noqa: ANN001 - a callable that may raise OSError
    try:
        attempt()
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def _access_denied(path: Path, mode: int) -> str:
    """Why this process may not use ``path`` in ``mode`` ("" when it may), asked without opening it."""
    effective = os.access in os.supports_effective_ids  # as open() judges: by the effective user
    if os.access(path, mode, effective_ids=effective):
        return ""
    try:
        if mode == os.W_OK and os.stat(path).st_mode & 0o222 and os.geteuid() == 0:
            return os.strerror(errno.EPERM)  # root refused a writable-looking file: marked immutable
    except OSError as exc:
        return exc.strerror or str(exc)
    return os.strerror(errno.EACCES)


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): the folder's own check says so
        return False


def _folder_write_denied(folder: Path) -> tuple[str, bool]:
    """Whether a file can be made in ``folder`` (SQLite makes its -wal and -shm files there)."""
    trial = folder / f".bookdesk-write-check-{uuid.uuid4().hex[:8]}"
    try:
        os.close(os.open(trial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        if exc.errno in FULL_ERRNOS:
            return "", False  # a full disk, not a closed folder: the free space check says so
        return exc.strerror or str(exc), exc.errno == errno.EROFS
    with contextlib.suppress(OSError):
        trial.unlink()
    return "", False


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]
