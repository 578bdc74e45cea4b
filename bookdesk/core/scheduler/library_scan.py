"""The library compared with the disk: book files the catalog knows that are gone or were changed by
another program, and book files in the library folder the catalog does not know.

It only reports (with the paths in the log): a file that vanished may be on a drive that is not
mounted, and a file someone put in the library by hand is theirs to import, so nothing is
removed from the catalog or added to it behind the person's back.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bookdesk.core.importer.formats import format_of
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import File

log = logging.getLogger(__name__)

SHOWN = 50  # paths kept per list in the result; the counts are complete


@dataclass
class LibraryScan:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # another size than the catalog's
    untracked: list[str] = field(default_factory=list)
    missing_count: int = 0
    changed_count: int = 0
    untracked_count: int = 0

    def summary(self) -> str:
        parts = [f"{self.checked:,} book file{'s' if self.checked != 1 else ''} checked"]
        if self.missing_count:
            parts.append(f"{self.missing_count:,} missing")
        if self.changed_count:
            parts.append(f"{self.changed_count:,} changed by another program")
        if self.untracked_count:
            parts.append(f"{self.untracked_count:,} not in the catalog")
        if len(parts) == 1:
            parts.append("all in place")
        return ", ".join(parts)

    def _note(self, kind: str, path: str) -> None:
        setattr(self, f"{kind}_count", getattr(self, f"{kind}_count") + 1)
        shown: list[str] = getattr(self, kind)
        if len(shown) < SHOWN:
            shown.append(path)


def scan_library(catalog: Catalog) -> LibraryScan:
    """Blocking (a stat per file): run it in a thread."""
    root = catalog.folder
    with catalog.read() as session:
        rows = session.execute(select(File.path, File.size)).all()
    scan = LibraryScan(checked=len(rows))
    known_files: set[str] = set()
    known_folders: set[str] = set()
    for path, size in rows:
        where = root / path
        on_disk = _size(where)
        if on_disk is None:
            scan._note("missing", path)
            log.warning("library scan: %s is missing", path)
            continue
        (known_folders if where.is_dir() else known_files).add(path)
        # By size alone: the catalog's modification time is the one the file had where it came from.
        if on_disk != size:
            scan._note("changed", path)
            log.info("library scan: %s changed on disk since the catalog last saw it", path)
    for path in _book_files(root, known_folders):
        if path not in known_files:
            scan._note("untracked", path)
            log.info("library scan: %s is in the library folder but not in the catalog", path)
    return scan


def _size(where: Path) -> int | None:
    """The size of a book file, or of the book files in a multi-part folder; None when it is not there."""
    try:
        if where.is_dir():
            return sum((folder / name).stat().st_size for folder, name in _walk(where))
        return where.stat().st_size
    except OSError:
        return None


def _book_files(root: Path, known_folders: set[str]) -> list[str]:
    """Library-relative paths of the book files under ``root``, leaving out hidden folders (staging,
    backups) and the folders of multi-part books the catalog knows."""
    return sorted((folder / name).relative_to(root).as_posix()
                  for folder, name in _walk(root, skip=known_folders, root=root))


def _walk(top: Path, skip: Set[str] = frozenset(), root: Path | None = None) -> Iterator[tuple[Path, str]]:
    for folder, dirs, names in os.walk(top, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and (root is None or (here / d).relative_to(root).as_posix() not in skip)]
        for name in names:
            if not name.startswith(".") and format_of(Path(name)) is not None:
                yield here, name
