"""Telling what a file is from its first bytes, whatever its name says."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from book_files import JPEG, PNG, build_mobi

from bookdesk.core.importer.formats import FORMATS
from bookdesk.core.importer.sniff import inspect, same_family, sniff


def name_of(path: Path) -> str | None:
    found = sniff(path)
    return found.name if found else None


@pytest.mark.parametrize(("fixture", "expected"), [
    ("ebooks/lantern.epub", "epub"), ("ebooks/lantern.mobi", "mobi"), ("ebooks/lantern.azw3", "azw3"),
    ("audio/lantern.m4b", "m4a"),  # ffmpeg brands its M4B files "M4A ": the same container
    ("audio/salt-road.mp3", "mp3"), ("audio/winter-orchard.flac", "flac"), ("audio/winter-orchard.ogg", "ogg"),
    ("audio/winter-orchard.opus", "opus"), ("audio/glass-signal/Part 1.mp3", "mp3"),
])
def test_real_files_are_recognised_by_their_content_alone(fixtures, tmp_path, fixture, expected):
    nameless = shutil.copy(fixtures / fixture, tmp_path / "no-extension")

    assert name_of(Path(nameless)) == expected


def test_an_m4b_brand_is_an_m4b_and_m4a_and_m4b_are_one_family(fixtures, tmp_path):
    data = bytearray((fixtures / "audio" / "lantern.m4b").read_bytes())
    data[8:12] = b"M4B "
    path = tmp_path / "book"
    path.write_bytes(bytes(data))

    assert name_of(path) == "m4b"
    assert same_family(FORMATS[".m4a"], FORMATS[".m4b"]) and same_family(FORMATS[".mobi"], FORMATS[".azw3"])
    assert not same_family(FORMATS[".epub"], FORMATS[".pdf"])


def test_an_epub_whose_mimetype_is_not_first_is_found_through_its_container(tmp_path, make_epub):
    path = tmp_path / "odd.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OEBPS/content.opf", "<package/>")
        archive.writestr("META-INF/container.xml", "<container/>")

    assert name_of(path) == "epub"
    assert name_of(make_epub(tmp_path / "normal.epub", "<dc:title>T</dc:title>")) == "epub"


def test_a_zip_of_images_is_a_comic_and_any_other_zip_is_no_book(tmp_path):
    comic, other = tmp_path / "comic", tmp_path / "other"
    with zipfile.ZipFile(comic, "w") as archive:
        archive.writestr("001.jpg", JPEG)
        archive.writestr("002.png", PNG)
        archive.writestr("ComicInfo.xml", "<ComicInfo/>")
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("setup.exe", b"MZ")
        archive.writestr("readme.txt", "hi")

    assert name_of(comic) == "cbz"
    assert (inspect(other).format, inspect(other).conclusive) == (None, True)


def test_mobi_headers_of_version_8_are_azw3(tmp_path):
    assert name_of(build_mobi(tmp_path / "a", version=8)) == "azw3"
    assert name_of(build_mobi(tmp_path / "b", version=6)) == "mobi"
    many_records = build_mobi(tmp_path / "c", version=8, images=[JPEG] * 600)  # record 0 lies past the first 4 KB
    assert name_of(many_records) == "azw3"


def test_mp3_without_an_id3_tag_is_found_by_its_frame_header(fixtures, tmp_path):
    data = (fixtures / "audio" / "glass-signal" / "Part 1.mp3").read_bytes()
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    path = tmp_path / "bare"
    path.write_bytes(data[10 + size:])

    assert name_of(path) == "mp3"


def test_an_id3_tag_in_front_of_flac_data_is_still_flac(fixtures, tmp_path):
    flac = (fixtures / "audio" / "winter-orchard.flac").read_bytes()
    path = tmp_path / "tagged"
    path.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + flac)

    assert name_of(path) == "flac"


def test_pdf_marker_may_follow_some_junk(tmp_path):
    path = tmp_path / "doc"
    path.write_bytes(b"\r\n\r\n%PDF-1.4\n%...")

    assert name_of(path) == "pdf"


@pytest.mark.parametrize(("data", "words"), [
    (b"<!DOCTYPE html><html><body>Access denied</body></html>", "an HTML page"),
    (b"\xef\xbb\xbf  <html lang='en'>", "an HTML page"),
    (b"Just some notes about a book.\n", "a text file"),
    (b"", "empty"),
    (JPEG, "a JPEG image"),
    (b"Rar!\x1a\x07\x00" + b"\x00" * 20, "a RAR archive"),
    (b'{"error": "not found"}', "a JSON document"),
])
def test_non_books_are_named_for_the_problem_shown_to_the_user(tmp_path, data, words):
    path = tmp_path / "thing"
    path.write_bytes(data)

    found = inspect(path)

    assert (found.format, found.conclusive, found.description) == (None, True, words)


def test_bytes_nobody_recognises_are_left_to_the_reader(tmp_path):
    path = tmp_path / "mystery"
    path.write_bytes(bytes(range(256)) * 8)

    assert inspect(path).conclusive is False


def test_a_damaged_zip_is_inconclusive_so_its_reader_can_explain(tmp_path):
    path = tmp_path / "half"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)

    found = inspect(path)

    assert (found.format, found.conclusive) == (None, False)
