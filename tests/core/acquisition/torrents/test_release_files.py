"""Finding the book among a completed torrent's files, and checking it is the wanted one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookdesk.core.acquisition.ranking import SizeRange
from bookdesk.core.acquisition.release_files import ReleaseCheckError, book_files, choose_book, verify_book
from tests.core.acquisition.torrents.helpers import book_epub

AUDIO = Path(__file__).resolve().parents[3] / "fixtures" / "audio"
TINY_AUDIO = {"audiobook": SizeRange(1, 2, 10_000_000, 20_000_000), "ebook": SizeRange(1, 2, 10_000_000, 20_000_000)}


def test_the_nfo_the_cover_and_the_sample_are_not_the_book(tmp_path: Path) -> None:
    folder = tmp_path / "Dune (Retail)"
    book = book_epub(folder / "Dune.epub", "Dune", "Frank Herbert")
    (folder / "Dune.nfo").write_text("info")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    book_epub(folder / "Sample" / "Dune - sample.epub", "Dune", "Frank Herbert")
    book_epub(folder / ".hidden.epub", "Dune", "Frank Herbert")
    assert book_files(folder) == [book]
    files, fmt = choose_book(book_files(folder), media_kind="ebook", expected_format="epub", title="Dune")
    assert files == [book] and fmt.name == "epub"
    found = verify_book(files, fmt)
    assert found.media_kind == "ebook" and found.size == book.stat().st_size


def test_an_audiobook_in_mp3_parts_is_one_book(tmp_path: Path) -> None:
    folder = tmp_path / "Salt Road"
    for part in ("01", "02", "03"):
        folder.mkdir(exist_ok=True)
        shutil.copy(AUDIO / "salt-road.mp3", folder / f"Salt Road - Part {part}.mp3")
    (folder / "Salt Road.m3u").write_text("#EXTM3U")
    files, fmt = choose_book(book_files(folder), media_kind="audiobook", expected_format="mp3")
    assert [f.name for f in files] == [f"Salt Road - Part {p}.mp3" for p in ("01", "02", "03")]
    found = verify_book(files, fmt, expected_duration=6.5, sizes=TINY_AUDIO)
    assert found.duration_seconds == pytest.approx(6.48, abs=0.1)
    with pytest.raises(ReleaseCheckError, match="lasts 0 h 00 min, the wanted one 2 h 00 min"):
        verify_book(files, fmt, expected_duration=7200, sizes=TINY_AUDIO)


def test_the_expected_format_is_taken_when_several_are_there_and_missing_it_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "Dune"
    epub = book_epub(folder / "Dune.epub", "Dune", "Frank Herbert")
    (folder / "Dune.pdf").write_bytes(b"%PDF-1.4\n" + bytes(20_000))
    assert choose_book(book_files(folder), media_kind="ebook", expected_format="epub", title="Dune")[0] == [epub]
    epub.unlink()
    with pytest.raises(ReleaseCheckError, match="promised EPUB but holds PDF"):
        choose_book(book_files(folder), media_kind="ebook", expected_format="epub", title="Dune")
    with pytest.raises(ReleaseCheckError, match="holds no audiobook"):
        choose_book(book_files(folder), media_kind="audiobook", expected_format=None)


def test_a_web_page_named_like_a_book_and_a_tiny_file_are_refused(tmp_path: Path) -> None:
    page = tmp_path / "Dune.epub"
    page.write_text("<!DOCTYPE html><html><body>Log in to download</body></html>" + " " * 20_000)
    files, fmt = choose_book([page], media_kind="ebook", expected_format="epub", title="Dune")
    with pytest.raises(ReleaseCheckError, match="Dune.epub: The download is not an EPUB"):
        verify_book(files, fmt)
    tiny = book_epub(tmp_path / "small" / "Dune.epub", "Dune", "Frank Herbert")
    with pytest.raises(ReleaseCheckError, match="not a size such a book has"):
        verify_book([tiny], fmt, sizes={"ebook": SizeRange(100_000, 200_000, 10_000_000, 20_000_000)})


def test_several_books_of_one_format_are_told_apart_by_title_or_refused(tmp_path: Path) -> None:
    folder = tmp_path / "Frank Herbert - Dune Chronicles"
    dune = book_epub(folder / "1 - Dune.epub", "Dune", "Frank Herbert")
    book_epub(folder / "2 - Dune Messiah.epub", "Dune Messiah", "Frank Herbert")
    assert choose_book(book_files(folder), media_kind="ebook", expected_format="epub", title="Dune")[0] == [dune]
    with pytest.raises(ReleaseCheckError, match="cannot tell which one"):
        choose_book(book_files(folder), media_kind="ebook", expected_format="epub", title="Children of Dune")
