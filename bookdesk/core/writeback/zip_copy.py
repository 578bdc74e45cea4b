"""Rewriting one member of a zip container and copying every other member as it is.

Members other than the replaced one are copied as their raw compressed bytes, with their
names, times, attributes and extra fields, so they come out byte for byte the same and
nothing is decompressed or recompressed. ``mimetype`` is written first and stored, as the
EPUB container format requires. Python's ``zipfile`` has no raw copy, so the local headers,
the central directory and its end record are written here; ZIP64 and encrypted archives are
refused (no EPUB needs either).
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from bookdesk.core.writeback.errors import WritebackError

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_LIMIT = 0xFFFFFFFF
_UTF8_FLAG = 0x800
_DATA_DESCRIPTOR_FLAG = 0x08
_ENCRYPTED_FLAG = 0x01
_ZIP64_EXTRA = 0x0001
MIMETYPE = "mimetype"
EPUB_MIMETYPE = b"application/epub+zip"


@dataclass(slots=True)
class _Entry:
    name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed_size: int
    size: int
    central_extra: bytes
    comment: bytes
    create_version: int
    create_system: int
    extract_version: int
    internal_attr: int
    external_attr: int
    offset: int = 0


def rewrite(source: zipfile.ZipFile, source_fh: BinaryIO, out: BinaryIO, replaced: str, new_data: bytes,
            read_member: Callable[[zipfile.ZipInfo], bytes]) -> None:
    """Write to ``out`` the archive ``source`` with member ``replaced`` holding ``new_data``.

    ``read_member`` reads (with limits) a member that has to be rewritten rather than copied:
    a ``mimetype`` that was compressed or not first.
    """
    infos = source.infolist()
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise WritebackError("the archive names one member twice, so which one a reader uses is a guess")
    for info in infos:
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise WritebackError(f"the archive member {info.filename} is encrypted")
    entries: list[_Entry] = []
    mimetype = next((i for i in infos if i.filename == MIMETYPE), None)
    if mimetype is not None and _is_proper_mimetype(source_fh, mimetype, infos):
        entries.append(_copy_raw(source_fh, out, mimetype))
    else:
        data = read_member(mimetype).strip() if mimetype is not None else EPUB_MIMETYPE
        entries.append(_write_new(out, MIMETYPE.encode(), data or EPUB_MIMETYPE, zipfile.ZIP_STORED, None))
    for info in infos:
        if info.filename == MIMETYPE:
            continue
        if info.filename == replaced:
            method = info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                else zipfile.ZIP_DEFLATED
            entries.append(_write_new(out, _name_bytes(info), new_data, method, info))
        else:
            entries.append(_copy_raw(source_fh, out, info))
    _write_directory(out, entries, source.comment)


def _is_proper_mimetype(fh: BinaryIO, info: zipfile.ZipInfo, infos: list[zipfile.ZipInfo]) -> bool:
    """First, stored, and without an extra field in its local header (OCF asks for all three)."""
    if infos[0] is not info or info.compress_type != zipfile.ZIP_STORED:
        return False
    _, _, extra = _local_header(fh, info)
    return not extra


def _local_header(fh: BinaryIO, info: zipfile.ZipInfo) -> tuple[tuple, bytes, bytes]:
    fh.seek(info.header_offset)
    raw = fh.read(_LOCAL.size)
    if len(raw) != _LOCAL.size:
        raise WritebackError(f"the archive is truncated at {info.filename}")
    fields = _LOCAL.unpack(raw)
    if fields[0] != _LOCAL_SIG:
        raise WritebackError(f"the archive's entry for {info.filename} is damaged")
    name = fh.read(fields[10])
    extra = fh.read(fields[11])
    return fields, name, extra


def _copy_raw(fh: BinaryIO, out: BinaryIO, info: zipfile.ZipInfo) -> _Entry:
    fields, name, local_extra = _local_header(fh, info)
    if name.decode("utf-8" if fields[3] & _UTF8_FLAG else "cp437", "replace") != info.orig_filename:
        raise WritebackError(f"the archive's entry for {info.filename} names another file in its header")
    if max(info.compress_size, info.file_size, info.header_offset) >= _LIMIT:
        raise WritebackError(f"the archive member {info.filename} is too large to rewrite (ZIP64)")
    data_start = info.header_offset + _LOCAL.size + len(name) + len(local_extra)
    entry = _entry(info, name, info.compress_type, info.CRC, info.compress_size, info.file_size)
    entry.offset = out.tell()
    if not fields[3] & _DATA_DESCRIPTOR_FLAG and _without_zip64(local_extra) == local_extra:
        out.write(_LOCAL.pack(*fields))  # the header as it was, byte for byte
    else:  # sizes move from the trailing descriptor (or the ZIP64 record) into the header
        local_extra = _without_zip64(local_extra)
        out.write(_LOCAL.pack(_LOCAL_SIG, fields[1], fields[2], entry.flags, entry.method, fields[5], fields[6],
                              entry.crc, entry.compressed_size, entry.size, len(name), len(local_extra)))
    out.write(name)
    out.write(local_extra)
    fh.seek(data_start)
    remaining = info.compress_size
    while remaining:
        chunk = fh.read(min(remaining, 1024 * 1024))
        if not chunk:
            raise WritebackError(f"the archive is truncated inside {info.filename}")
        out.write(chunk)
        remaining -= len(chunk)
    return entry


def _write_new(out: BinaryIO, name: bytes, data: bytes, method: int, like: zipfile.ZipInfo | None) -> _Entry:
    if method == zipfile.ZIP_DEFLATED:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        payload = packer.compress(data) + packer.flush()
    else:
        payload = data
    crc = zlib.crc32(data) & 0xFFFFFFFF
    if like is not None:
        entry = _entry(like, name, method, crc, len(payload), len(data))
        entry.dos_time, entry.dos_date = _dos_now()  # the member's content is new
        entry.central_extra = b""  # its old extra fields (times, sizes) describe the old content
    else:
        dos_time, dos_date = _dos_now()
        entry = _Entry(name, 0, method, dos_time, dos_date, crc, len(payload), len(data), b"", b"", 20, 0, 20, 0, 0)
    entry.flags &= _UTF8_FLAG  # no data descriptor, no compression-option bits from the old content
    entry.extract_version = 20 if method == zipfile.ZIP_DEFLATED else 10
    entry.offset = out.tell()
    out.write(_LOCAL.pack(_LOCAL_SIG, entry.extract_version, 0, entry.flags, entry.method, entry.dos_time,
                          entry.dos_date, entry.crc, entry.compressed_size, entry.size, len(name), 0))
    out.write(name)
    out.write(payload)
    return entry


def _entry(info: zipfile.ZipInfo, name: bytes, method: int, crc: int, compressed: int, size: int) -> _Entry:
    dos_date = (info.date_time[0] - 1980) << 9 | info.date_time[1] << 5 | info.date_time[2]
    dos_time = info.date_time[3] << 11 | info.date_time[4] << 5 | info.date_time[5] // 2
    return _Entry(name=name, flags=info.flag_bits & ~_DATA_DESCRIPTOR_FLAG, method=method, dos_time=dos_time,
                  dos_date=dos_date, crc=crc, compressed_size=compressed, size=size,
                  central_extra=_without_zip64(info.extra), comment=info.comment,
                  create_version=info.create_version, create_system=info.create_system,
                  extract_version=20 if info.extract_version == 45 else info.extract_version,
                  internal_attr=info.internal_attr,
                  external_attr=info.external_attr)


def _write_directory(out: BinaryIO, entries: list[_Entry], comment: bytes) -> None:
    start = out.tell()
    for e in entries:
        if e.offset >= _LIMIT or e.compressed_size >= _LIMIT:
            raise WritebackError("the rewritten archive would need ZIP64, which EPUB readers do not expect")
        out.write(_CENTRAL.pack(_CENTRAL_SIG, e.create_version, e.create_system, e.extract_version, 0, e.flags,
                                e.method, e.dos_time, e.dos_date, e.crc, e.compressed_size, e.size, len(e.name),
                                len(e.central_extra), len(e.comment), 0, e.internal_attr, e.external_attr,
                                e.offset))
        out.write(e.name)
        out.write(e.central_extra)
        out.write(e.comment)
    size = out.tell() - start
    if len(entries) > 0xFFFF or start >= _LIMIT:
        raise WritebackError("the rewritten archive would need ZIP64, which EPUB readers do not expect")
    out.write(_END.pack(_END_SIG, 0, 0, len(entries), len(entries), size, start, len(comment[:0xFFFF])))
    out.write(comment[:0xFFFF])


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields minus any ZIP64 record: the sizes it would carry are in the headers now."""
    kept, at = bytearray(), 0
    while at + 4 <= len(extra):
        kind, length = struct.unpack("<HH", extra[at:at + 4])
        if at + 4 + length > len(extra):
            break  # a damaged tail is dropped, not copied
        if kind != _ZIP64_EXTRA:
            kept += extra[at:at + 4 + length]
        at += 4 + length
    return bytes(kept)


def _name_bytes(info: zipfile.ZipInfo) -> bytes:
    return info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_FLAG else "cp437", "strict")


def _dos_now() -> tuple[int, int]:
    t = time.localtime()
    return (t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2,
            (t.tm_year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday)
