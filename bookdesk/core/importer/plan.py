"""The import plan: for each book found, what will happen to it and where it will go.

A preview (dry run) is a plan shown to the user; an import carries a plan out.
"""

from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bookdesk.core.file_names import safe_component
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.reading import ReadResult
from bookdesk.core.importer.units import BookUnit
from bookdesk.core.path_template import PathFields, render
from bookdesk.vocabulary.people import author_sort

# What happens to a book: added as a new work, attached to a work already there (another
# format), skipped as a duplicate, skipped as unchanged since an earlier import, or failed.
NEW, ATTACH, DUPLICATE, UNCHANGED, FAILED = "new", "attach", "duplicate", "unchanged", "failed"


@dataclass(eq=False, slots=True)
class PlannedItem:
    source: Path
    status: str
    reason: str = ""
    unit: BookUnit | None = None
    read: ReadResult | None = None
    destination: str | None = None  # the book file, or the folder of a multi-part audiobook
    part_targets: tuple[str, ...] = ()
    cover_target: str | None = None
    work_id: int | None = None  # the existing work, or the new one once committed
    attach_to: PlannedItem | None = None  # a new work planned earlier in this same import
    # A new work's metadata when other files of the book in this import added to what this one says
    # (importer.metadata.one_book); None: the file's own. The file's own fields stay in ``read``.
    work_metadata: BookMetadata | None = None
    cover_from: Path | None = None  # the cover to place, when another file of the book gave a better one
    joined: bool = False  # what this file says went into the new work planned in this import (work_metadata)

    @property
    def title(self) -> str:
        meta = self.work_metadata or (self.read.metadata if self.read else None)
        return (meta.title if meta else "") or self.source.stem

    @property
    def authors(self) -> str:
        meta = self.work_metadata or (self.read.metadata if self.read else None)
        return " & ".join(c.name for c in meta.authors) if meta else ""

    @property
    def format(self) -> str:
        return self.unit.format.name if self.unit else ""

    @property
    def outcome(self) -> str:
        """The status as the CLI and the summary report it: added, duplicate or failed."""
        return {NEW: "added", ATTACH: "added", UNCHANGED: "duplicate"}.get(self.status, self.status)


@dataclass
class ImportPlan:
    correlation_id: str
    items: list[PlannedItem] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def count(self, *statuses: str) -> int:
        return sum(1 for item in self.items if item.status in statuses)

    def joined(self) -> int:
        """Files that are another format of a book this same import adds: that book's, not books of their own."""
        return sum(1 for item in self.items if item.status == ATTACH and item.attach_to is not None)

    def books_to_add(self) -> int:
        """What the import adds as the Library counts it: new books, and formats of books already there."""
        return self.count(NEW, ATTACH) - self.joined()

    def summary(self) -> str:
        parts = [f"{self.books_to_add()} to add"]
        if self.count(DUPLICATE, UNCHANGED):
            parts.append(f"{self.count(DUPLICATE, UNCHANGED)} already in the library")
        if self.count(FAILED):
            parts.append(f"{self.count(FAILED)} with problems")
        return ", ".join(parts)


def destination(template: str, read: ReadResult, work: BookMetadata | None = None) -> tuple[str, tuple[str, ...]]:
    """Where a book goes: (the file, or the folder of a multi-part book; each part's path). ``work``,
    when given, names it instead of the file's own metadata (another format of a book already there)."""
    meta = work or read.metadata
    assert meta is not None
    unit = read.unit
    author = meta.authors[0] if meta.authors else None
    series = meta.series[0] if meta.series else None
    path = render(template, PathFields(
        author=author.name if author else "Unknown Author",
        author_sort=(author.sort_name or author_sort(author.name)) if author else "Unknown Author",
        title=meta.title or unit.primary.stem, ext=unit.format.name,
        series=series.name if series else "", series_position=series.label if series else "",
        year=(meta.published or "")[:4], language=meta.language or "", media=unit.format.media_kind))
    if not unit.is_multipart:
        return path, (path,)
    folder = posixpath.dirname(path) or safe_component(PurePosixPath(path).stem)
    names: list[str] = []
    in_discs = len({part.parent for part in unit.parts}) > 1
    for part in unit.parts:
        name = safe_component(part.stem) + part.suffix.lower()
        if in_discs:  # "Disc 1/01.mp3" and "Disc 2/01.mp3" keep their disc folders
            name = f"{safe_component(part.parent.name)}/{name}"
        n = 2
        while name in names:  # two parts whose names only differed in characters made safe
            name, n = posixpath.join(posixpath.dirname(name), safe_component(f"{part.stem} ({n})") + part.suffix.lower()), n + 1
        names.append(name)
    return folder, tuple(f"{folder}/{name}" for name in names)


def make_unique(destination_: str, parts: tuple[str, ...], taken: set[str], root: Path,
                multipart: bool) -> tuple[str, tuple[str, ...]]:
    """Never a name the catalog, the disk or this import already has: append " (2)", " (3)", ..."""
    def free(path: str) -> bool:
        return path not in taken and not (root / path).exists()

    if multipart:
        candidate, n = destination_, 2
        while not free(candidate) or any(p.startswith(candidate + "/") for p in taken):
            candidate, n = f"{destination_} ({n})", n + 1
        return candidate, tuple(candidate + p[len(destination_):] for p in parts)
    stem, dot, ext = destination_.rpartition(".")
    candidate, n = destination_, 2
    while not free(candidate):
        candidate, n = f"{stem} ({n}){dot}{ext}", n + 1
    return candidate, (candidate,)


def cover_target(destination_: str, multipart: bool, cover_ext: str, taken: set[str], root: Path) -> str:
    """``cover.jpg`` beside the book; ``cover (2).jpg`` when books share a folder."""
    folder = destination_ if multipart else posixpath.dirname(destination_)
    prefix = f"{folder}/" if folder else ""
    candidate, n = f"{prefix}cover.{cover_ext}", 2
    while candidate in taken or (root / candidate).exists():
        candidate, n = f"{prefix}cover ({n}).{cover_ext}", n + 1
    return candidate
