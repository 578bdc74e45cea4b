"""A ``BookUnit`` is one book as found on disk: a single file, or a folder of numbered audio parts
that together make one audiobook. Discovery turns what the user dropped into units."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.importer.formats import BookFormat


@dataclass(frozen=True, slots=True)
class BookUnit:
    parts: tuple[Path, ...]  # the files, in reading/listening order; one for most books
    format: BookFormat
    root: Path  # the folder the user dropped (or the file's folder), for reading folder names

    @property
    def primary(self) -> Path:
        return self.parts[0]

    @property
    def is_multipart(self) -> bool:
        return len(self.parts) > 1


@dataclass(frozen=True, slots=True)
class Problem:
    """Something found that cannot become a book, and why."""

    path: Path
    reason: str
