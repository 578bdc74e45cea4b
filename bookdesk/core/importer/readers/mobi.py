"""MOBI and AZW3 (KF8) metadata from the PalmDB container's first record and its EXTH block.

Both formats share the container: a PalmDB header with a table of record offsets, record 0
holding the PalmDOC header, the MOBI header, the EXTH metadata and the full title, and later
records holding text and images. Only record 0 and the cover record are read, with every
offset checked against the file, so a file lying about its sizes cannot make BookDesk read
past its end or allocate what the lie asks for. DRM covers the text, not EXTH, so an
encrypted book still gives its metadata.
"""

from __future__ import annotations

import logging
import struct
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO

from bookdesk.core.importer.identifiers import normalise_asin, normalise_isbn
from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers.tag_values import clean, image_ext, people, published_from, strip_html
from bookdesk.errors import ImportFailedError

log = logging.getLogger(__name__)

MAX_RECORD0_BYTES = 4 * 1024 * 1024
MAX_COVER_BYTES = 16 * 1024 * 1024
_PALMDB_HEADER = 78
_NO_INDEX = 0xFFFFFFFF
_ENCODINGS = {65001: "utf-8", 1252: "cp1252"}
_EXTH_AUTHOR, _EXTH_PUBLISHER, _EXTH_DESCRIPTION, _EXTH_ISBN, _EXTH_SUBJECT, _EXTH_DATE = 100, 101, 103, 104, 105, 106
_EXTH_ASIN, _EXTH_ASIN2, _EXTH_TITLE, _EXTH_LANGUAGE = 113, 504, 503, 524
_EXTH_COVER, _EXTH_THUMB = 201, 202


def read_mobi(path: Path) -> BookMetadata:
    """What a MOBI, AZW or AZW3 file says about itself. Truncated or foreign files raise
    ImportFailedError naming the file."""
    try:
        with path.open("rb") as fh:
            return _read(fh, path.name)
    except OSError as exc:
        raise ImportFailedError(f"{path.name} cannot be read ({exc.strerror or exc}).") from exc


def _read(fh: BinaryIO, name: str) -> BookMetadata:
    size = fh.seek(0, 2)
    offsets = _record_offsets(fh, size, name)
    record0 = _record(fh, offsets, 0, size, MAX_RECORD0_BYTES)
    if record0 is None:
        raise ImportFailedError(f"{name} is damaged: its header record is larger than any real book's.")
    header = _MobiHeader.parse(record0, name)
    if header.encryption:
        log.info("%s is encrypted (DRM); only its metadata can be read.", name)
    exth = _exth(record0, header, name)
    meta = _metadata(exth, header)
    cover_offset = _int(exth, _EXTH_COVER) if _EXTH_COVER in exth else _int(exth, _EXTH_THUMB)
    if header.first_image != _NO_INDEX and cover_offset is not None and cover_offset != _NO_INDEX:
        index = header.first_image + cover_offset
        if index < len(offsets):
            data = _record(fh, offsets, index, size, MAX_COVER_BYTES)
            if (ext := image_ext(data)) is not None:
                meta.cover, meta.cover_ext = data, ext
    return meta


def _record_offsets(fh: BinaryIO, size: int, name: str) -> list[int]:
    fh.seek(0)
    head = fh.read(_PALMDB_HEADER)
    if len(head) < _PALMDB_HEADER:
        raise ImportFailedError(f"{name} is truncated: it is too short to be a MOBI/AZW3 book.")
    if head[60:68] != b"BOOKMOBI":
        raise ImportFailedError(f"{name} is not a MOBI/AZW3 book (its PalmDB type is {head[60:68]!r}).")
    (count,) = struct.unpack(">H", head[76:78])
    table = fh.read(8 * count)
    if count == 0 or len(table) < 8 * count:
        raise ImportFailedError(f"{name} is truncated: its record table is incomplete.")
    offsets = [struct.unpack_from(">I", table, 8 * i)[0] for i in range(count)]
    if offsets[0] < _PALMDB_HEADER + 8 * count or any(b < a for a, b in zip(offsets, offsets[1:], strict=False)):
        raise ImportFailedError(f"{name} is damaged: its record offsets are out of order.")
    if offsets[-1] > size:
        raise ImportFailedError(f"{name} is truncated: its records point past the end of the file.")
    return offsets


def _record(fh: BinaryIO, offsets: list[int], index: int, size: int, limit: int) -> bytes | None:
    """Record ``index``'s bytes, or None when it is larger than ``limit``."""
    start = offsets[index]
    end = offsets[index + 1] if index + 1 < len(offsets) else size
    if end - start > limit:
        return None
    fh.seek(start)
    return fh.read(end - start)


class _MobiHeader:
    __slots__ = ("encryption", "encoding", "version", "full_name", "first_image", "exth_at", "has_exth")

    @classmethod
    def parse(cls, record0: bytes, name: str) -> _MobiHeader:
        if len(record0) < 24 or record0[16:20] != b"MOBI":
            raise ImportFailedError(f"{name} is not a MOBI/AZW3 book: its first record has no MOBI header.")
        (length,) = struct.unpack_from(">I", record0, 20)
        end = 16 + length
        if length < 24 or end > len(record0):
            raise ImportFailedError(f"{name} is damaged: its MOBI header claims {length:,} bytes.")
        header = cls()

        def field(offset: int) -> int | None:  # a field beyond this header version's length is absent
            return struct.unpack_from(">I", record0, offset)[0] if offset + 4 <= end else None

        (header.encryption,) = struct.unpack_from(">H", record0, 12)
        header.encoding = _ENCODINGS.get(field(28) or 0, "cp1252")
        header.version = field(36) or 0
        header.first_image = field(108) if field(108) is not None else _NO_INDEX
        header.has_exth = bool((field(128) or 0) & 0x40)
        header.exth_at = end
        header.full_name = None
        offset, size = field(84), field(88)
        if offset is not None and size is not None and 0 < size <= 4096 and offset + size <= len(record0):
            header.full_name = clean(record0[offset:offset + size].decode(header.encoding, "replace"))
        return header


def _exth(record0: bytes, header: _MobiHeader, name: str) -> dict[int, list[bytes]]:
    """EXTH records by type. A record that overruns its block ends the reading, with a warning:
    what came before it is still good."""
    found: dict[int, list[bytes]] = defaultdict(list)
    at = header.exth_at
    if not header.has_exth or record0[at:at + 4] != b"EXTH" or at + 12 > len(record0):
        return found
    (count,) = struct.unpack_from(">I", record0, at + 8)
    position = at + 12
    for _ in range(min(count, 10_000)):
        if position + 8 > len(record0):
            log.warning("%s: the EXTH metadata ends early; %d records are missing.", name, count)
            break
        kind, length = struct.unpack_from(">II", record0, position)
        if length < 8 or position + length > len(record0):
            log.warning("%s: an EXTH record claims %s bytes, past its block; the rest is skipped.", name, length)
            break
        found[kind].append(record0[position + 8:position + length])
        position += length
    return found


def _metadata(exth: dict[int, list[bytes]], header: _MobiHeader) -> BookMetadata:
    def texts(kind: int) -> list[str]:
        return [t for t in (clean(v.decode(header.encoding, "replace")) for v in exth.get(kind, [])) if t]

    def first(kind: int) -> str | None:
        return next(iter(texts(kind)), None)

    meta = BookMetadata()
    meta.title = first(_EXTH_TITLE) or header.full_name or ""
    meta.contributors = people(texts(_EXTH_AUTHOR))
    meta.publisher = first(_EXTH_PUBLISHER)
    meta.description = strip_html(" ".join(texts(_EXTH_DESCRIPTION)))
    meta.subjects = texts(_EXTH_SUBJECT)
    meta.published = published_from(first(_EXTH_DATE))
    meta.language = first(_EXTH_LANGUAGE)
    isbn = next((i for i in map(normalise_isbn, texts(_EXTH_ISBN)) if i), None)
    asin = next((a for a in map(normalise_asin, texts(_EXTH_ASIN) + texts(_EXTH_ASIN2)) if a), None)
    meta.identifiers = {k: v for k, v in (("isbn", isbn), ("asin", asin)) if v}
    return meta


def _int(exth: dict[int, list[bytes]], kind: int) -> int | None:
    value = next(iter(exth.get(kind, [])), b"")
    return struct.unpack(">I", value)[0] if len(value) == 4 else None
