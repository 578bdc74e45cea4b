"""Replacing a book file safely: the new version is written beside it under a hidden name, checked,
and renamed over the original only if the original has not changed meanwhile. A rename within
one folder is atomic, so the file is at every moment either wholly old or wholly new."""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.disk_full import is_disk_full
from bookdesk.core.file_hash import sha256_of
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.fault_points import reach

_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file looked like when a write-back started: if this changes, someone else wrote it."""

    size: int
    mtime_ns: int
    mode: int


@dataclass(frozen=True, slots=True)
class FileState:
    """What the catalog keeps about a file (or a book in parts, all parts in order)."""

    size: int
    mtime: float  # seconds; the newest part's
    content_hash: str  # sha256 of all parts in order, as the importer computes it


def snapshot(path: Path) -> Snapshot:
    """The file's state, after checking that BookDesk may rewrite it."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise WritebackError(f"{path.name} is no longer where the library expects it.") from None
    if stat.S_ISLNK(info.st_mode):
        raise WritebackError(f"{path.name} is a link; BookDesk does not rewrite files through links.")
    if not stat.S_ISREG(info.st_mode):
        raise WritebackError(f"{path.name} is not a regular file.")
    # Checked on the mode bits rather than with os.access: an administrator may write anything, but
    # a file someone marked read-only is one they want left alone.
    if not info.st_mode & stat.S_IWUSR:
        raise WritebackError(f"{path.name} is read-only; BookDesk leaves read-only files as they are.")
    return Snapshot(info.st_size, info.st_mtime_ns, stat.S_IMODE(info.st_mode))


# What ``temp_beside`` names look like, for sweeping up after a killed write (core/temp_sweep.py).


def temp_beside(path: Path, kind: str = "writeback") -> Path:
    """A hidden name in the same folder (so the final rename is atomic) with the same extension
    (mutagen and BookDesk's readers look at it). Hidden names are skipped by imports and scans.
    Copies left by a write that was killed midway are swept up when the library is next opened (the
    write-back notes the folder first: core/temp_ledger.py)."""
    return path.with_name(f".{path.stem[:60]}.{kind}-{uuid.uuid4().hex[:12]}{path.suffix}")


def finish(temp: Path, path: Path, before: Snapshot) -> None:
    """Put ``temp`` in the place of ``path``, unless ``path`` changed since ``before``."""
    with temp.open("rb+") as fh:
        os.fsync(fh.fileno())
    reach("writeback.temp_written")
    os.chmod(temp, before.mode)
    try:
        now = path.lstat()
    except FileNotFoundError:
        raise WritebackError(f"{path.name} disappeared while its metadata was being written.") from None
    if (now.st_size, now.st_mtime_ns) != (before.size, before.mtime_ns):
        raise WritebackError(f"{path.name} was changed by another program while BookDesk was writing it; "
                             "it was left as that program wrote it.")
    try:
        os.replace(temp, path)
    except OSError as exc:
        raise WritebackError(f"{path.name} could not be replaced ({exc.strerror or exc}); it was left as it was.") \
            from exc
    _sync_folder(path.parent)


def discard(temp: Path | None) -> None:
    if temp is not None:
        with contextlib.suppress(OSError):  # a leftover hidden temp file is untidy, never harmful
            temp.unlink(missing_ok=True)


def describe(exc: OSError, path: Path) -> str:
    """A person's account of a failed file operation."""
    if is_disk_full(exc):
        return f"{path.name}: the disk is full; the file was left as it was."
    if isinstance(exc, FileNotFoundError):
        return f"{path.name} is no longer where the library expects it."
    if isinstance(exc, PermissionError):
        return f"{path.name}: BookDesk is not allowed to write there ({exc.strerror or exc}); it was left as it was."
    return f"{path.name} could not be written ({exc.strerror or exc}); it was left as it was."


def file_state(parts: Iterable[Path]) -> FileState:
    parts = list(parts)
    infos = [part.stat() for part in parts]
    return FileState(sum(i.st_size for i in infos), max((i.st_mtime_ns for i in infos), default=0) / 1e9,
                     sha256_of(parts))


def sha256(path: Path) -> str:
    return file_state([path]).content_hash


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
