"""A .torrent of local files, made the way any torrent maker does: bencoded metadata with the SHA-1
of every piece. The file, placed in the client's save path, verifies as complete at once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bookdesk.core.acquisition.bencode import encode, info_hash

PIECE = 16 * 1024  # small pieces: the test books are small


def _pieces(files: list[Path]) -> bytes:
    hashes, buffer = [], b""
    for path in files:
        with path.open("rb") as handle:
            while chunk := handle.read(PIECE - len(buffer)):
                buffer += chunk
                if len(buffer) == PIECE:
                    hashes.append(hashlib.sha1(buffer).digest())
                    buffer = b""
    if buffer:
        hashes.append(hashlib.sha1(buffer).digest())
    return b"".join(hashes)


def make_torrent(content: Path) -> tuple[bytes, str]:
    """A private torrent (no DHT, no peers from anywhere) of a file or a folder; returns (bytes, info hash)."""
    if content.is_file():
        info: dict = {"name": content.name, "length": content.stat().st_size, "pieces": _pieces([content])}
    else:
        files = sorted(p for p in content.rglob("*") if p.is_file())
        info = {"name": content.name, "pieces": _pieces(files),
                "files": [{"length": p.stat().st_size, "path": list(p.relative_to(content).parts)} for p in files]}
    info.update({"piece length": PIECE, "private": 1})
    data = encode({"announce": "http://127.0.0.1:9/announce", "created by": "BookDesk tests", "info": info})
    return data, info_hash(data)
