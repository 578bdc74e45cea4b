"""Putting files into the library so that each appears whole or not at all, and taking back out
what a batch placed when that batch never reached the catalog."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from bookdesk.core.disk_full import is_disk_full
from bookdesk.core.importer.checked_copy import CopyCheckError, copy_checked
from bookdesk.core.temp_names import STAGING
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository
from bookdesk.errors import ImportFailedError

log = logging.getLogger(__name__)

_HASH_CHUNK = 1024 * 1024
# The mode of an import that places nothing: the catalog points at the files where they are, which are
# another program's (calibre's, core/calibre/) and are never written, moved or deleted by BookDesk.
IN_PLACE = "in-place"


class Placer:
    def __init__(self, library: Path, mode: str) -> None:
        self.library = library
        self.mode = mode
        self.staging = library / STAGING
        self._folders: set[Path] = set()  # made already: a mkdir per file costs more than the copy here

    def _folder(self, folder: Path, name: str) -> None:
        """Make ``folder`` (inside the library) for the book ``name``; a folder that cannot be made
        fails that book alone, with the reason."""
        if folder in self._folders:
            return
        if leaves_library(folder / name, self.library):
            raise ImportFailedError(f"{name}: the folder it would go to, {folder}, is reached through a link "
                                    "that leads out of the library; BookDesk does not write through such links.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ImportFailedError(f"{name}: the folder {folder} cannot be made in the library "
                                    f"({_why(exc)}).") from exc
        if leaves_library(folder / name, self.library):  # a link put there while it was being made
            raise ImportFailedError(f"{name}: the folder it would go to, {folder}, leads out of the library.")
        self._folders.add(folder)

    def place(self, source: Path, target: str, expected_hash: str | None = None) -> None:
        """Put ``source`` at ``target``: a hard link for link mode and for a move within one file
        system (the same file, so no second copy's worth of space, and the source is still there
        until the batch is committed), otherwise a copy through the staging folder.

        ``expected_hash``, given for moves, is checked against the copy as written, since
        the source will be deleted afterwards.
        """
        final = self.library / target
        self._folder(final.parent, source.name)
        # A link to a source that is itself a link would tie the library's file to one outside it.
        if self.mode == "link" or (self.mode == "move" and not source.is_symlink()):
            try:
                os.link(source, final)
                return
            except FileNotFoundError as exc:
                raise ImportFailedError(f"{source.name} disappeared during the import.") from exc
            except OSError as exc:
                if self.mode == "link":
                    raise ImportFailedError(f"{source.name}: cannot hard-link into the library ({exc.strerror}); "
                                            "hard links need the library on the same disk. Use copy instead.") \
                        from exc
                # Another file system (EXDEV), or one without hard links: a move becomes copy, then delete.
        self._folder(self.staging, source.name)
        temp = self.staging / f"{uuid.uuid4().hex}.part"
        try:
            copy_checked(source, temp, final, expected_hash=expected_hash, kill_point="import.after_temp_copy")
        except CopyCheckError as exc:
            if exc.incomplete:
                raise ImportFailedError(f"{source.name}: the copy in the library came out incomplete.") from exc
            raise ImportFailedError(f"{source.name}: the copy does not match the original (it changed while "
                                    "being imported, or the disk is failing); the original was kept.") from exc
        except FileNotFoundError as exc:
            raise ImportFailedError(f"{source.name} disappeared during the import.") from exc
        except OSError as exc:
            raise ImportFailedError(f"{source.name}: cannot be copied into the library ({_why(exc)}).") from exc

    def place_cover(self, cached: Path, target: str) -> None:
        """Move a cover from the read stage's cache (inside the library, so a rename) into place."""
        final = self.library / target
        self._folder(final.parent, final.name)
        try:
            os.replace(cached, final)
        except OSError as exc:
            raise ImportFailedError(f"{final.name}: the cover cannot be put in the library ({_why(exc)}).") from exc

    def remove(self, targets: Iterable[str]) -> None:
        """Take placed files back out, and the folders that held only them."""
        for target in targets:
            path = self.library / target
            if leaves_library(path, self.library):
                log.warning("not removing %s: it is reached through a link that leads out of the library", path)
                continue
            path.unlink(missing_ok=True)
            prune_empty_folders(path.parent, self.library)
            self._folders.clear()  # a pruned folder must be made again


def leaves_library(path: Path, library: Path) -> bool:
    """True when ``path`` (meant to be inside ``library``) is a link, or is reached through one, that
    leads out of the library: writing or deleting there would touch files the library does not own."""
    root = library.resolve()
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        return True
    return not path.parent.resolve().is_relative_to(root)


def _why(exc: OSError) -> str:
    if is_disk_full(exc):
        return "the disk holding the library is full"
    if exc.errno == errno.EROFS:
        return "the disk holding the library is read-only"
    return exc.strerror or str(exc)


def prune_empty_folders(folder: Path, library: Path) -> None:
    library = library.resolve()
    current = folder
    while current.resolve() != library and library in current.resolve().parents:
        try:
            current.rmdir()
        except OSError:
            return  # not empty, or gone already
        current = current.parent


def recover(catalog: Catalog, keep: frozenset[str] | set[str] = frozenset()) -> int:
    """Take out what a killed import placed but never committed; clear the staging folder.

    Called before each import, under the import lock, so nothing else is placing files.
    """
    with catalog.read() as session:
        leftovers = ImportRepository(session).uncommitted()
    placer = Placer(catalog.folder, "copy")
    placer.remove(target for _, target, _ in leftovers)
    with catalog.write() as session:
        ImportRepository(session).clear_journal(entry for entry, _, _ in leftovers)
    staging = catalog.folder / STAGING
    if staging.is_dir():
        for stale in staging.iterdir():
            if stale.name in keep:
                continue  # the cover cache of the preview being carried out
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
    if leftovers:
        log.warning("took back %d files placed by an import that did not finish", len(leftovers))
    return len(leftovers)

