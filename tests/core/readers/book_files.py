"""Shared by the reader tests: where the committed fixtures are, units for files, and a builder
of small MOBI files whose every header field a test can set (or break)."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

from bookdesk.core.importer.formats import format_of
from bookdesk.core.importer.units import BookUnit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 48 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 56


def unit_for(path: Path, root: Path | None = None, parts: Iterable[Path] | None = None) -> BookUnit:
    """The unit discovery would make for ``path`` (or for ``parts``, a book in parts)."""
    files = tuple(parts) if parts is not None else (path,)
    book_format = format_of(files[0])
    assert book_format is not None, files[0]
    return BookUnit(parts=files, format=book_format, root=root or files[0].parent)


def build_mobi(path: Path, exth: Iterable[tuple[int, bytes]] = (), *, full_name: bytes = b"Full Name",
               encryption: int = 0, version: int = 6, images: Iterable[bytes] = (), header_length: int = 232,
               encoding: int = 65001, exth_count: int | None = None, offsets: list[int] | None = None) -> Path:
    """A MOBI file as calibre and Amazon lay it out: PalmDB header, record 0 (PalmDOC header,
    MOBI header, EXTH, full name), one text record, then image records."""
    records_exth = list(exth)
    body = b"".join(struct.pack(">II", kind, len(data) + 8) + data for kind, data in records_exth)
    exth_block = b"EXTH" + struct.pack(">II", 12 + len(body), len(records_exth) if exth_count is None else exth_count)
    exth_block += body + b"\x00" * (-len(body) % 4)
    mobi = bytearray(max(header_length, 116))
    mobi[0:4] = b"MOBI"
    struct.pack_into(">IIII", mobi, 4, header_length, 2, encoding, 0xABCD)
    struct.pack_into(">I", mobi, 20, version)
    images = list(images)
    first_image = 2 if images else 0xFFFFFFFF
    name_at = 16 + header_length + len(exth_block)
    struct.pack_into(">II", mobi, 68, name_at, len(full_name))
    struct.pack_into(">I", mobi, 92, first_image)
    struct.pack_into(">I", mobi, 112, 0x50)  # EXTH present
    palmdoc = struct.pack(">HHIHHHH", 2, 0, 11, 1, 4096, encryption, 0)
    record0 = palmdoc + bytes(mobi[:header_length]) + exth_block + full_name + b"\x00\x00"
    records = [record0, b"Hello text."] + images
    table_end = 78 + 8 * len(records) + 2
    starts, at = [], table_end
    for record in records:
        starts.append(at)
        at += len(record)
    starts = offsets if offsets is not None else starts
    header = bytearray(78)
    header[0:len(b"Test_Book")] = b"Test_Book"
    header[60:68] = b"BOOKMOBI"
    struct.pack_into(">H", header, 76, len(records))
    table = b"".join(struct.pack(">II", start, i) for i, start in enumerate(starts))
    path.write_bytes(bytes(header) + table + b"\x00\x00" + b"".join(records))
    return path
