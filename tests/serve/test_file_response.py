"""``file_response`` over real HTTP on real files: ranges a reader resumes with, validators, and every
way out of the library folder refused with 404."""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from bookdesk.serve.context import ServeContext
from bookdesk.serve.files import file_response
from bookdesk.serve.problems import EXCEPTION_HANDLERS
from tests.servers.bookdesk_server import served

BOOK = "Author/Book/Book.m4b"
SIZE = 3 * 1024 * 1024 + 123  # more than one chunk, and not a multiple of it


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "Library"
    (folder / "Author/Book").mkdir(parents=True)
    (folder / BOOK).write_bytes(os.urandom(SIZE))
    (tmp_path / "outside.txt").write_text("secret outside the library")
    (folder / "Author/escape.txt").symlink_to(tmp_path / "outside.txt")
    (folder / "Author/away").symlink_to(tmp_path, target_is_directory=True)
    (folder / "Author/same.m4b").symlink_to(folder / BOOK)
    return folder


@pytest.fixture
def base(library: Path) -> Iterator[str]:
    """An app whose one route hands ``?path=`` to file_response as it came: the hostile paths reach it."""
    ctx = ServeContext(library=library)

    async def raw(request: Request):
        return await file_response(request, ctx, request.query_params["path"], "audio/mp4")

    app = Starlette(routes=[Route("/raw", raw, methods=["GET", "HEAD"])], exception_handlers=EXCEPTION_HANDLERS)
    with served(app) as url:
        yield url


def get(base: str, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{base}/raw", params={"path": path}, headers=headers)


def test_the_whole_file_comes_with_its_validators(base, library):
    answer = get(base, BOOK)
    assert answer.status_code == 200
    assert answer.content == (library / BOOK).read_bytes()
    assert answer.headers["content-length"] == str(SIZE) and answer.headers["accept-ranges"] == "bytes"
    assert answer.headers["content-type"] == "audio/mp4"
    assert answer.headers["etag"].startswith('"') and answer.headers["last-modified"].endswith("GMT")
    assert answer.headers["content-disposition"] == "inline; filename*=UTF-8''Book.m4b"


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=100-199", 100, 199), ("bytes=-500", SIZE - 500, SIZE - 1), ("bytes=1048570-", 1048570, SIZE - 1),
    ("bytes=0-99999999999", 0, SIZE - 1), ("bytes=-99999999999", 0, SIZE - 1),
])
def test_one_range_is_a_206_with_exactly_those_bytes(base, library, header, first, last):
    answer = get(base, BOOK, range=header)
    assert answer.status_code == 206
    assert answer.headers["content-range"] == f"bytes {first}-{last}/{SIZE}"
    assert answer.content == (library / BOOK).read_bytes()[first:last + 1]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_a_range_past_the_end_is_416_with_the_size(base, header):
    answer = get(base, BOOK, range=header)
    assert answer.status_code == 416
    assert answer.headers["content-range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "lines=1-2", "bytes=9-3", "bytes=x-y", "bytes=-"])
def test_a_range_not_served_here_is_ignored_and_the_whole_file_sent(base, header):
    answer = get(base, BOOK, range=header)
    assert (answer.status_code, len(answer.content)) == (200, SIZE)


def test_a_download_resumed_with_if_range_is_the_file_exactly(base, library):
    first = get(base, BOOK, range="bytes=0-1000000")
    rest = get(base, BOOK, range="bytes=1000001-", **{"if-range": first.headers["etag"]})
    assert rest.status_code == 206
    assert first.content + rest.content == (library / BOOK).read_bytes()
    by_date = get(base, BOOK, range="bytes=1000001-", **{"if-range": first.headers["last-modified"]})
    assert by_date.status_code == 206


def test_a_file_changed_since_the_first_part_comes_whole_again(base, library):
    first = get(base, BOOK, range="bytes=0-99")
    (library / BOOK).write_bytes(b"a new edition")
    os.utime(library / BOOK, (1_700_000_000, 1_700_000_000))
    rest = get(base, BOOK, range="bytes=100-", **{"if-range": first.headers["etag"]})
    assert (rest.status_code, rest.content) == (200, b"a new edition")


def test_a_current_copy_is_not_sent_again(base):
    first = get(base, BOOK)
    assert get(base, BOOK, **{"if-none-match": first.headers["etag"]}).status_code == 304
    assert get(base, BOOK, **{"if-modified-since": first.headers["last-modified"]}).status_code == 304
    assert get(base, BOOK, **{"if-none-match": '"other"'}).status_code == 200


def test_head_tells_the_size_and_sends_nothing(base):
    answer = httpx.head(f"{base}/raw", params={"path": BOOK}, headers={"range": "bytes=10-19"})
    assert (answer.status_code, answer.headers["content-length"], answer.content) == (206, "10", b"")


def test_a_symlink_that_stays_inside_the_library_is_served(base, library):
    assert get(base, "Author/same.m4b").content == (library / BOOK).read_bytes()


@pytest.mark.parametrize("hostile", [
    "../outside.txt", "Author/../../outside.txt", "Author/./Book/Book.m4b", "./" + BOOK, "/etc/passwd",
    "%2e%2e/outside.txt", "Author%2fBook%2fBook.m4b", "Author%2FBook/Book.m4b", "..\\outside.txt",
    "Author\\Book\\Book.m4b", "C:/Windows/win.ini", "c:outside.txt", "Author/escape.txt", "Author/away/outside.txt",
    "Author/Book", "Author/Book/", "", ".", "..", "Author//Book/Book.m4b", "Author/Book/Book.m4b\x00.txt",
    "Author/Book/missing.m4b", "Author/" + "x" * 5000,
])
def test_every_way_out_of_the_library_is_not_found(base, library, hostile):
    answer = get(base, hostile)
    assert answer.status_code == 404
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert answer.json()["error"]["message"] == "There is no such file in this library."


def test_an_absolute_path_to_a_file_inside_is_refused_as_well(base, library):
    assert get(base, str(library / BOOK)).status_code == 404


def test_raw_dot_segments_in_a_download_address_reach_no_file(base):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", "/raw/../../outside.txt?path=" + quote("../outside.txt"))
        answer = connection.getresponse()
        assert answer.status == 404 and b"secret" not in answer.read()
    finally:
        connection.close()


def test_pieces_not_in_the_page_cache_are_read_from_the_disk_alike(base, library, monkeypatch):
    import bookdesk.serve.files as files

    monkeypatch.setattr(files, "_cached", lambda handle, size, position: None)  # as if nothing were cached
    assert get(base, BOOK).content == (library / BOOK).read_bytes()
    assert get(base, BOOK, range="bytes=300000-").content == (library / BOOK).read_bytes()[300000:]
