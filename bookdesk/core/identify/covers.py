"""Saving a cover a provider offers beside the book, without losing the one it had."""

from __future__ import annotations

import os
import uuid
from pathlib import Path, PurePosixPath

from bookdesk.data.catalog_rows import WorkDetail

_KINDS = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"GIF87a": "gif", b"GIF89a": "gif"}
MIN_BYTES = 1024  # smaller is a placeholder ("no cover") image, not a cover


def save_cover(library: Path, work: WorkDetail, data: bytes) -> str | None:
    """Write ``data`` as a new cover file in the book's folder; returns its library path, or None
    when it is not a real image. The old cover file stays, so undoing the change brings it back."""
    ext = next((kind for magic, kind in _KINDS.items() if data.startswith(magic)), None)
    if ext is None or len(data) < MIN_BYTES:
        return None
    if work.files:
        first = PurePosixPath(work.files[0].path)
        folder = first if (library / first).is_dir() else first.parent
    else:
        folder = PurePosixPath("covers")
    n = 1
    while True:
        name = f"cover-provider{'' if n == 1 else f' ({n})'}.{ext}"
        relative = (folder / name).as_posix() if str(folder) != "." else name
        if not (library / relative).exists():
            break
        if (library / relative).read_bytes() == data:
            return relative  # the same picture is there already
        n += 1
    target = library / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{uuid.uuid4().hex}.part")
    temp.write_bytes(data)
    os.replace(temp, target)
    return relative
