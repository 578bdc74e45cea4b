"""A download's body is read on a thread of its own: the caller hears of the answer before a byte is
written, and a cancel or a stall ends the thread at once, with nothing written after it."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from bookdesk.core.acquisition.http_fetch import Accepted, FetchError, fetch_to_part
from tests.servers.http_harness import LocalHttpServer

PIECE = 64 * 1024


def held_line(release: threading.Event, pieces: int = 2) -> object:
    """Announce 10 MB, send ``pieces`` of 64 KiB, then hold the line silent until ``release``."""
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/epub+zip")
        request.send_header("Content-Length", str(10 * 1024 * 1024))
        request.send_header("ETag", '"v1"')
        request.end_headers()
        for _ in range(pieces):
            request.wfile.write(b"x" * PIECE)
            request.wfile.flush()
        release.wait(60)
    return answer


def body_threads() -> list[threading.Thread]:
    """The transfer threads still running a moment after their transfer was given up. The server holds
    its line for a minute: a thread that ends within the join ended because it was told to."""
    threads = [thread for thread in threading.enumerate() if thread.name == "download body"]
    for thread in threads:
        thread.join(10)
    return [thread for thread in threads if thread.is_alive()]


def test_a_cancelled_download_ends_its_thread_and_writes_nothing_after(tmp_path: Path) -> None:
    release = threading.Event()
    part = tmp_path / "book.part"
    with LocalHttpServer(held_line(release)) as server:
        async def go() -> tuple[int, list[threading.Thread]]:
            with httpx.Client(timeout=120) as http:  # no read timeout ends the thread in this test's time
                task = asyncio.ensure_future(fetch_to_part(http, server.url + "/book.epub", part))
                while not part.exists() or part.stat().st_size < 2 * PIECE:
                    await asyncio.sleep(0.02)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                return part.stat().st_size, body_threads()

        try:
            size, left = asyncio.run(go())
        finally:
            release.set()

    assert left == []  # the read in progress was ended by the cancel, not by the server letting go
    assert size == part.stat().st_size == 2 * PIECE


def test_a_download_that_goes_silent_stalls_and_leaves_no_thread(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKDESK_DOWNLOAD_STALL", "1")
    release = threading.Event()
    with LocalHttpServer(held_line(release, pieces=1)) as server:
        async def go() -> list[threading.Thread]:
            # the stall ends it, not a read timeout
            with httpx.Client(timeout=120) as http, pytest.raises(FetchError) as stalled:
                await fetch_to_part(http, server.url + "/book.epub", tmp_path / "book.part")
            assert stalled.value.retryable and f"stalled after {PIECE:,} bytes" in stalled.value.message, stalled.value.message
            return body_threads()

        try:
            left = asyncio.run(go())
        finally:
            release.set()

    assert left == []
    assert (tmp_path / "book.part").stat().st_size == PIECE


def test_the_caller_has_the_answer_before_a_byte_is_written_and_progress_on_its_own_thread(tmp_path: Path) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB

    def whole(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", str(len(data)))
        request.send_header("ETag", '"v1"')
        request.end_headers()
        request.wfile.write(data)

    part = tmp_path / "book.part"
    heard: list[tuple[str, int, str]] = []

    def on_accepted(answer: Accepted) -> None:
        heard.append(("answer", part.stat().st_size if part.exists() else 0, threading.current_thread().name))

    def on_progress(done: int, total: int | None) -> None:
        heard.append(("progress", done, threading.current_thread().name))

    with LocalHttpServer(whole) as server:
        async def go() -> int:
            with httpx.Client() as http:
                result = await fetch_to_part(http, server.url + "/book.epub", part, on_accepted=on_accepted,
                                             on_progress=on_progress)
                return result.bytes_done

        assert asyncio.run(go()) == len(data)

    here = threading.current_thread().name
    assert heard[0] == ("answer", 0, here)
    assert heard[-1] == ("progress", len(data), here)
    assert {name for _what, _n, name in heard} == {here}
    assert part.read_bytes() == data
