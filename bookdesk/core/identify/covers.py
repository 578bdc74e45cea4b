"""Saving a cover beside the book (one a provider offers, or one a person chose), without losing the
one it had."""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path, PurePosixPath

from bookdesk.core.importer.placement import leaves_library
from bookdesk.core.importer.readers.tag_values import image_ext
from bookdesk.data.catalog_rows import WorkDetail

MIN_BYTES = 1024  # smaller is a placeholder ("no cover") image, not a cover


def save_cover(library: Path, work: WorkDetail, data: bytes) -> str | None:
    """Write ``data`` as a new cover file in the book's folder; returns its library path, or None
    when it is not a real image. The old cover file stays, so undoing the change brings it back."""
    ext = image_ext(data)
    if ext is None or len(data) < MIN_BYTES:
        return None
    return write_cover_file(library, work, data, ext, "cover-provider")[0]


def write_cover_file(library: Path, work: WorkDetail, data: bytes, ext: str, name: str) -> tuple[str, bool]:
    """``data`` written whole (through a temporary name) as ``name.ext`` in the book's folder, or
    ``name (2).ext`` and so on beside the covers already there; returns its library path, and False
    when the same picture was there already and nothing was written."""
    if work.files:
        first = PurePosixPath(work.files[0].path)
        folder = first if (library / first).is_dir() else first.parent
    else:
        folder = PurePosixPath("covers")
    n = 1
    while True:
        file_name = f"{name}{'' if n == 1 else f' ({n})'}.{ext}"
        relative = (folder / file_name).as_posix() if str(folder) != "." else file_name
        if not (library / relative).exists():
            break
        if (library / relative).read_bytes() == data:
            return relative, False  # the same picture is there already
        n += 1
    target = library / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if leaves_library(target, library):
        raise OSError(errno.EXDEV, f"{target.parent} leads out of the library through a link")
    temp = target.with_name(f".{uuid.uuid4().hex}.part")
    try:
        temp.write_bytes(data)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)  # a full disk leaves no half picture behind
    return relative, True
