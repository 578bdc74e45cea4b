"""A watch folder: books that appear in it are imported once they have stopped growing.

Polling rather than file-system events: it behaves the same on every OS and on network
drives, and a file still being copied or downloaded is simply seen again next time with a
new size. What is handed over is each entry at the top of the folder, a book file or a
folder (an audiobook of many parts, an author's folder), once every book file in it looked
the same twice, at least ``settle_seconds`` apart.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bookdesk.core.importer.formats import format_of

Signature = tuple[tuple[str, int, int], ...]  # (relative path, size, mtime_ns) of each book file


@dataclass
class WatchFolder:
    folder: Path
    settle_seconds: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[Path, tuple[Signature, float]] = field(default_factory=dict)
    _handed: dict[Path, Signature] = field(default_factory=dict)

    def ready(self) -> list[Path]:
        """Top-level entries whose books have settled since the last look and were not handed over yet."""
        now = self.clock()
        current = {entry: signature for entry in self._entries() if (signature := _signature(entry))}
        ready = []
        for entry, signature in current.items():
            before = self._seen.get(entry)
            if before is None or before[0] != signature:
                self._seen[entry] = (signature, now)  # new, or still growing: look again later
            elif now - before[1] >= self.settle_seconds and self._handed.get(entry) != signature:
                ready.append(entry)
                self._handed[entry] = signature
        for gone in set(self._seen) - set(current):
            self._seen.pop(gone, None)
            self._handed.pop(gone, None)
        return sorted(ready)

    def _entries(self) -> list[Path]:
        try:
            return [p for p in self.folder.iterdir() if not p.name.startswith(".")]
        except OSError:
            return []  # not there (yet), or unreadable: nothing to hand over


def _signature(entry: Path) -> Signature:
    files: list[Path] = []
    if entry.is_file():
        files = [entry]
    elif entry.is_dir() and not entry.is_symlink():
        for folder, dirs, names in os.walk(entry, followlinks=False):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            files += [Path(folder) / n for n in names if not n.startswith(".")]
    signature = []
    for path in files:
        if format_of(path) is None:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_size == 0:
            return ()  # a book file just created and not written yet: not ready
        signature.append((str(path.relative_to(entry.parent)), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(signature))
