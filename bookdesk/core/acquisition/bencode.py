"""Bencoding, the format of .torrent files, and the one fact BookDesk needs from one: its info hash.

A download client names a torrent by the SHA-1 of its bencoded ``info`` dictionary; knowing it
before adding a .torrent file lets BookDesk find the torrent again in the client. Decoding is
strict and bounded: a .torrent is a few hundred kilobytes at most, and a hostile one must not
make us recurse or allocate without end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from bookdesk.errors import BookDeskError

MAX_TORRENT_BYTES = 16 * 1024 * 1024  # a torrent of a whole shelf of audiobooks is well under this
MAX_DEPTH = 64

Value = int | bytes | list["Value"] | dict[bytes, "Value"]


class BencodeError(BookDeskError):
    """The bytes are not a readable .torrent file."""


def encode(value: object) -> bytes:
    """``value`` (int, bytes, str, list, dict with bytes or str keys) bencoded; dict keys sorted as the format asks."""
    out: list[bytes] = []
    _encode(value, out)
    return b"".join(out)


def _encode(value: object, out: list[bytes]) -> None:
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        out.append(b"i%de" % value)
    elif isinstance(value, bytes | bytearray):
        out.append(b"%d:" % len(value))
        out.append(bytes(value))
    elif isinstance(value, str):
        _encode(value.encode("utf-8"), out)
    elif isinstance(value, list | tuple):
        out.append(b"l")
        for item in value:
            _encode(item, out)
        out.append(b"e")
    elif isinstance(value, Mapping):
        out.append(b"d")
        keys = {(k.encode("utf-8") if isinstance(k, str) else k): v for k, v in value.items()}
        for key in sorted(keys):
            _encode(key, out)
            _encode(keys[key], out)
        out.append(b"e")
    else:
        raise TypeError(f"cannot bencode {type(value).__name__}")


def decode(data: bytes) -> Value:
    """The value ``data`` holds; ``BencodeError`` when it is not exactly one well-formed value."""
    if len(data) > MAX_TORRENT_BYTES:
        raise BencodeError("The .torrent file is too large to be one.")
    value, end = _decode(data, 0, 0)
    if end != len(data):
        raise BencodeError("The .torrent file has bytes after its end.")
    return value


def _decode(data: bytes, at: int, depth: int) -> tuple[Value, int]:
    if depth > MAX_DEPTH:
        raise BencodeError("The .torrent file is nested too deeply to be real.")
    if at >= len(data):
        raise BencodeError("The .torrent file ends too early.")
    lead = data[at:at + 1]
    if lead == b"i":
        end = data.find(b"e", at)
        if end < 0:
            raise BencodeError("The .torrent file ends inside a number.")
        try:
            return int(data[at + 1:end]), end + 1
        except ValueError:
            raise BencodeError("The .torrent file has a malformed number.") from None
    if lead == b"l":
        items: list[Value] = []
        at += 1
        while data[at:at + 1] != b"e":
            item, at = _decode(data, at, depth + 1)
            items.append(item)
        return items, at + 1
    if lead == b"d":
        mapping: dict[bytes, Value] = {}
        at += 1
        while data[at:at + 1] != b"e":
            key, at = _decode(data, at, depth + 1)
            if not isinstance(key, bytes):
                raise BencodeError("The .torrent file has a dictionary key that is not a string.")
            mapping[key], at = _decode(data, at, depth + 1)
        return mapping, at + 1
    if lead.isdigit():
        colon = data.find(b":", at)
        if colon < 0 or not data[at:colon].isdigit():
            raise BencodeError("The .torrent file has a malformed string length.")
        length = int(data[at:colon])
        start = colon + 1
        if start + length > len(data):
            raise BencodeError("The .torrent file ends inside a string.")
        return data[start:start + length], start + length
    raise BencodeError("The bytes are not a .torrent file.")


def _info_span(data: bytes) -> tuple[int, int]:
    """Where the top-level ``info`` value starts and ends in ``data``: the hash is of those exact bytes."""
    if data[:1] != b"d":
        raise BencodeError("The .torrent file does not start with a dictionary.")
    at = 1
    while data[at:at + 1] != b"e":
        key, at = _decode(data, at, 1)
        start = at
        _, at = _decode(data, at, 1)
        if key == b"info":
            return start, at
    raise BencodeError("The .torrent file has no info dictionary.")


def info_hash(torrent: bytes) -> str:
    """The v1 info hash (40 lower-case hex digits) that download clients name this torrent by."""
    decode(torrent)  # the whole file is well-formed, not only its info part
    start, end = _info_span(torrent)
    if torrent[start:start + 1] != b"d":
        raise BencodeError("The .torrent file's info is not a dictionary.")
    return hashlib.sha1(torrent[start:end]).hexdigest()  # noqa: S324 - BitTorrent names torrents by SHA-1


def torrent_name(torrent: bytes) -> str:
    """The name the torrent gives its file or folder ('' when it has none)."""
    top = decode(torrent)
    info = top.get(b"info") if isinstance(top, dict) else None
    name = info.get(b"name.utf-8") or info.get(b"name") if isinstance(info, dict) else None
    return name.decode("utf-8", "replace") if isinstance(name, bytes) else ""
