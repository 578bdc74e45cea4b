"""The download queue fetching: a download fetched, checked and imported; resumed after a dropped
connection; a server's 429, failures, lies and wrong pages; bad addresses."""

from __future__ import annotations

import threading

import pytest

from bookdesk.core.acquisition.progress import DownloadProgress
from bookdesk.core.acquisition.staging import DOWNLOADS
from bookdesk.core.library_service import LibraryService
from bookdesk.errors import UsageError
from tests.core.acquisition import queue_harness
from tests.core.acquisition.queue_harness import part_size, settled, sha
from tests.core.acquisition.test_http_fetch_server import FileServer, Trick, wait_for

# the queue tests' fixtures (make_queue finds the library and the running worker by name, so they come too)
library, worker, make_queue, epub_bytes = (
    queue_harness.library, queue_harness.worker, queue_harness.make_queue, queue_harness.epub_bytes)


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


def test_a_wrong_content_type_does_not_matter_when_the_bytes_are_a_book(make_queue, epub_bytes: bytes) -> None:
    queue = make_queue()
    with FileServer() as server:
        download_id = queue.enqueue(server.add("/book.epub", epub_bytes, content_type="text/html"))
        assert settled(queue, download_id) == "imported"
