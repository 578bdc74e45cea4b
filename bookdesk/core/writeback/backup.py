"""Copies of book files as they were before BookDesk first wrote metadata into them.

A library file ``Author/Title/Title.epub`` is kept as
``.backup/Author/Title/Title.epub/2024-05-01T12-00-00Z.epub``: a folder named after the file,
holding that file as it was at that time. The folder mirrors the library, so a person can find
the original without BookDesk; the name keeps the extension, so the copy opens as the book.

A backup is made once, before the first rewrite; later rewrites need none, since the
original is what a person wants back. Backups are never overwritten nor removed by BookDesk.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from bookdesk.core.importer.formats import AUDIO_EXTENSIONS
from bookdesk.core.temp_ledger import note_temp_folder
from bookdesk.core.temp_names import BACKUP_FOLDER
from bookdesk.core.writeback.errors import WritebackError
from bookdesk.core.writeback.files import FileState, file_state, sha256, temp_beside

log = logging.getLogger(__name__)

_CHUNK = 1024 * 1024
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(?: \(\d+\))?(?:\.[^.]*)?$")


class BackupStore:
    def __init__(self, library: Path) -> None:
        self.library = library
        self.root = library / BACKUP_FOLDER

    # ----- finding ---------------------------------------------------------------------

    def backups(self, relative: str) -> list[Path]:
        """The backups of one library file, oldest first."""
        holder = self._holder(relative)
        try:
            entries = [p for p in holder.iterdir() if p.is_file() and _NAME.match(p.name)]
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(entries, key=_order)

    def backed_up_files(self, relative_folder: str) -> list[str]:
        """Library-relative paths of the files under a folder (a book in parts) that have backups."""
        base = self._holder(relative_folder)
        if not base.is_dir():
            return []
        found = []
        for holder in sorted(p for p in base.rglob("*") if p.is_dir()):
            if any(_NAME.match(e.name) for e in holder.iterdir() if e.is_file()):
                found.append(holder.relative_to(self.root).as_posix())
        return found

    # ----- making ----------------------------------------------------------------------

    def ensure(self, original: Path) -> Path | None:
        """Back up ``original`` (a file inside the library) unless it has a backup already.

        Returns the new backup, or None when one existed. The copy is checked against the
        original byte for byte (by hash) before it counts as a backup.
        """
        relative = self.relative(original)
        if self.backups(relative):
            return None
        holder = self._holder(relative)
        holder.mkdir(parents=True, exist_ok=True)
        note_temp_folder(self.library, holder)  # a kill leaves the .part to the sweep at the next open
        temp = holder / f".{uuid.uuid4().hex}.part"
        try:
            copied_hash = _copy(original, temp)
            if sha256(temp) != copied_hash:
                raise WritebackError(f"{original.name}: the backup copy came out different from the original "
                                     "(the disk may be failing); the file was not rewritten.")
            os.utime(temp, ns=(original.stat().st_atime_ns, original.stat().st_mtime_ns))
            final = self._claim(holder, temp, original.suffix)
        except OSError as exc:
            raise WritebackError(f"{original.name}: no backup could be made in {BACKUP_FOLDER} "
                                 f"({exc.strerror or exc}); the file was not rewritten.") from exc
        finally:
            temp.unlink(missing_ok=True)
        log.info("backed up %s as %s", relative, final.relative_to(self.library).as_posix())
        return final

    def _claim(self, holder: Path, temp: Path, suffix: str) -> Path:
        """Give the finished copy its timestamped name without ever replacing an existing backup."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        for n in range(1, 1000):
            final = holder / (f"{stamp}{suffix}" if n == 1 else f"{stamp} ({n}){suffix}")
            try:
                os.link(temp, final)  # fails if the name is taken: nothing is overwritten
                return final
            except FileExistsError:
                continue
            except OSError:
                # No hard links on this file system (FAT, some network shares): rename instead,
                # after checking, which on POSIX leaves a small race with another BookDesk.
                if final.exists():
                    continue
                os.rename(temp, final)
                return final
        raise WritebackError(f"{holder.name}: too many backups made in one second.")

    # ----- restoring -------------------------------------------------------------------

    def restore(self, relative: str, backup: Path | None = None) -> list[Path]:
        """Put the original back: ``relative`` is a library file or the folder of a book in parts
        (every audio part with a backup is restored). ``backup`` picks one backup of a single file; by
        default the oldest, the file as it was before BookDesk ever wrote it. The backups stay.
        Returns the library files restored."""
        target = self.library.joinpath(*PurePosixPath(relative).parts)
        if backup is None and (target.is_dir() or (not target.exists() and not self.backups(relative))):
            # A folder in the catalog is an audiobook in parts; an ebook beside the parts is another file.
            files = [f for f in self.backed_up_files(relative) if PurePosixPath(f).suffix.lower() in AUDIO_EXTENSIONS]
            if not files:
                raise WritebackError(f"There is no backup of {relative}.")
            return [self._restore_file(f, None) for f in files]
        return [self._restore_file(relative, backup)]

    def _restore_file(self, relative: str, backup: Path | None) -> Path:
        backups = self.backups(relative)
        if backup is None:
            if not backups:
                raise WritebackError(f"There is no backup of {relative}.")
            backup = backups[0]
        elif backup.resolve() not in {b.resolve() for b in backups}:
            raise WritebackError(f"{backup.name} is not a backup of {relative}.")
        target = self.library.joinpath(*PurePosixPath(relative).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        note_temp_folder(self.library, target.parent)
        temp = temp_beside(target, "restore")
        try:
            expected = _copy(backup, temp)
            if sha256(temp) != expected:
                raise WritebackError(f"{target.name}: the restored copy came out different from the backup; "
                                     "the file was left as it was.")
            shutil.copystat(backup, temp)
            with temp.open("rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(temp, target)
        except OSError as exc:
            raise WritebackError(f"{target.name} could not be restored ({exc.strerror or exc}); "
                                 "it was left as it was.") from exc
        finally:
            temp.unlink(missing_ok=True)
        log.info("restored %s from %s", relative, backup.name)
        return target

    # ----- paths -----------------------------------------------------------------------

    def relative(self, path: Path) -> str:
        try:
            return path.absolute().relative_to(self.library.absolute()).as_posix()
        except ValueError:
            raise WritebackError(f"{path} is not inside the library.") from None

    def _holder(self, relative: str) -> Path:
        parts = PurePosixPath(relative).parts
        if not parts or any(p in ("..", "") for p in parts) or PurePosixPath(relative).is_absolute():
            raise WritebackError(f"{relative!r} is not a path inside the library.")
        return self.root.joinpath(*parts)


def restore(library: Path, relative: str, backup: Path | None = None) -> FileState:
    """Put a library file (or every part of a book in parts) back as it was before BookDesk first
    wrote into it; returns its size and hash now, for the catalog."""
    store = BackupStore(library)
    restored = store.restore(relative, backup)
    target = library.joinpath(*PurePosixPath(relative).parts)
    if target.is_dir():
        from bookdesk.core.writeback.audio import audio_parts

        return file_state(audio_parts(target))
    return file_state(restored)


def _copy(source: Path, target: Path) -> str:
    """Copy, returning the hash of what was read, so the copy can be checked against it."""
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("xb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def _order(path: Path) -> tuple[str, int]:
    stem = path.name.split(".")[0]
    stamp, _, count = stem.partition(" (")
    return stamp, int(count.rstrip(")") or 1)
