"""The download queue when the disk fills or the catalog stops taking writes: the download ends
clearly for its listeners and waiters, keeps its bytes, and its book is imported once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.errors import BookDeskError
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition import queue_harness
from tests.core.acquisition.queue_harness import Disk, part_size, settled
from tests.core.acquisition.test_http_fetch_server import FileServer, wait_for

# the queue tests' fixtures (make_queue finds the library and the running worker by name, so they come too)
library, worker, make_queue, epub_bytes = (
    queue_harness.library, queue_harness.worker, queue_harness.make_queue, queue_harness.epub_bytes)


def test_a_full_disk_fails_that_download_clearly_keeps_its_bytes_and_retry_goes_on(
        make_queue, library, epub_bytes: bytes) -> None:
    disk = Disk()
    queue = make_queue(opener=disk)
    with FileServer(chunk_delay=0.005) as server:
        url = server.add("/padded.epub", epub_bytes)
        download_id = queue.enqueue(url)
        wait_for(lambda: part_size(library, download_id) > 100_000)
        disk.full.set()
        assert settled(queue, download_id) == "failed"
        record = queue.progress(download_id)
        assert "disk holding the library is full" in record.last_error and record.correlation_id
        kept = part_size(library, download_id)
        assert kept > 100_000 and library.count() == 0  # nothing half-imported
        disk.full.clear()
        server.chunk_delay = 0.0
        queue.retry(download_id)
        assert settled(queue, download_id) == "imported"
    assert server.requests_to("/padded.epub")[-1].range_start == kept


def test_a_disk_too_full_to_record_the_failure_still_ends_the_download_and_its_waiters(
        make_queue, library, worker, epub_bytes: bytes, monkeypatch) -> None:
    from contextlib import contextmanager

    from bookdesk.errors import CatalogDiskFullError

    disk = Disk()
    writes = library.catalog.write

    @contextmanager
    def write():  # the catalog shares the full disk: SQLITE_FULL, as the catalog reports it
        if disk.full.is_set():
            raise CatalogDiskFullError("The disk holding the library is full; free some space on it and try again.")
        with writes() as session:
            yield session

    monkeypatch.setattr(library.catalog, "write", write)
    queue = make_queue(opener=disk)
    heard: list[DownloadProgress] = []
    queue.add_listener(heard.append)
    with FileServer(chunk_delay=0.005) as server:
        download_id = queue.enqueue(server.add("/padded.epub", epub_bytes))
        wait_for(lambda: part_size(library, download_id) > 100_000)
        disk.full.set()
        with pytest.raises(CatalogDiskFullError) as stopped:
            worker.run(lambda: queue.wait([download_id])).result(60)  # a hang fails here
    assert stopped.value.correlation_id == queue.progress(download_id).correlation_id
    assert "disk holding the library is full" in stopped.value.message
    assert (heard[-1].state, heard[-1].last_error) == ("failed", stopped.value.message)
    disk.full.clear()


@pytest.mark.parametrize("refusal", ["corrupt", "read-only", "sqlite"])
def test_a_catalog_that_stops_taking_writes_still_ends_the_download_and_its_waiters(
        make_queue, library, worker, epub_bytes: bytes, monkeypatch, refusal: str) -> None:
    """Not only a full disk: damage found in use, a disk remounted read-only, or any other refusal of
    SQLite to record how the download ended must end it for its listeners and wait() (it hung)."""
    import sqlite3
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError

    from bookdesk.errors import CatalogCorruptError, LibraryReadOnlyError

    refusals = {
        "corrupt": lambda: CatalogCorruptError("The catalog is damaged; later changes are not saved."),
        "read-only": lambda: LibraryReadOnlyError("The library can only be read now."),
        "sqlite": lambda: OperationalError("UPDATE downloads", {}, sqlite3.OperationalError("disk I/O error")),
    }
    stop = threading.Event()
    writes = library.catalog.write

    @contextmanager
    def write():
        if stop.is_set():
            raise refusals[refusal]()
        with writes() as session:
            yield session

    monkeypatch.setattr(library.catalog, "write", write)
    queue = make_queue()
    heard: list[DownloadProgress] = []
    queue.add_listener(heard.append)
    with FileServer(chunk_delay=0.005) as server:
        download_id = queue.enqueue(server.add("/padded.epub", epub_bytes))
        wait_for(lambda: part_size(library, download_id) > 100_000)
        stop.set()
        with pytest.raises(Exception) as stopped:  # noqa: PT011 - each refusal is its own kind
            worker.run(lambda: queue.wait([download_id])).result(60)  # a hang fails here
    assert isinstance(stopped.value, BookDeskError)
    assert stopped.value.correlation_id == queue.progress(download_id).correlation_id
    assert (heard[-1].state, heard[-1].last_error) == ("failed", stopped.value.message)


@pytest.mark.parametrize("stays_full", [False, True], ids=["job-row-only", "disk-stays-full"])
def test_a_download_whose_import_ends_unrecorded_is_imported_once(
        make_queue, library, worker, tmp_path: Path, monkeypatch, stays_full: bool) -> None:
    """The import job succeeds but its end cannot be recorded (the disk fills as it ends): the book is
    in the library, so the download is not called 'not imported'; when the disk stays full its waiters
    hear that the book is in, and a later start finishes the download without a second copy."""
    from contextlib import contextmanager

    from bookdesk.data.job_repository import JobRepository
    from bookdesk.errors import CatalogDiskFullError

    full = threading.Event()
    finished, writes = JobRepository.finished, library.catalog.write

    def finish_job(repo, correlation_id: str, state: str, **kwargs) -> None:  # noqa: ANN001, ANN003
        if state == "succeeded" and not full.is_set():
            full.set()
            raise CatalogDiskFullError("The disk holding the library is full; free some space on it.")
        finished(repo, correlation_id, state, **kwargs)

    @contextmanager
    def write():
        if full.is_set() and stays_full:
            raise CatalogDiskFullError("The disk holding the library is full; free some space on it.")
        with writes() as session:
            yield session

    monkeypatch.setattr(JobRepository, "finished", finish_job)
    monkeypatch.setattr(library.catalog, "write", write)
    book = write_epub(tmp_path / "a.epub", simple_metadata("The Unrecorded Book", "Ann Author")).read_bytes()
    queue = make_queue()
    heard: list[DownloadProgress] = []
    queue.add_listener(heard.append)
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/unrecorded.epub", book), title="The Unrecorded Book")
        if stays_full:
            with pytest.raises(CatalogDiskFullError) as stopped:
                worker.run(lambda: queue.wait([download_id])).result(60)
            assert "imported" in stopped.value.message and "not imported" not in stopped.value.message
            assert heard[-1].state == "imported" and heard[-1].last_error == stopped.value.message
            full.clear()
            monkeypatch.setattr(library.catalog, "write", writes)
            queue.stop()
            queue = make_queue()
        assert settled(queue, download_id) == "imported"
    work_id = queue.progress(download_id).work_id
    assert work_id is not None and len(library.detail(work_id).files) == 1
    assert len(list(library.folder.rglob("*.epub"))) == 1  # never imported twice, nothing left behind
