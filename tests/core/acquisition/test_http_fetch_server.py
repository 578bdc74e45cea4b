"""A real file server on 127.0.0.1 for the download tests, and the tests that it behaves.

It serves bytes with ``Range`` and ``If-Range`` as real servers do, and can misbehave on cue:
drop the connection midway, answer 429 with Retry-After, announce more bytes than it sends,
send an HTML page, change the file (and its ETag) between two requests, send slowly, or hold
each answer until the test lets it go. It records every request and counts how many it is
answering at once, per server and over servers sharing a ``Gauge``.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import httpx

from tests.servers.http_harness import LocalHttpServer

CHUNK = 64 * 1024
_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


@dataclass
class Trick:
    """One misbehaviour, for one request. ``drop_after``: close after this many body bytes;
    ``status`` with ``headers``: answer that instead of the file; ``claim_length``: announce this
    Content-Length whatever is sent; ``ignore_range``: send the whole file with 200."""

    drop_after: int | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    claim_length: int | None = None
    ignore_range: bool = False


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived

    @property
    def range_start(self) -> int | None:
        match = _RANGE.match(self.headers.get("range", ""))
        return int(match.group(1)) if match else None


class Gauge:
    """How many answers are in flight at once, and the most ever."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def __enter__(self) -> Gauge:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.now -= 1


class FileServer:
    """``server.add("/book.epub", data)``; ``server.url("/book.epub")``; ``server.seen``."""

    def __init__(self, *, gauge: Gauge | None = None, chunk_delay: float = 0.0) -> None:
        self.files: dict[str, tuple[bytes, str, str]] = {}  # path -> (data, etag, content type)
        self.tricks: dict[str, list[Trick]] = {}
        self.seen: list[Seen] = []
        self.gauge = gauge or Gauge()
        self.own = Gauge()
        self.chunk_delay = chunk_delay  # seconds between chunks: a slow server
        self.hold: threading.Event | None = None  # when set up, answers wait for it
        self.bytes_sent = 0
        self._lock = threading.Lock()
        self._http = LocalHttpServer(self._counted, keep_alive=True)

    # ----- setting up ---------------------------------------------------------------------

    def add(self, path: str, data: bytes, *, etag: str | None = None, content_type: str = "application/epub+zip",
            tricks: list[Trick] | None = None) -> str:
        with self._lock:
            self.files[path] = (data, etag or f'"{hashlib.sha1(data).hexdigest()[:16]}"', content_type)
            self.tricks[path] = list(tricks or [])
        return self.url(path)

    def trick(self, path: str, *tricks: Trick) -> None:
        with self._lock:
            self.tricks.setdefault(path, []).extend(tricks)

    def url(self, path: str) -> str:
        return self._http.url + path

    @property
    def host(self) -> str:
        return self._http.host

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    def start(self) -> FileServer:
        self._http.start()
        return self

    def close(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self._http.stop()

    def __enter__(self) -> FileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- answering ------------------------------------------------------------------------

    def _counted(self, handler: BaseHTTPRequestHandler) -> None:
        with self.gauge, self.own:
            self._answer(handler)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.seen.append(Seen(path, headers, time.monotonic()))
            entry = self.files.get(path)
            tricks = self.tricks.get(path) or []
            trick = tricks.pop(0) if tricks else Trick()
        if self.hold is not None:
            self.hold.wait(30)
        try:
            if entry is None:
                self._send(handler, 404, {"Content-Type": "text/plain"}, b"not here")
            elif trick.status is not None:
                self._send(handler, trick.status, {"Content-Type": "text/html", **trick.headers}, trick.body)
            else:
                self._send_file(handler, entry, headers, trick)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    def _send_file(self, handler: BaseHTTPRequestHandler, entry: tuple[bytes, str, str], headers: dict[str, str],
                   trick: Trick) -> None:
        data, etag, content_type = entry
        start = 0
        match = _RANGE.match(headers.get("range", ""))
        if match and not trick.ignore_range and headers.get("if-range", etag) == etag:
            start = int(match.group(1))
        if start > len(data) or (match and start == len(data) and start > 0):
            self._send(handler, 416, {"Content-Range": f"bytes */{len(data)}"}, b"")
            return
        body = data[start:]
        out = {"Content-Type": content_type, "ETag": etag, "Accept-Ranges": "bytes"}
        if start:
            out["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        length = trick.claim_length if trick.claim_length is not None else len(body)
        if trick.claim_length is not None:
            body = body[:trick.claim_length]
        if trick.drop_after is not None:
            body = body[:trick.drop_after]
        self._send(handler, 206 if start else 200, out, body, length=length)

    def _send(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes, *,
              length: int | None = None) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.send_header("Connection", "close")
        handler.end_headers()
        for at in range(0, len(body), CHUNK):
            handler.wfile.write(body[at:at + CHUNK])
            with self._lock:
                self.bytes_sent += len(body[at:at + CHUNK])
            if self.chunk_delay:
                time.sleep(self.chunk_delay)
        handler.wfile.flush()


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll until ``condition()`` holds; fail after ``timeout`` seconds (a hang, never a timing claim)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(0.01)


# ----- the server's own tests: it must behave as the downloads tests assume ------------------


def test_the_file_server_serves_ranges_only_while_the_etag_still_matches() -> None:
    data = bytes(range(256)) * 10
    with FileServer() as server:
        url = server.add("/f", data, etag='"v1"')
        whole = httpx.get(url)
        part = httpx.get(url, headers={"Range": "bytes=100-", "If-Range": '"v1"'})
        stale = httpx.get(url, headers={"Range": "bytes=100-", "If-Range": '"v0"'})
    assert (whole.status_code, whole.content) == (200, data)
    assert (part.status_code, part.content, part.headers["content-range"]) == (206, data[100:], "bytes 100-2559/2560")
    assert (stale.status_code, stale.content) == (200, data)
    assert [s.range_start for s in server.seen] == [None, 100, 100]


def test_the_file_server_misbehaves_on_cue() -> None:
    with FileServer() as server:
        url = server.add("/f", b"x" * 1000, tricks=[Trick(status=429, headers={"Retry-After": "3"}),
                                                    Trick(drop_after=10)])
        limited = httpx.get(url)
        try:
            httpx.get(url)
            dropped = False
        except httpx.RemoteProtocolError:
            dropped = True
        fine = httpx.get(url)
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "3")
    assert dropped and fine.content == b"x" * 1000
