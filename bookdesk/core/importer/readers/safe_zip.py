"""Zip containers (EPUB, CBZ) opened with limits, so a hostile archive cannot exhaust memory.

Members are looked up by name and read into memory up to a cap; nothing is ever extracted
to disk, so a member called ``../../etc/passwd`` is only a name. Before ``zipfile`` builds
its table of members, the end-of-directory record is checked, because a directory of
millions of entries would cost gigabytes of Python objects before any member is read.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from bookdesk.errors import ImportFailedError

MAX_MEMBERS = 50_000
MAX_DIRECTORY_BYTES = 32 * 1024 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """The archive at ``path``, after checking that its directory is of a sane size.

    Raises ImportFailedError naming ``what`` ("EPUB", "CBZ") for damaged or oversized archives.
    """
    try:
        with path.open("rb") as fh:
            check_directory(fh, f"{path.name} ({what})")
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportFailedError(f"{path.name} is not a valid {what}: the zip container is damaged ({exc}).") from exc


def check_directory(fh: BinaryIO, what: str) -> None:
    """Refuse an archive whose directory declares too many members or too many bytes."""
    size = fh.seek(0, 2)
    tail_length = min(size, 22 + 65_535)
    fh.seek(size - tail_length)
    tail = fh.read(tail_length)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:
        entries, directory_bytes = _zip64_counts(fh, tail, at, size)
    if entries > MAX_MEMBERS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise ImportFailedError(f"{what} declares {entries:,} members in a {directory_bytes:,}-byte directory, "
                                f"over BookDesk's limit of {MAX_MEMBERS:,}.")


def _zip64_counts(fh: BinaryIO, tail: bytes, at: int, size: int) -> tuple[int, int]:
    locator = at - 20
    if locator < 0 or tail[locator:locator + 4] != _EOCD64_LOCATOR:
        raise zipfile.BadZipFile("zip64 directory locator missing")
    (record_offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
    if record_offset + 56 > size:
        raise zipfile.BadZipFile("zip64 directory record out of the file")
    fh.seek(record_offset)
    record = fh.read(56)
    if record[:4] != _EOCD64:
        raise zipfile.BadZipFile("zip64 directory record damaged")
    entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    return entries, directory_bytes


def is_safe_name(name: str) -> bool:
    """False for member names that would leave their folder if anyone ever extracted them."""
    if not name or "\x00" in name or name.startswith(("/", "\\")) or ":" in name.split("/")[0]:
        return False
    normal = posixpath.normpath(name.replace("\\", "/"))
    return not (normal == ".." or normal.startswith("../") or normal.startswith("/"))


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str) -> bytes:
    """The member's bytes, never more than ``limit``: the declared size is checked and then the
    inflated stream is cut, because a zip bomb lies about its size."""
    if info.file_size > limit:
        raise ImportFailedError(f"The {what} claims {info.file_size:,} bytes, over the limit of {limit:,}.")
    with archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ImportFailedError(f"The {what} inflates past the limit of {limit:,} bytes.")
    return data
