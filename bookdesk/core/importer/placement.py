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

from bookdesk.core.file_hash import sha256_of
from bookdesk.data.catalog import Catalog
from bookdesk.data.import_repository import ImportRepository
from bookdesk.errors import ImportFailedError

log = logging.getLogger(__name__)

STAGING = ".staging"
_HASH_CHUNK = 1024 * 1024


class Placer:
    def __init__(self, library: Path, mode: str) -> None:
        self.library = library
        self.mode = mode
        self.staging = library / STAGING
        self._folders: set[Path] = set()  # made already: a mkdir per file costs more than the copy here

    def _folder(self, folder: Path) -> None:
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def place(self, source: Path, target: str, expected_hash: str | None = None) -> None:
        """Copy (or hard-link) ``source`` to ``target`` through the staging folder.

        ``expected_hash``, given for moves, is checked against the copy as written, since
        the source will be deleted afterwards.
        """
        final = self.library / target
        self._folder(final.parent)
        if self.mode == "link":
            try:
                os.link(source, final)
            except OSError as exc:
                raise ImportFailedError(f"{source.name}: cannot hard-link into the library ({exc.strerror}); "
                                        "hard links need the library on the same disk. Use copy instead.") from exc
            return
        self._folder(self.staging)
        temp = self.staging / f"{uuid.uuid4().hex}.part"
        try:
            shutil.copyfile(source, temp)
            if temp.stat().st_size != source.stat().st_size:
                raise ImportFailedError(f"{source.name}: the copy in the library came out incomplete.")
            if expected_hash is not None and sha256_of([temp]) != expected_hash:
                raise ImportFailedError(f"{source.name}: the copy does not match the original (it changed while "
                                        "being imported, or the disk is failing); the original was kept.")
            os.replace(temp, final)
        except FileNotFoundError as exc:
            raise ImportFailedError(f"{source.name} disappeared during the import.") from exc
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise ImportFailedError(f"{source.name}: the disk holding the library is full.") from exc
            raise ImportFailedError(f"{source.name}: cannot be copied into the library ({exc.strerror or exc}).") \
                from exc
        finally:
            temp.unlink(missing_ok=True)

    def place_cover(self, cached: Path, target: str) -> None:
        """Move a cover from the read stage's cache (inside the library, so a rename) into place."""
        final = self.library / target
        self._folder(final.parent)
        os.replace(cached, final)

    def remove(self, targets: Iterable[str]) -> None:
        """Take placed files back out, and the folders that held only them."""
        for target in targets:
            path = self.library / target
            path.unlink(missing_ok=True)
            prune_empty_folders(path.parent, self.library)
            self._folders.clear()  # a pruned folder must be made again


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

