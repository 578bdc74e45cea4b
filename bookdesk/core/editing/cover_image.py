"""Is it really a picture? The structure of a JPEG, PNG, WebP or GIF read far enough to know its size,
without decoding it (core has no image library, and a cover is shown by Qt, which decodes it).

A file named ``cover.jpg`` that is an HTML error page, a truncated download or random bytes is refused
before anything is written to the library; so is a picture too large to be a cover (a decompression
bomb of 60,000 × 60,000 pixels is a few kilobytes of PNG).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from bookdesk.errors import BookDeskError

MAX_SIDE = 12_000  # pixels: larger than any printed cover at 1,200 dpi


class CoverError(BookDeskError):
    """A cover that cannot be used, in words a person can act on; nothing was written."""


@dataclass(frozen=True)
class CoverImage:
    data: bytes
    ext: str  # jpg, png, webp, gif: the file extension it is saved with
    width: int
    height: int


def checked_image(data: bytes, where: str) -> CoverImage:
    """``data`` as a cover, or CoverError saying why not; ``where`` names it ("photo.png", an address)."""
    for ext, size_of in (("jpg", _jpeg), ("png", _png), ("gif", _gif), ("webp", _webp)):
        size = size_of(data)
        if size is _NOT_THIS:
            continue
        if size is None:
            raise CoverError(f"{where} is a damaged or incomplete {_NAMES[ext]} image; choose another picture.")
        width, height = size
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
            raise CoverError(f"{where} is {width} × {height} pixels, too large for a cover "
                             f"(at most {MAX_SIDE:,} on a side).")
        return CoverImage(data, ext, width, height)
    raise CoverError(f"{where} is not a picture BookDesk can use as a cover (JPEG, PNG, WebP or GIF).")


_NAMES = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}
_NOT_THIS = (-1, -1)  # the signature is another format's
Size = tuple[int, int] | None  # None: this format's signature, but broken


def _png(data: bytes) -> Size:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _NOT_THIS
    offset, size, seen_data = 8, None, False
    while offset + 12 <= len(data):  # every chunk whole with a right checksum, up to IEND
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if len(body) < length or offset + 12 + length > len(data):
            return None
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            return None
        if kind == b"IHDR" and length == 13:
            size = struct.unpack(">II", body[:8])
        seen_data |= kind == b"IDAT"
        if kind == b"IEND":
            return size if seen_data else None
        offset += 12 + length
    return None


# Start-of-frame markers: C0-CF but for DHT (C4), JPG (C8) and DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> Size:
    if not data.startswith(b"\xff\xd8\xff"):
        return _NOT_THIS
    offset, size = 2, None
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        if length < 2 or offset + 2 + length > len(data):
            return None
        if marker in _SOF and length >= 7:
            height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: the picture follows, and ends with EOI
            return size if size and b"\xff\xd9" in data[-64:] else None
        offset += 2 + length
    return None


def _gif(data: bytes) -> Size:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return _NOT_THIS
    if len(data) < 14 or b"\x2c" not in data[13:] or not data.rstrip(b"\x00").endswith(b"\x3b"):
        return None  # no image descriptor, or no trailer: cut short
    return struct.unpack("<HH", data[6:10])


def _webp(data: bytes) -> Size:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return _NOT_THIS
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 > len(data) or len(data) < 30:
        return None
    kind = data[12:16]
    if kind == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None
