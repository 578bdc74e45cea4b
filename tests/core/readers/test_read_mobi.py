"""Reading MOBI and AZW3 books: calibre's real output, Amazon's EXTH records, and files that lie."""

from __future__ import annotations

import shutil
import struct

import pytest
from book_files import JPEG, PNG, build_mobi

from bookdesk.core.importer.readers.mobi import read_mobi
from bookdesk.data.catalog_rows import Contributor
from bookdesk.errors import ImportFailedError


@pytest.mark.parametrize("name", ["lantern.mobi", "lantern.azw3"])
def test_a_book_converted_by_calibre_gives_title_authors_isbn_publisher_and_cover(fixtures, name):
    book = read_mobi(fixtures / "ebooks" / name)

    assert book.title == "The Lantern Archive"
    assert book.contributors == [Contributor("Mira Castellanos"), Contributor("Sven Eklund")]
    assert book.identifiers == {"isbn": "9780306406157"}  # calibre's EXTH 113 holds a UUID, not an ASIN
    assert (book.publisher, book.language, book.published) == ("Corpus Press", "en", "2004-05-01")
    assert book.description == "A keeper of lanterns finds a lost archive."
    assert book.subjects == ["Fantasy"]
    assert book.cover is not None and book.cover_ext in ("jpg", "png")


def test_amazon_exth_records_give_asin_language_and_the_updated_title(tmp_path):
    path = build_mobi(tmp_path / "b.azw", [
        (503, "Über die Laterne".encode()), (100, b"Ines Moreau"), (100, b"Lars Petrov & Olga Eklund"),
        (101, b"Harbor Books"), (103, b"<p>A <b>bright</b> book.</p><p>Second.</p>"), (104, b"0-306-40615-2"),
        (105, b"Fiction"), (105, b"Sea"), (106, b"2011-09-30T00:00:00+00:00"), (113, b"B00ABCDE12"),
        (524, b"de"), (201, struct.pack(">I", 0))], images=[JPEG], full_name=b"Old Name")

    book = read_mobi(path)

    assert book.title == "Über die Laterne"
    assert [c.name for c in book.authors] == ["Ines Moreau", "Lars Petrov", "Olga Eklund"]
    assert book.identifiers == {"isbn": "9780306406157", "asin": "B00ABCDE12"}
    assert book.description == "A bright book. Second."
    assert book.subjects == ["Fiction", "Sea"]
    assert (book.language, book.published, book.publisher) == ("de", "2011-09-30", "Harbor Books")
    assert (book.cover, book.cover_ext) == (JPEG, "jpg")


def test_the_full_name_is_the_title_when_exth_has_none_and_asin_may_come_from_504(tmp_path):
    path = build_mobi(tmp_path / "b.mobi", [(504, b"B00ZYXWV98")], full_name="Ærø Tales".encode())

    book = read_mobi(path)

    assert book.title == "Ærø Tales"
    assert book.identifiers == {"asin": "B00ZYXWV98"}


def test_the_cover_is_the_record_201_points_at_counted_from_the_first_image(tmp_path):
    path = build_mobi(tmp_path / "b.mobi", [(201, struct.pack(">I", 1))], images=[JPEG, PNG])

    assert read_mobi(path).cover == PNG


def test_an_encrypted_book_still_gives_its_exth_metadata(tmp_path):
    path = build_mobi(tmp_path / "drm.azw", [(503, b"Locked Book"), (100, b"Ada Abernathy")], encryption=2)

    book = read_mobi(path)

    assert book.title == "Locked Book"
    assert book.authors == [Contributor("Ada Abernathy")]


def test_a_truncated_book_is_refused_with_a_clear_reason(tmp_path, fixtures):
    path = tmp_path / "cut.mobi"
    path.write_bytes((fixtures / "ebooks" / "lantern.mobi").read_bytes()[:2000])

    with pytest.raises(ImportFailedError, match="cut.mobi is truncated"):
        read_mobi(path)


@pytest.mark.parametrize("data", [b"", b"BOOKMOBI" * 3, bytes(range(256)) * 40, b"<html><body>Not found</body></html>"])
def test_garbage_with_a_mobi_extension_is_refused(tmp_path, data):
    path = tmp_path / "junk.mobi"
    path.write_bytes(data)

    with pytest.raises(ImportFailedError, match="junk.mobi"):
        read_mobi(path)


def test_record_offsets_pointing_past_the_end_are_refused(tmp_path):
    path = build_mobi(tmp_path / "lie.mobi", offsets=[100, 2_000_000_000])

    with pytest.raises(ImportFailedError, match="past the end"):
        read_mobi(path)


def test_a_huge_mobi_header_length_is_refused_without_reading_it(tmp_path):
    path = build_mobi(tmp_path / "lie.mobi", header_length=232)
    data = bytearray(path.read_bytes())
    record0 = struct.unpack(">I", data[78:82])[0]
    struct.pack_into(">I", data, record0 + 20, 0xFFFFFF00)
    path.write_bytes(bytes(data))

    with pytest.raises(ImportFailedError, match="MOBI header claims"):
        read_mobi(path)


def test_exth_records_with_huge_lengths_or_counts_stop_reading_but_keep_the_book(tmp_path):
    path = build_mobi(tmp_path / "lie.mobi", [(503, b"Kept Title"), (100, b"Kept Author")], exth_count=4_000_000_000)
    data = bytearray(path.read_bytes())
    at = data.index(b"Kept Author") - 8
    struct.pack_into(">I", data, at + 4, 0xFFFFFFF0)  # the author record now claims 4 GB
    path.write_bytes(bytes(data))

    book = read_mobi(path)

    assert book.title == "Kept Title"
    assert book.authors == []


def test_a_cover_offset_beyond_the_records_means_no_cover_rather_than_a_crash(tmp_path):
    path = build_mobi(tmp_path / "b.mobi", [(201, struct.pack(">I", 0x7FFFFFFF))], images=[JPEG])

    assert read_mobi(path).cover is None


def test_a_cover_record_that_is_not_an_image_is_ignored(tmp_path):
    path = build_mobi(tmp_path / "b.mobi", [(201, struct.pack(">I", 0))], images=[b"FLIS\x00\x00\x00\x08"])

    assert read_mobi(path).cover is None


def test_a_short_older_mobi_header_without_image_or_exth_fields_still_reads(tmp_path):
    path = build_mobi(tmp_path / "old.mobi", [(503, b"Ignored")], header_length=100, full_name=b"Old Format")

    book = read_mobi(path)

    assert book.title == "Old Format"  # no EXTH flag in a 100-byte header: only the full name is there


def test_a_palmdoc_file_that_is_not_a_mobi_is_refused(tmp_path, fixtures):
    data = bytearray((fixtures / "ebooks" / "lantern.mobi").read_bytes())
    data[60:68] = b"TEXtREAd"
    path = tmp_path / "palm.mobi"
    path.write_bytes(bytes(data))

    with pytest.raises(ImportFailedError, match="not a MOBI/AZW3 book"):
        read_mobi(path)


def test_an_azw3_keeps_reading_when_copied_under_another_name(tmp_path, fixtures):
    copy = shutil.copy(fixtures / "ebooks" / "lantern.azw3", tmp_path / "renamed.azw")

    assert read_mobi(copy).title == "The Lantern Archive"
