"""Size checks made before mutagen opens an audio file.

mutagen holds a whole tag block in memory while it parses: an ID3 tag (up to 256 MB by its
format) or an MP4 ``moov`` atom (unbounded). A hostile file with a giant picture in either
would cost that much memory in a reader process. These checks read a few header bytes and
say when a block is beyond what any real audiobook has.
"""

from __future__ import annotations

import struct
from pathlib import Path

# Real ID3 tags are a few MB (one or two cover pictures); MP4 sample tables of a 50-hour book
# are tens of MB.
MAX_ID3_BYTES = 64 * 1024 * 1024
MAX_MOOV_BYTES = 256 * 1024 * 1024
_MAX_TOP_LEVEL_ATOMS = 1_000


def id3_size(path: Path) -> int | None:
    """The size of the ID3v2 tag at the start of the file, or None when there is none."""
    with path.open("rb") as fh:
        head = fh.read(10)
    if len(head) < 10 or head[:3] != b"ID3" or any(b & 0x80 for b in head[6:10]):
        return None
    return 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]) + (10 if head[5] & 0x10 else 0)


def moov_size(path: Path) -> int | None:
    """The size of an MP4 file's ``moov`` atom, found by walking the top-level atoms; None for
    files that are not MP4."""
    with path.open("rb") as fh:
        if fh.read(8)[4:8] != b"ftyp":
            return None
        end = fh.seek(0, 2)
        at = 0
        for _ in range(_MAX_TOP_LEVEL_ATOMS):
            fh.seek(at)
            header = fh.read(16)
            if len(header) < 8:
                return None
            size, kind = struct.unpack(">I4s", header[:8])
            if size == 1 and len(header) == 16:
                (size,) = struct.unpack(">Q", header[8:16])
            elif size == 0:
                size = end - at
            if kind == b"moov":
                return size
            if size < 8:
                return None
            at += size
            if at >= end:
                return None
    return None
