"""A book's OPDS thumbnail: its cover scaled down to a JPEG 200 px high (never up), made on the first request
and kept beside the catalog, so an e-reader's page of fifty books fetches a few kilobytes each, not fifty
full covers.

The cover is opened through ``serve/files.py``'s confinement, as a cover download is. A kept thumbnail is
named by the book and the cover's size and modification time, so a changed cover gets a new one (the old
is removed); it is written whole, under a temporary name and then renamed, so a reader never gets half of
one. A cover Pillow cannot read (damaged, not an image, a decompression bomb) has no thumbnail: None, and
the route answers with the cover itself, as before thumbnails were made.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import uuid
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from bookdesk.serve.context import ServeContext
from bookdesk.serve.files import open_served

THUMBNAIL_HEIGHT = 200  # px; saved as links.THUMBNAIL_TYPE (JPEG)
THUMBNAIL_FOLDER = "bookdesk-thumbnails"  # in the library folder, beside the catalog file
_MAX_WIDTH = 4 * THUMBNAIL_HEIGHT  # a panorama of a cover is cut down to this width instead
_MAX_PIXELS = 50_000_000  # a cover larger than this (a decompression bomb, or a scan at 1200 dpi) is not read

log = logging.getLogger(__name__)


def thumbnail(ctx: ServeContext, work_id: int, cover_path: str) -> str | None:
    """The kept thumbnail of book ``work_id`` (a path relative to the library), made first when there is
    none for its cover as it is now; None when the cover cannot be read as an image. Blocking."""
    handle = open_served(ctx, cover_path)  # NotFoundError when the cover is missing or outside
    with os.fdopen(handle, "rb") as source:
        info = os.fstat(source.fileno())
        name = f"{work_id}-{info.st_size:x}-{info.st_mtime_ns:x}.jpg"
        folder = ctx.library / THUMBNAIL_FOLDER
        if (folder / name).is_file():
            return f"{THUMBNAIL_FOLDER}/{name}"
        picture = _scaled(source, cover_path)
    if picture is None:
        return None
    folder.mkdir(exist_ok=True)
    _write_whole(folder / name, picture)
    for old in folder.glob(f"{work_id}-*.jpg"):  # the thumbnails of the book's earlier covers
        if old.name != name:
            with contextlib.suppress(OSError):
                old.unlink()
    return f"{THUMBNAIL_FOLDER}/{name}"


def _scaled(source: BinaryIO, cover_path: str) -> bytes | None:
    """The cover read from ``source`` as a JPEG at most 200 px high, or None when it is no readable image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.width * image.height > _MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{image.width} x {image.height} pixels")
                image.draft("RGB", (_MAX_WIDTH, THUMBNAIL_HEIGHT))  # a JPEG decodes at 1/2..1/8 size at once
                image.thumbnail((_MAX_WIDTH, THUMBNAIL_HEIGHT), Image.Resampling.LANCZOS)
                flat = _on_white(image)
        out = io.BytesIO()
        flat.save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        log.warning("The cover %s has no thumbnail (%s); its cover is sent instead.", cover_path, exc)
        return None


def _on_white(image: Image.Image) -> Image.Image:
    """``image`` in RGB, any transparency laid on white (JPEG has none; black would show through)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        ground = Image.new("RGB", rgba.size, (255, 255, 255))
        ground.paste(rgba, mask=rgba.getchannel("A"))
        return ground
    return image.convert("RGB")


def _write_whole(path: Path, data: bytes) -> None:
    """Whole or not at all: under a temporary name in the same folder, then renamed over ``path``."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with open(temp, "xb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
