"""What the download queue's tests share: a library, a running worker, a queue started on it with
short backoffs, a padded EPUB to send, a disk that can fill, and waiting for a download to settle.

The test modules take the fixtures by assigning them (``library = queue_harness.library``), so they
stay the queue tests' own and do not stand in for the suite's ``worker`` elsewhere."""

from __future__ import annotations

import errno
import hashlib
import io
import random
import threading
from pathlib import Path

import pytest

from bookdesk.core.acquisition.http_fetch import open_part
from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
from bookdesk.core.acquisition.staging import DOWNLOADS
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.rate_limiter import Rate, RateLimiter
from bookdesk.core.worker import Worker
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition.test_http_fetch_server import wait_for

FINAL = ("completed", "imported", "failed", "cancelled")


@pytest.fixture
def library(library_dir: Path):
    service = LibraryService.open(library_dir)
    yield service
    service.close()


@pytest.fixture
def worker(library: LibraryService):
    running = Worker(library.catalog)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def make_queue(library: LibraryService, worker: Worker):
    """A started queue with short backoffs and an unhurried rate limiter; stopped at the end."""
    made: list[DownloadQueue] = []

    def make(**options) -> DownloadQueue:
        opener = options.pop("opener", open_part)
        limiter = options.pop("limiter", None) or RateLimiter({}, default=Rate(1000, 1.0, burst=1000))
        settings = QueueSettings(**{"backoff": 0.01, "progress_interval": 0.0, "save_interval": 0.0, **options})
        queue = DownloadQueue(library, settings=settings, limiter=limiter, opener=opener)
        queue.start_in(worker)
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.stop()


@pytest.fixture
def epub_bytes(tmp_path: Path) -> bytes:
    # A real EPUB padded with an incompressible member, so it takes many chunks to send.
    book = write_epub(tmp_path / "src" / "book.epub", simple_metadata("Padded Book", "Ann Author"),
                      members={"OEBPS/padding.bin": random.Random(6).randbytes(2_000_000)})
    return book.read_bytes()


def settled(queue: DownloadQueue, download_id: int) -> str:
    """Wait for a download to finish: a download to import is not finished when merely completed."""
    def done() -> bool:
        record = next(r for r in queue.records() if r.id == download_id)
        return record.state in FINAL and not (record.state == "completed" and record.import_after)

    wait_for(done)
    return queue.progress(download_id).state


def part_size(library: LibraryService, download_id: int) -> int:
    part = library.folder / DOWNLOADS / f"{download_id}.part"
    return part.stat().st_size if part.exists() else 0


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Disk:
    """A disk that can be full: writes fail with ENOSPC while ``full`` is set."""

    def __init__(self) -> None:
        self.full = threading.Event()

    def __call__(self, path: Path, append: bool):
        fh, disk = open_part(path, append), self

        class Writer(io.BufferedIOBase):
            def write(self, data: bytes) -> int:
                if disk.full.is_set():
                    raise OSError(errno.ENOSPC, "No space left on device")
                return fh.write(data)

            def close(self) -> None:
                fh.close()
                super().close()

        return Writer()
