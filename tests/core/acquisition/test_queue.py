"""The download queue on the worker's loop, driven from the test's thread as the UI drives it."""

from __future__ import annotations

import errno
import hashlib
import io
import random
import threading
from datetime import datetime
from pathlib import Path

import pytest

from bookdesk.core.acquisition.http_fetch import open_part
from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
from bookdesk.core.acquisition.staging import DOWNLOADS
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.rate_limiter import Rate, RateLimiter
from bookdesk.core.worker import Worker
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.wanted_repository import WantedRepository
from bookdesk.errors import BookDeskError, UsageError
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition.test_http_fetch_server import FileServer, Gauge, Trick, wait_for

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


def test_a_download_is_fetched_checked_and_imported(make_queue, library: LibraryService, epub_bytes: bytes) -> None:
    heard: list[DownloadProgress] = []
    queue = make_queue()
    queue.add_listener(heard.append)
    with FileServer() as server:
        url = server.add("/padded.epub", epub_bytes)
        download_id = queue.enqueue(url, title="Padded Book")
        assert settled(queue, download_id) == "imported"

    record = queue.records()[0]
    assert (record.id, record.state, record.bytes_done, record.bytes_total) == \
        (download_id, "imported", len(epub_bytes), len(epub_bytes))
    assert record.correlation_id and record.work_id is not None
    assert sha((library.folder / record.path).read_bytes()) == sha(epub_bytes)
    # Listeners are told after the row is written: wait for the news rather than read it at once.
    wait_for(lambda: [p.state for p in heard if p.id == download_id][-1:] == ["imported"])
    states = [p.state for p in heard if p.id == download_id]
    assert states[0] == "queued" and "running" in states
    assert not list((library.folder / DOWNLOADS).glob("*"))  # nothing left in the downloads folder


def test_a_dropped_connection_resumes_with_a_range_request(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer() as server:
        url = server.add("/padded.epub", epub_bytes, tricks=[Trick(drop_after=500_000), Trick(drop_after=200_000)])
        download_id = queue.enqueue(url, import_after=False)
        assert settled(queue, download_id) == "completed"
    assert [s.range_start for s in server.requests_to("/padded.epub")] == [None, 500_000, 700_000]


def test_429_retry_after_is_waited_out(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer() as server:
        url = server.add("/padded.epub", epub_bytes, tricks=[Trick(status=429, headers={"Retry-After": "1"})])
        download_id = queue.enqueue(url, import_after=False)
        wait_for(lambda: queue.progress(download_id).last_error is not None)
        record = queue.records()[0]
        assert record.next_retry_at is not None and "asked to wait 1 s" in record.last_error
        assert settled(queue, download_id) == "completed"
    first, second = server.requests_to("/padded.epub")
    assert second.at - first.at >= 1.0  # never before the server said it may be asked again


def test_a_server_that_keeps_failing_exhausts_the_attempts_with_a_clear_error(make_queue) -> None:
    queue = make_queue(max_attempts=3)
    with FileServer() as server:
        url = server.add("/book.epub", b"x", tricks=[Trick(status=503)] * 5)
        download_id = queue.enqueue(url)
        assert settled(queue, download_id) == "failed"
    record = queue.records()[0]
    assert "503" in record.last_error and "Gave up after 3 attempts" in record.last_error
    assert len(server.requests_to("/book.epub")) == 3


def test_no_more_than_the_per_host_cap_run_at_once(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue(concurrency=5, per_host=2)
    with FileServer() as server:
        server.hold = threading.Event()
        ids = [queue.enqueue(server.add(f"/{n}.epub", epub_bytes), import_after=False) for n in range(5)]
        wait_for(lambda: server.own.now == 2)
        assert sum(queue.progress(i).state == "running" for i in ids) == 2
        server.hold.set()
        assert [settled(queue, i) for i in ids] == ["completed"] * 5
    assert server.own.peak == 2


def test_no_more_than_the_global_cap_run_at_once_over_hosts(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue(concurrency=3, per_host=2)
    gauge = Gauge()
    with FileServer(gauge=gauge) as one, FileServer(gauge=gauge) as two:
        one.hold = two.hold = threading.Event()
        ids = [queue.enqueue(server.add(f"/{n}.epub", epub_bytes), import_after=False)
               for n in range(3) for server in (one, two)]
        wait_for(lambda: gauge.now == 3)
        one.hold.set()
        assert [settled(queue, i) for i in ids] == ["completed"] * 6
    assert gauge.peak == 3 and one.own.peak <= 2 and two.own.peak <= 2


def test_pause_keeps_the_bytes_and_resume_goes_on_from_them(make_queue, library, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer(chunk_delay=0.01) as server:
        url = server.add("/padded.epub", epub_bytes)
        download_id = queue.enqueue(url, import_after=False)
        wait_for(lambda: part_size(library, download_id) > 100_000)
        queue.pause(download_id)
        assert queue.progress(download_id).state == "paused"
        kept = part_size(library, download_id)
        with pytest.raises(UsageError, match="only a failed or cancelled download"):
            queue.retry(download_id)
        queue.resume(download_id)
        assert settled(queue, download_id) == "completed"
    starts = [s.range_start for s in server.requests_to("/padded.epub")]
    assert starts[0] is None and starts[1] is not None and starts[1] >= kept > 0
    record = queue.records()[0]
    assert sha((library.folder / record.path).read_bytes()) == sha(epub_bytes)


def test_cancel_deletes_the_part_and_retry_starts_again(make_queue, library, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer(chunk_delay=0.01) as server:
        url = server.add("/padded.epub", epub_bytes)
        download_id = queue.enqueue(url, import_after=False)
        wait_for(lambda: part_size(library, download_id) > 0)
        queue.cancel(download_id)
        assert settled(queue, download_id) == "cancelled"
        wait_for(lambda: server.own.now == 0)  # nothing more is sent that could write the part again
        assert part_size(library, download_id) == 0
        server.chunk_delay = 0.0
        queue.retry(download_id)
        assert settled(queue, download_id) == "completed"
    assert server.requests_to("/padded.epub")[-1].range_start is None


def test_remove_forgets_a_download_and_its_part(make_queue, library, epub_bytes: bytes) -> None:
    queue = make_queue()
    heard: list[DownloadProgress] = []
    queue.add_listener(heard.append)
    with FileServer(chunk_delay=0.01) as server:
        download_id = queue.enqueue(server.add("/padded.epub", epub_bytes), import_after=False)
        wait_for(lambda: part_size(library, download_id) > 0)
        queue.remove(download_id)
        wait_for(lambda: server.own.now == 0)  # nothing more is sent that could write the part again
    assert queue.records() == [] and part_size(library, download_id) == 0
    assert heard[-1].state == "removed"


def test_a_new_queue_resumes_what_the_last_one_left(make_queue, library, epub_bytes: bytes) -> None:
    first = make_queue()
    with FileServer(chunk_delay=0.01) as server:
        url = server.add("/padded.epub", epub_bytes)
        download_id = first.enqueue(url, import_after=False)
        wait_for(lambda: part_size(library, download_id) > 100_000)
        first.stop()  # the app closes
        assert first.progress(download_id).state == "queued"
        kept = part_size(library, download_id)
        server.chunk_delay = 0.0
        second = make_queue()  # the next start
        assert settled(second, download_id) == "completed"
    assert server.requests_to("/padded.epub")[-1].range_start == kept


def test_an_html_page_is_refused_and_the_other_downloads_go_on(make_queue, library, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer() as server:
        page = queue.enqueue(server.add("/login.epub", b"<!DOCTYPE html><html>Log in</html>",
                                        content_type="text/html"))
        book = queue.enqueue(server.add("/padded.epub", epub_bytes))
        assert settled(queue, page) == "failed" and settled(queue, book) == "imported"
    record = queue.progress(page)
    assert record.last_error == "The download is not an EPUB: it is an HTML page." and record.correlation_id
    assert part_size(library, page) == 0 and library.count() == 1


def test_a_claimed_format_the_file_is_not_is_refused(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/get", epub_bytes) + "?id=1", expected_format="pdf")
        assert settled(queue, download_id) == "failed"
    assert "not a PDF: it is an EPUB" in queue.progress(download_id).last_error


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
    # and the queue still shuts down (the fixture closes it) while the catalog refuses to record that


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


def test_a_download_for_a_wanted_book_makes_it_owned(make_queue, library, tmp_path: Path) -> None:
    with library.catalog.write() as session:
        [wanted] = WantedRepository(session).add_placeholders(
            [NewWork(title="Saga #2", contributors=[Contributor("Ann Author")], series=[SeriesRef("Saga", "2", 2.0)],
                     status="wanted")], [None], [""], datetime(2026, 1, 1))
    book = write_epub(tmp_path / "b.epub", simple_metadata("The Middle Book", "Ann Author")).read_bytes()
    queue = make_queue()
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/middle.epub", book), work_id=wanted, title="Saga #2")
        assert settled(queue, download_id) == "imported"
    assert queue.progress(download_id).work_id == wanted
    detail = library.detail(wanted)
    assert detail.status == "owned" and len(detail.files) == 1
    with library.catalog.read() as session:
        assert WantedRepository(session).wanted() == []


def test_downloads_queued_under_one_ref_are_each_imported(make_queue, library, tmp_path: Path) -> None:
    """A search job (or the retry of a failed download) queues downloads under its own Ref: the guard
    against importing a download twice goes by the download, so the second is imported too, not taken
    for the first's import (it was marked imported with the first's book, and never imported)."""
    from bookdesk import correlation

    first = write_epub(tmp_path / "a.epub", simple_metadata("The First Book", "Ann Author")).read_bytes()
    second = write_epub(tmp_path / "b.epub", simple_metadata("The Other Book", "Bea Writer")).read_bytes()
    queue = make_queue()
    with FileServer() as server, correlation.bound("BD-SHAR1"):
        one = queue.enqueue(server.add("/first.epub", first), title="The First Book")
        assert settled(queue, one) == "imported"
        two = queue.enqueue(server.add("/second.epub", second), title="The Other Book")
        assert settled(queue, two) == "imported"
    works = {i: queue.progress(i).work_id for i in (one, two)}
    assert works[one] != works[two]
    assert library.detail(works[two]).title == "The Other Book" and len(library.detail(works[two]).files) == 1
    refs = {queue.progress(i).correlation_id for i in (one, two)}
    assert len(refs) == 2  # each download's Ref names its own import: `bookdesk undo` of it takes out its book


def test_a_download_queued_by_a_job_names_its_own_import(make_queue, library, tmp_path: Path) -> None:
    """The search job that grabbed a download has the download's Ref already, so its import runs under
    another: the row is given that one, for the guard against a second import after a crash (it looked
    under the job's Ref and found nothing) and for `bookdesk undo` of the Ref the download shows."""
    from bookdesk import correlation
    from bookdesk.core.acquisition.arrival import arrived_for
    from bookdesk.core.jobs import JobRunner
    from bookdesk.data.import_repository import ImportRepository

    book = write_epub(tmp_path / "a.epub", simple_metadata("The Grabbed Book", "Ann Author")).read_bytes()
    search = JobRunner(library.catalog).create("search", "Search for wanted books")
    queue = make_queue()
    with FileServer() as server, correlation.bound(search.correlation_id):
        download_id = queue.enqueue(server.add("/grabbed.epub", book), title="The Grabbed Book")
        assert settled(queue, download_id) == "imported"
    ref = queue.progress(download_id).correlation_id
    assert ref != search.correlation_id
    work_id = queue.progress(download_id).work_id
    with library.catalog.read() as session:
        placed = [s.target_path for s in ImportRepository(session).sources_of(ref)]
    assert placed == [f.path for f in library.detail(work_id).files]
    arrival = arrived_for(library, download_id)
    assert arrival is not None and (arrival.work_id, arrival.placed) == (work_id, placed)


def test_the_same_address_is_not_queued_twice_and_bad_addresses_are_refused(make_queue) -> None:
    queue = make_queue()
    with FileServer() as server:
        server.hold = threading.Event()
        url = server.add("/x.epub", b"x")
        assert queue.enqueue(url) == queue.enqueue(url)
        server.hold.set()
    with pytest.raises(UsageError, match="not an http"):
        queue.enqueue("file:///etc/passwd")


def test_a_server_that_always_sends_less_than_it_announces_fails_clearly(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue(max_attempts=3)
    lie = Trick(claim_length=len(epub_bytes) + 1000, ignore_range=True)
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/liar.epub", epub_bytes, tricks=[lie] * 10))
        assert settled(queue, download_id) == "failed"
    record = queue.progress(download_id)
    assert "ended after" in record.last_error and "Gave up after 3 attempts" in record.last_error
    # the first attempt brought bytes; the two that only brought the same bytes again count
    assert len(server.requests_to("/liar.epub")) == 4


def test_downloads_of_a_client_are_not_the_queues_to_pause(make_queue, library) -> None:
    from bookdesk.data.download_repository import DownloadDraft, DownloadRepository

    with library.catalog.write() as session:
        torrent = DownloadRepository(session).add(DownloadDraft(url="magnet:?xt=x", source="indexer", kind="torrent",
                                                                client="qbittorrent", state="running"))
    queue = make_queue()
    with pytest.raises(UsageError, match="handled by its download client"):
        queue.pause(torrent)
    assert queue.records() == [] and len(queue.records(kind=None)) == 1


def test_a_wrong_content_type_does_not_matter_when_the_bytes_are_a_book(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/book.epub", epub_bytes, content_type="text/html"))
        assert settled(queue, download_id) == "imported"
