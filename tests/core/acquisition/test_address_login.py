"""A download address with a login in it (``user:password@``, ``?apikey=``): the catalog keeps the
address without it, the SecretStore keeps the login, and the request to its server gets it back,
in this run and in a later one that resumes the download."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bookdesk.core.acquisition.address_login import keep_login, login_name, with_login
from bookdesk.core.acquisition.queue import DownloadQueue, QueueSettings
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.rate_limiter import Rate, RateLimiter
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.redaction import MASK, UrlCredentials, redact_text
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition import queue_harness
from tests.core.acquisition.test_http_fetch_server import wait_for
from tests.servers.http_harness import start_server

PASSWORD, KEY = "pw-queue-77", "QKEY-31415"
library, worker = queue_harness.library, queue_harness.worker  # the queue tests' fixtures: a library, a running worker


class LockedServer:
    """Serves one EPUB at /book.epub to ``ann`` with PASSWORD and ``apikey=KEY``; challenges others."""

    def __init__(self, book: bytes) -> None:
        self.refused = 0
        expected = "Basic " + base64.b64encode(f"ann:{PASSWORD}".encode()).decode()

        def answer(request: BaseHTTPRequestHandler) -> None:
            key = parse_qs(urlsplit(request.path).query).get("apikey")
            if request.headers.get("Authorization") != expected or key != [KEY]:
                self.refused += 1
                request.send_response(401)
                request.send_header("WWW-Authenticate", 'Basic realm="books"')
                request.send_header("Content-Length", "0")
                request.end_headers()
                return
            request.send_response(200)
            request.send_header("Content-Type", "application/epub+zip")
            request.send_header("Content-Length", str(len(book)))
            request.end_headers()
            request.wfile.write(book)

        self._http = start_server(answer)
        port = self._http.port
        self.url = f"http://ann:{PASSWORD}@127.0.0.1:{port}/book.epub?id=3&apikey={KEY}"
        self.clean = f"http://127.0.0.1:{port}/book.epub?id=3"

    def close(self) -> None:
        self._http.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LockedServer]:
    book = write_epub(tmp_path / "src" / "book.epub", simple_metadata("Locked Book", "Ann Author"))
    running = LockedServer(book.read_bytes())
    yield running
    running.close()


def _queue(library: LibraryService, secrets: InMemorySecretStore) -> DownloadQueue:
    return DownloadQueue(library, settings=QueueSettings(backoff=0.01, max_attempts=1), secrets=secrets,
                         limiter=RateLimiter({}, default=Rate(1000, 1.0, burst=1000)))


def _final(queue: DownloadQueue, download_id: int) -> str:
    wait_for(lambda: queue.progress(download_id).state in ("imported", "failed"))
    return queue.progress(download_id).state


def test_the_login_of_a_download_address_goes_to_the_secret_store_and_back_to_its_server(server, library, worker):
    secrets = InMemorySecretStore()
    queue = _queue(library, secrets)
    queue.start_in(worker)
    try:
        download_id = queue.enqueue(server.url)
        assert _final(queue, download_id) == "imported"
        [record] = queue.records()
    finally:
        queue.stop()

    assert record.url.partition("#")[0] == server.clean and record.title == "book.epub"
    assert PASSWORD in (secrets.get(login_name(record.url)) or "")
    catalog = (library.folder / "bookdesk.sqlite3").read_bytes()
    assert PASSWORD.encode() not in catalog and KEY.encode() not in catalog


def test_a_later_run_resumes_the_download_with_the_login_from_the_store(server, library, worker):
    secrets = InMemorySecretStore()
    first = _queue(library, secrets)
    download_id = first.enqueue(server.url)  # queued, never started: the app was closed

    later = _queue(library, secrets)  # the next start, with the same keyring
    later.start_in(worker)
    try:
        assert _final(later, download_id) == "imported"
    finally:
        later.stop()


def test_without_the_login_a_later_run_is_refused_and_says_why(server, library, worker):
    download_id = _queue(library, InMemorySecretStore()).enqueue(server.url)

    later = _queue(library, InMemorySecretStore())  # no keyring here: the login lasted one run only
    later.start_in(worker)
    try:
        assert _final(later, download_id) == "failed"
        error = later.progress(download_id).last_error or ""
    finally:
        later.stop()
    assert "refused the download" in error and "login" in error
    assert PASSWORD not in error and KEY not in error


def test_an_address_without_a_login_is_left_as_it_is():
    secrets = InMemorySecretStore()
    plain = "https://books.example/free/book.epub?id=9"
    assert keep_login(plain, secrets) == plain
    assert with_login(plain, secrets) == (plain, None)


def test_each_download_gets_back_its_own_login_not_the_last_one_given_for_its_server():
    secrets = InMemorySecretStore()
    first = keep_login("https://lib.example/get.php?md5=aaa&key=KEYA111", secrets)
    second = keep_login("https://lib.example/get.php?md5=bbb&key=KEYB222", secrets)

    assert with_login(first, secrets)[0] == "https://lib.example/get.php?md5=aaa&key=KEYA111"
    assert with_login(second, secrets)[0] == "https://lib.example/get.php?md5=bbb&key=KEYB222"


def test_downloads_told_apart_only_by_their_key_stay_two_downloads():
    # A key that names the file: without it both addresses are the same.
    secrets = InMemorySecretStore()
    first = keep_login("https://files.example/download?key=FILEKEY-1", secrets)
    second = keep_login("https://files.example/download?key=FILEKEY-2", secrets)

    assert first != second
    assert "FILEKEY" not in first + second
    assert keep_login("https://files.example/download?key=FILEKEY-1", secrets) == first  # the same one again
    assert with_login(first, secrets)[0] == "https://files.example/download?key=FILEKEY-1"
    assert with_login(second, secrets)[0] == "https://files.example/download?key=FILEKEY-2"


def test_the_queue_keeps_two_downloads_that_differ_only_in_their_key(library):
    queue = _queue(library, InMemorySecretStore())
    one = queue.enqueue("https://files.example/download?key=QFILE-1")
    two = queue.enqueue("https://files.example/download?key=QFILE-2")
    again = queue.enqueue("https://files.example/download?key=QFILE-1")

    assert one != two and again == one
    assert len(queue.records()) == 2


class ForgetfulStore(InMemorySecretStore):
    """A keyring as KeyringSecretStore is: it remembers the entry it hands out whole, not what is in it."""

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._values.get(name)


def test_a_later_run_masks_the_login_it_reads_back_for_a_download():
    stored = "https://later.example/b.epub#login=0123456789abcdef"
    entry = UrlCredentials("ann", "later-pw-6612", (("apikey", "LATERKEY-6613"),)).to_secret()
    secrets = ForgetfulStore({login_name(stored): entry})  # kept by an earlier run

    url, auth = with_login(stored, secrets)

    assert url == "https://later.example/b.epub?apikey=LATERKEY-6613" and auth is not None
    said = redact_text("server: later-pw-6612 and LATERKEY-6613 are not welcome")
    assert "later-pw-6612" not in said and "LATERKEY-6613" not in said and MASK in said


def test_the_opds_command_takes_the_login_out_of_its_address_the_one_way_downloads_do():
    import bookdesk.cli.opds_command as command
    from bookdesk.core.acquisition import address_login

    assert command.take_login is address_login.take_login
    assert not hasattr(command, "split_credentials") and not hasattr(command, "with_params")


def test_a_removed_download_takes_its_login_out_of_the_keyring_unless_another_row_still_uses_it(library):
    from bookdesk.data.download_repository import DownloadRepository

    secrets = InMemorySecretStore()
    queue = _queue(library, secrets)  # never started: the rows stay queued
    first = queue.enqueue("https://files.example/download?key=GONE-KEY-1")
    name = login_name(queue.progress(first).url)
    with library.catalog.write() as session:  # it failed; the same link is queued again, a second row
        DownloadRepository(session).update(first, state="failed")
    second = queue.enqueue("https://files.example/download?key=GONE-KEY-1")
    assert second != first

    queue.remove(second)
    assert secrets.get(name) is not None  # the failed one may still be retried with it

    queue.remove(first)
    assert secrets.get(name) is None
