"""The content hash BookDesk keeps for a book: SHA-256 over its bytes (all parts, in order)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

CHUNK = 1024 * 1024


def sha256_of(parts: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        with part.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
    return digest.hexdigest()
