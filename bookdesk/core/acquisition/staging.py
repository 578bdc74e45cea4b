"""Where downloads live until they are imported: a hidden folder inside the library.

Inside the library, so the finished file is renamed into place on the same disk and a move
import is a rename too; hidden, so neither the importer's folder walk nor the watch folder
sees half a book. It is not the importer's ``.staging``: every import clears that folder
before it starts, and a download must survive imports made while it is still arriving.
"""

from __future__ import annotations

from pathlib import Path

from bookdesk.core.file_names import safe_component
from bookdesk.core.importer.formats import BookFormat, format_of
from bookdesk.core.importer.sniff import same_family

DOWNLOADS = ".downloads"


def part_path(download_id: int) -> str:
    """The ``.part`` file of a download, relative to the library folder."""
    return f"{DOWNLOADS}/{download_id}.part"


def final_name(name: str | None, fallback: str, fmt: BookFormat) -> str:
    """A safe file name with an extension that says what the content is."""
    base = safe_component(name or "", fallback=safe_component(fallback, fallback="download"))
    named = format_of(Path(base))
    if named is not None and same_family(named, fmt):
        return base
    stem = base.rsplit(".", 1)[0] if named is not None else base
    return f"{stem}.{fmt.name}"


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)``... when that is taken."""
    target = folder / name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n = 2
    while target.exists():
        target = folder / (f"{stem} ({n}).{suffix}" if suffix else f"{stem} ({n})")
        n += 1
    return target
