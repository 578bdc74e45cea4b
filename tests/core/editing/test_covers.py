"""Choosing a book's cover by hand: from a picture file, from a web address (a real server on
127.0.0.1, a hostile one too), or from the book's own files; one undoable change, and nothing written
when the picture is no picture."""

from __future__ import annotations

import asyncio
import base64
import shutil
import threading
from pathlib import Path

import pytest

from bookdesk.core.editing.covers import (
    CoverError,
    cover_from_book,
    cover_from_file,
    cover_from_url,
    set_cover,
)
from bookdesk.core.editing.service import EditService
from bookdesk.core.library_service import LibraryService
from bookdesk.core.net.factory import make_http, make_net
from tests.corpus import png
from tests.servers.http_harness import start_server

FIXTURES = Path(__file__).parents[2] / "fixtures" / "audio"
PNG = png((200, 40, 40), 120, 180)
# Real pictures as Qt writes them (QImage.save): 12 × 18 pixels, lossy and lossless WebP, and a 1 × 1 GIF.
WEBP = base64.b64decode("UklGRkQAAABXRUJQVlA4IDgAAAAQAwCdASoMABIAPm0skUWkIqGYBABABsSgB2APwAAQigAA/vA4Q//8lNf425av"
                        "//hVuGIZOgAAAA==")
WEBP_LOSSLESS = base64.b64decode("UklGRh4AAABXRUJQVlA4TBEAAAAvC0AEAAdQrXoUtP+BiOh/AAA=")
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00"
       b"\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


@pytest.fixture
def book(service: LibraryService, corpus: Path, import_books) -> int:
    """One real EPUB imported the usual way: its own cover beside it as cover.png."""
    only = sorted(corpus.glob("*.epub"))[0]
    result, _ = import_books(service.catalog, [only])
    assert result.state == "succeeded", result.error
    [work_id] = service.work_ids()
    return work_id


def library_files(service: LibraryService) -> set[str]:
    return {p.relative_to(service.folder).as_posix() for p in service.folder.rglob("*")
            if p.is_file() and not p.name.startswith("bookdesk.sqlite3")}


def test_a_picture_file_becomes_the_cover_beside_the_book_and_undo_brings_the_old_one_back(service, book, tmp_path):
    before = service.detail(book)
    picture = tmp_path / "scan.png"
    picture.write_bytes(PNG)

    outcome = set_cover(EditService(service.catalog), book, cover_from_file(picture))

    after = service.detail(book)
    assert after.cover_path != before.cover_path
    assert service.absolute(after.cover_path).read_bytes() == PNG
    assert after.cover_path.rsplit("/", 1)[0] == before.cover_path.rsplit("/", 1)[0]  # beside the book
    [change] = outcome.changes
    assert (change.field, change.old_value, change.new_value, change.source) == (
        "cover_path", before.cover_path, after.cover_path, "user")
    assert "cover_path" in after.locked_fields

    service.undo_job(outcome.correlation_id)
    assert service.detail(book).cover_path == before.cover_path
    assert service.absolute(before.cover_path).is_file()  # the old picture was never touched


@pytest.mark.parametrize(("data", "ext", "size"), [
    (PNG, "png", (120, 180)), (WEBP, "webp", (12, 18)), (WEBP_LOSSLESS, "webp", (12, 18)), (GIF, "gif", (1, 1)),
    ((FIXTURES / "lantern.m4b").read_bytes(), None, None),
])
def test_every_kind_of_picture_is_known_by_its_bytes_and_anything_else_is_refused(tmp_path, data, ext, size):
    path = tmp_path / "cover.jpg"  # the name says JPEG; only the bytes count
    path.write_bytes(data)
    if ext is None:
        with pytest.raises(CoverError, match="not a picture"):
            cover_from_file(path)
        return
    image = cover_from_file(path)
    assert (image.ext, (image.width, image.height)) == (ext, size)


@pytest.mark.parametrize("broken", [PNG[:-20], PNG[:40] + b"\x00" * 8 + PNG[48:], b"\xff\xd8\xff\xe0" + b"\x00" * 300,
                                    WEBP[:30], GIF[:-1]])
def test_a_cut_or_damaged_picture_is_refused_and_nothing_is_written(service, book, tmp_path, broken):
    path = tmp_path / "broken.png"
    path.write_bytes(broken)
    files = library_files(service)

    with pytest.raises(CoverError, match="damaged or incomplete"):
        set_cover(EditService(service.catalog), book, cover_from_file(path))
    assert library_files(service) == files


def test_a_picture_of_absurd_size_is_refused(tmp_path):
    bomb = bytearray(png((0, 0, 0), 2, 2))
    path = tmp_path / "bomb.png"
    path.write_bytes(_with_size(bytes(bomb), 60_000, 60_000))
    with pytest.raises(CoverError, match="too large for a cover"):
        cover_from_file(path)


def _with_size(data: bytes, width: int, height: int) -> bytes:
    """The PNG with another size in its header (and a right checksum): what a decompression bomb says."""
    import struct
    import zlib

    header = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return data[:12] + header + struct.pack(">I", zlib.crc32(header) & 0xFFFFFFFF) + data[33:]


def test_a_missing_file_or_a_folder_is_said_plainly(tmp_path):
    with pytest.raises(CoverError, match="does not exist"):
        cover_from_file(tmp_path / "gone.png")
    with pytest.raises(CoverError, match="is a folder"):
        cover_from_file(tmp_path)


# ----- from the book's own files --------------------------------------------------------------


def test_the_cover_inside_an_audiobook_becomes_the_books_cover(service, import_books, tmp_path):
    incoming = tmp_path / "in"
    incoming.mkdir()
    shutil.copy(FIXTURES / "lantern.m4b", incoming / "lantern.m4b")
    result, _ = import_books(service.catalog, [incoming])
    assert result.state == "succeeded", result.error
    [work_id] = service.work_ids()
    detail = service.detail(work_id)
    service.absolute(detail.cover_path).write_bytes(PNG)  # the cover someone put there since

    image = cover_from_book(service.folder, service.detail(work_id))
    outcome = set_cover(EditService(service.catalog), work_id, image)

    assert image.ext == "jpg" and (image.width, image.height) == (32, 32)
    assert service.absolute(service.detail(work_id).cover_path).read_bytes() == image.data
    assert len(outcome.changes) == 1


def test_the_books_own_cover_when_it_is_the_cover_already_is_said_to_be_no_other(service, book):
    with pytest.raises(CoverError, match="no other cover than the one it has"):
        cover_from_book(service.folder, service.detail(book))


def test_a_book_whose_file_is_gone_says_why_no_cover_was_read(service, book):
    detail = service.detail(book)
    for record in detail.files:
        service.absolute(record.path).unlink()
    with pytest.raises(CoverError, match="does not exist"):
        cover_from_book(service.folder, detail)


# ----- from an address ---------------------------------------------------------------------------


class Answers:
    """A server on 127.0.0.1: /cover.png a real picture, and the ways a server lets a person down."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def __call__(self, request) -> None:  # noqa: ANN001 - the handler
        path = request.path
        if path == "/cover.png":
            self.send(request, 200, PNG, "image/png")
        elif path == "/page.html":
            self.send(request, 200, b"<html><body>Not a picture</body></html>", "text/html")
        elif path == "/garbage.jpg":
            self.send(request, 200, b"\xff\xd8\xff" + bytes(range(256)) * 40, "image/jpeg")
        elif path == "/huge.png":
            request.send_response(200)
            request.send_header("Content-Type", "image/png")
            request.end_headers()
            chunk = PNG[:8] + b"\x00" * (1024 * 1024)
            for _ in range(20):
                request.wfile.write(chunk)
        elif path == "/slow.png":
            self.release.wait(30)  # answers nothing until the test is over
        else:
            self.send(request, 404, b"not here", "text/plain")

    @staticmethod
    def send(request, status: int, body: bytes, kind: str) -> None:  # noqa: ANN001
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("BOOKDESK_REQUEST_DEADLINE", "1")  # the slow server is given up on after a second
    answers = Answers()
    running = start_server(answers)
    yield running
    answers.release.set()
    running.stop()


def fetch(url: str):
    async def run():
        net = make_net(make_http())
        try:
            return await cover_from_url(net, url)
        finally:
            await net.http.aclose()

    return asyncio.run(run())


def test_a_picture_at_an_address_becomes_the_cover(service, book, server):
    image = fetch(f"{server.url}/cover.png")
    outcome = set_cover(EditService(service.catalog), book, image)

    assert image.data == PNG
    assert service.absolute(service.detail(book).cover_path).read_bytes() == PNG
    assert [c.field for c in outcome.changes] == ["cover_path"]


@pytest.mark.parametrize(("path", "said"), [
    ("/page.html", "is not a picture"),
    ("/garbage.jpg", "damaged or incomplete JPEG"),
    ("/huge.png", "larger than 16 MB"),
    ("/missing.png", "There is no picture at .*404"),
    ("/slow.png", "could not be fetched"),
])
def test_a_hostile_or_broken_server_is_said_plainly_and_nothing_is_written(service, book, server, path, said):
    files, cover = library_files(service), service.detail(book).cover_path

    with pytest.raises(CoverError, match=said):
        set_cover(EditService(service.catalog), book, fetch(f"{server.url}{path}"))

    assert library_files(service) == files
    assert service.detail(book).cover_path == cover


@pytest.mark.parametrize("address", ["", "file:///etc/passwd", "ftp://example.org/a.png", "cover.png"])
def test_only_web_addresses_are_asked(address):
    with pytest.raises(CoverError, match="not a web address"):
        fetch(address)
