"""One download into a .part file against a real server: resume, restart, refusals, a full disk."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import io
from pathlib import Path

import httpx
import pytest

from bookdesk.core.acquisition.http_fetch import (
    FetchError,
    FetchResult,
    fetch_to_part,
    file_name_from,
    open_part,
)
from tests.core.acquisition.test_http_fetch_server import FileServer, Trick

DATA = bytes(range(256)) * 4096  # 1 MiB


def fetch(url: str, part: Path, **kwargs) -> FetchResult:
    async def go() -> FetchResult:
        with httpx.Client() as http:
            return await fetch_to_part(http, url, part, **kwargs)

    return asyncio.run(go())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_dropped_connection_resumes_from_the_bytes_on_disk_not_from_zero(tmp_path: Path) -> None:
    part = tmp_path / "1.part"
    with FileServer() as server:
        url = server.add("/book.epub", DATA, tricks=[Trick(drop_after=300_000)])
        with pytest.raises(FetchError) as dropped:
            fetch(url, part)
        kept = part.stat().st_size
        result = fetch(url, part, validator=server.files["/book.epub"][1])

    assert dropped.value.retryable and "connection" in dropped.value.message
    assert kept == 300_000
    assert [s.range_start for s in server.seen] == [None, kept]
    assert server.seen[1].headers["if-range"] == server.files["/book.epub"][1]
    assert (result.resumed_from, result.bytes_done, result.bytes_total) == (kept, len(DATA), len(DATA))
    assert sha(part.read_bytes()) == sha(DATA)


def test_a_changed_file_restarts_from_zero_because_if_range_no_longer_matches(tmp_path: Path) -> None:
    part = tmp_path / "1.part"
    newer = bytes(reversed(DATA))
    with FileServer() as server:
        url = server.add("/book.epub", DATA, etag='"v1"', tricks=[Trick(drop_after=100_000)])
        with pytest.raises(FetchError):
            fetch(url, part)
        server.add("/book.epub", newer, etag='"v2"')
        result = fetch(url, part, validator='"v1"')

    assert server.seen[1].range_start == 100_000 and server.seen[1].headers["if-range"] == '"v1"'
    assert (result.resumed_from, result.validator) == (0, '"v2"')
    assert part.read_bytes() == newer


def test_without_a_validator_a_part_is_never_spliced_onto(tmp_path: Path) -> None:
    part = tmp_path / "1.part"
    part.write_bytes(b"stale bytes of some other file")
    with FileServer() as server:
        url = server.add("/book.epub", DATA)
        fetch(url, part)
    assert server.seen[0].range_start is None
    assert part.read_bytes() == DATA


def test_429_says_how_long_the_server_asked_to_wait(tmp_path: Path) -> None:
    with FileServer() as server:
        url = server.add("/book.epub", DATA, tricks=[Trick(status=429, headers={"Retry-After": "7"})])
        with pytest.raises(FetchError) as limited:
            fetch(url, tmp_path / "1.part")
    assert (limited.value.retryable, limited.value.status, limited.value.retry_after) == (True, 429, 7.0)
    assert "asked to wait 7 s" in limited.value.message


@pytest.mark.parametrize(("status", "words"), [(404, "no such file"), (403, "needs a login"), (400, "answered 400")])
def test_refusals_are_final_and_say_why(tmp_path: Path, status: int, words: str) -> None:
    with FileServer() as server:
        url = server.add("/book.epub", DATA, tricks=[Trick(status=status)])
        with pytest.raises(FetchError) as refused:
            fetch(url, tmp_path / "1.part")
    assert not refused.value.retryable and words in refused.value.message


def test_a_server_announcing_more_than_it_sends_is_a_dropped_connection(tmp_path: Path) -> None:
    part = tmp_path / "1.part"
    with FileServer() as server:
        url = server.add("/book.epub", DATA, tricks=[Trick(claim_length=len(DATA) + 5000)])
        with pytest.raises(FetchError) as short:
            fetch(url, part)
        # Asked for the rest, the server says there is none: the file is whole after all.
        result = fetch(url, part, validator=server.files["/book.epub"][1])
    assert short.value.retryable
    assert (result.bytes_done, result.bytes_total) == (len(DATA), len(DATA))
    assert part.read_bytes() == DATA


class FullDisk:
    """Opens the part for real, but the disk fills up after ``room`` bytes."""

    def __init__(self, room: int) -> None:
        self.room = room

    def __call__(self, path: Path, append: bool):
        fh = open_part(path, append)
        room = self

        class Writer(io.BufferedIOBase):
            def write(self, data: bytes) -> int:
                if len(data) > room.room:
                    raise OSError(errno.ENOSPC, "No space left on device")
                room.room -= len(data)
                return fh.write(data)

            def close(self) -> None:
                fh.close()
                super().close()

        return Writer()


def test_a_full_disk_is_a_clear_final_error_and_keeps_what_was_written(tmp_path: Path) -> None:
    part = tmp_path / "1.part"
    with FileServer() as server:
        url = server.add("/book.epub", DATA)
        with pytest.raises(FetchError) as full:
            fetch(url, part, opener=FullDisk(200_000))
    assert full.value.disk_full and not full.value.retryable
    assert "disk holding the library is full" in full.value.message
    assert 0 < part.stat().st_size <= 200_000
    assert DATA.startswith(part.read_bytes())


def test_file_names_come_from_content_disposition() -> None:
    assert file_name_from('attachment; filename="The Book.epub"') == "The Book.epub"
    assert file_name_from("attachment; filename*=UTF-8''L%C3%A9on.epub; filename=\"x.epub\"") == "Léon.epub"
    assert file_name_from("inline") is None
