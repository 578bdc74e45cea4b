"""The read stage: hash each book and read what it says about itself, in parallel.

Big batches are read in worker processes (lxml, pypdf and mutagen hold the GIL, so
threads would use one core); small ones in threads, which start at once. A worker
never raises: any failure comes back as that book's error, so one bad file fails alone.
Covers are written to a cache folder rather than carried in memory, so a thousand big
covers cost disk, not RAM.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import uuid
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.importer.metadata import BookMetadata
from bookdesk.core.importer.readers import read_unit
from bookdesk.core.importer.units import BookUnit
from bookdesk.errors import ImportFailedError

_HASH_CHUNK = 1024 * 1024
# Below this many books, starting worker processes costs more than it saves.
PROCESS_THRESHOLD = 48
# How much lower than the app the reader processes run. There are as many readers as cores, so at the same
# priority the window's thread waited for a core behind them whenever it had something to paint
# (bench/ui_stalls.py import on 2 cores: the GUI thread idle, not holding or waiting for the GIL, in stalls of
# ~100 ms). Lower, they use what the window leaves, and an import takes as long when the window is idle.
READER_NICENESS = 10


@dataclass(slots=True)
class ReadResult:
    unit: BookUnit
    content_hash: str = ""
    size: int = 0
    mtime_ns: int = 0
    part_stats: tuple[tuple[int, int], ...] = ()  # (size, mtime_ns) per part, for re-import checks
    part_hashes: tuple[str, ...] = ()  # per part, to verify a moved part's copy before its source goes
    metadata: BookMetadata | None = None  # without cover bytes
    cover_file: Path | None = None
    error: str | None = None
    unexpected: bool = False  # the error came from a bug or a library, not from the file being bad


def make_pool(units: int) -> Executor:
    workers = max(1, os.cpu_count() or 1)
    if units >= PROCESS_THRESHOLD and workers > 1:
        # spawn, not fork: the GUI process has Qt and worker threads that must not be forked.
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_yield_to_the_window)
    return ThreadPoolExecutor(max_workers=max(2, workers))


def _yield_to_the_window() -> None:
    """Run in each reader process as it starts: a lower priority than the app's (where the OS has one)."""
    if hasattr(os, "nice"):
        os.nice(READER_NICENESS)


def read_one(unit: BookUnit, cover_dir: Path) -> ReadResult:
    """Hash and read one book. Runs in a pool; returns errors instead of raising them."""
    result = ReadResult(unit)
    name = unit.primary.name
    try:
        digest = hashlib.sha256()  # of the whole book, all parts in order
        stats, hashes = [], []
        for part in unit.parts:
            stat = part.stat()
            stats.append((stat.st_size, stat.st_mtime_ns))
            part_digest = hashlib.sha256()
            with part.open("rb") as fh:
                while chunk := fh.read(_HASH_CHUNK):
                    digest.update(chunk)
                    part_digest.update(chunk)
            hashes.append(part_digest.hexdigest())
        result.part_stats = tuple(stats)
        result.part_hashes = tuple(hashes)
        result.size = sum(size for size, _ in stats)
        result.mtime_ns = max(mtime for _, mtime in stats)
        if result.size == 0:
            raise ImportFailedError(f"{name} is empty.")
        result.content_hash = digest.hexdigest()
        metadata = read_unit(unit)
        if metadata.cover and metadata.cover_ext:
            cover_dir.mkdir(parents=True, exist_ok=True)
            target = cover_dir / f"{result.content_hash}.{metadata.cover_ext}"
            temp = cover_dir / f"{uuid.uuid4().hex}.part"
            temp.write_bytes(metadata.cover)
            os.replace(temp, target)
            result.cover_file = target
        metadata.cover = None
        result.metadata = metadata
    except ImportFailedError as exc:
        result.error = exc.message if exc.message.startswith(name) else f"{name}: {exc.message}"
    except FileNotFoundError:
        result.error = f"{name} disappeared before it could be read."
    except OSError as exc:
        result.error = f"{name} cannot be read ({exc.strerror or exc})."
    except Exception as exc:  # a parser bug must not take the batch down
        result.error = f"{name} could not be read ({type(exc).__name__}: {exc})."
        result.unexpected = True
    return result
