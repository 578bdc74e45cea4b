"""A finished download is judged by its size and its first bytes, never by what the server said."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookdesk.core.acquisition.file_check import FileCheckError, check_download, claimed_format
from tests.conftest import simple_metadata, write_epub


@pytest.fixture
def epub(tmp_path: Path) -> Path:
    return write_epub(tmp_path / "book.epub", simple_metadata("A Book"))


def test_a_real_epub_passes(epub: Path) -> None:
    checked = check_download(epub, expected_size=epub.stat().st_size, claimed=claimed_format(None, "x.epub"),
                             strict=False)
    assert (checked.format.name, checked.size) == ("epub", epub.stat().st_size)


def test_an_html_page_is_not_an_epub(tmp_path: Path) -> None:
    page = tmp_path / "book.epub"
    page.write_bytes(b"<!DOCTYPE html><html><body>Please log in</body></html>")
    with pytest.raises(FileCheckError, match="not an EPUB: it is an HTML page"):
        check_download(page, expected_size=None, claimed=claimed_format("epub", None), strict=True)


def test_a_size_other_than_announced_is_refused(epub: Path) -> None:
    with pytest.raises(FileCheckError, match="announced"):
        check_download(epub, expected_size=epub.stat().st_size + 10, claimed=None, strict=False)


def test_another_book_format_is_refused_only_when_the_source_named_the_format(tmp_path: Path) -> None:
    pdf = tmp_path / "book.epub"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 2000)
    assert check_download(pdf, expected_size=None, claimed=claimed_format(None, "book.epub"),
                          strict=False).format.name == "pdf"
    with pytest.raises(FileCheckError, match="not an EPUB: it is a PDF"):
        check_download(pdf, expected_size=None, claimed=claimed_format("epub", None), strict=True)


def test_something_unrecognised_without_a_claim_is_no_book(tmp_path: Path) -> None:
    blob = tmp_path / "download"
    blob.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(FileCheckError, match="not a book"):
        check_download(blob, expected_size=None, claimed=None, strict=False)
    empty = tmp_path / "empty.epub"
    empty.write_bytes(b"")
    with pytest.raises(FileCheckError, match="empty"):
        check_download(empty, expected_size=0, claimed=None, strict=False)
