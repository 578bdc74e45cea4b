"""The download queue under control: its caps per host and overall, pause and resume, cancel and
retry, remove, a new queue going on from the last, and downloads that are a client's to handle."""

from __future__ import annotations

import threading

import pytest

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.errors import UsageError
from tests.core.acquisition import queue_harness
from tests.core.acquisition.queue_harness import part_size, settled, sha
from tests.core.acquisition.test_http_fetch_server import FileServer, Gauge, wait_for

# the queue tests' fixtures (make_queue finds the library and the running worker by name, so they come too)
library, worker, make_queue, epub_bytes = (
    queue_harness.library, queue_harness.worker, queue_harness.make_queue, queue_harness.epub_bytes)


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


def test_downloads_of_a_client_are_not_the_queues_to_pause(make_queue, library) -> None:
    from bookdesk.data.download_repository import DownloadDraft, DownloadRepository

    with library.catalog.write() as session:
        torrent = DownloadRepository(session).add(DownloadDraft(url="magnet:?xt=x", source="indexer", kind="torrent",
                                                                client="qbittorrent", state="running"))
    queue = make_queue()
    with pytest.raises(UsageError, match="handled by its download client"):
        queue.pause(torrent)
    assert queue.records() == [] and len(queue.records(kind=None)) == 1
