"""Reading CBZ comics: ComicInfo.xml, the first page as cover, and hostile archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from book_files import JPEG, PNG

from bookdesk.core.importer.readers import cbz as cbz_reader
from bookdesk.core.importer.readers import safe_zip
from bookdesk.core.importer.readers.cbz import read_cbz
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError

COMIC_INFO = """<?xml version="1.0" encoding="utf-8"?>
<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Title>The Lighthouse</Title>
  <Series>Harbor Tales</Series>
  <Number>3</Number>
  <Volume>2019</Volume>
  <Summary>&lt;p&gt;Keepers of the light.&lt;/p&gt;</Summary>
  <Year>2019</Year><Month>6</Month>
  <Writer>Mira Castellanos, Sven Eklund</Writer>
  <Penciller>Rosa Quintero</Penciller>
  <Colorist>Nobody Tracked</Colorist>
  <Publisher>Quill Comics</Publisher>
  <Genre>Adventure, Sea</Genre>
  <LanguageISO>es</LanguageISO>
  <GTIN>9780306406157</GTIN>
</ComicInfo>"""


def make_cbz(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_comic_info_gives_title_series_number_people_and_the_first_page_as_cover(tmp_path):
    path = make_cbz(tmp_path / "tales.cbz", {"page10.jpg": PNG, "page2.jpg": JPEG, "ComicInfo.xml": COMIC_INFO})

    book = read_cbz(path)

    assert book.title == "The Lighthouse"
    assert book.series == [SeriesRef("Harbor Tales", "3")]
    assert book.contributors == [Contributor("Mira Castellanos"), Contributor("Sven Eklund"),
                                 Contributor("Rosa Quintero", "illustrator")]
    assert book.description == "Keepers of the light."
    assert (book.published, book.publisher, book.language) == ("2019-06", "Quill Comics", "es")
    assert book.subjects == ["Adventure", "Sea"]
    assert book.identifiers == {"isbn": "9780306406157"}
    assert (book.cover, book.cover_ext) == (JPEG, "jpg")  # page2 comes before page10


def test_a_comic_without_a_title_is_named_by_its_series_and_number(tmp_path):
    info = "<ComicInfo><Series>Harbor Tales</Series><Number>12</Number></ComicInfo>"
    path = make_cbz(tmp_path / "t.cbz", {"01.png": PNG, "ComicInfo.xml": info})

    book = read_cbz(path)

    assert book.title == "Harbor Tales #12"
    assert book.series == [SeriesRef("Harbor Tales", "12")]


def test_the_page_marked_front_cover_is_the_cover(tmp_path):
    info = '<ComicInfo><Title>X</Title><Pages><Page Image="1" Type="FrontCover"/></Pages></ComicInfo>'
    path = make_cbz(tmp_path / "t.cbz", {"001.jpg": JPEG, "002.png": PNG, "ComicInfo.xml": info})

    assert read_cbz(path).cover == PNG


def test_a_comic_without_comic_info_gives_only_its_cover(tmp_path):
    path = make_cbz(tmp_path / "plain.cbz", {"scans/001.jpg": JPEG, "scans/002.jpg": JPEG, "notes.txt": "hi"})

    book = read_cbz(path)

    assert (book.title, book.contributors, book.series) == ("", [], [])
    assert book.cover == JPEG


def test_member_names_leaving_the_archive_are_never_used_and_nothing_is_extracted(tmp_path):
    outside = tmp_path / "evil.jpg"
    path = make_cbz(tmp_path / "slip.cbz", {"../evil.jpg": PNG, "/abs/0.jpg": PNG, "a/../../x.jpg": PNG,
                                           "z-page.jpg": JPEG})

    book = read_cbz(path)

    assert book.cover == JPEG
    assert not outside.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slip.cbz"]


def test_a_zip_bomb_page_and_comic_info_are_skipped_and_the_comic_still_imports(tmp_path, monkeypatch):
    monkeypatch.setattr(cbz_reader, "MAX_COVER_BYTES", 1_000_000)
    monkeypatch.setattr(cbz_reader, "MAX_XML_BYTES", 100_000)
    path = make_cbz(tmp_path / "bomb.cbz", {"001.jpg": b"\xff\xd8\xff" + b"\x00" * 20_000_000,
                                           "ComicInfo.xml": "<ComicInfo><Title>" + "A" * 2_000_000 + "</Title></ComicInfo>"})
    assert path.stat().st_size < 200_000  # it really is a bomb: tiny on disk, huge inflated

    book = read_cbz(path)

    assert (book.title, book.cover) == ("", None)


def test_a_member_over_the_limit_is_refused_with_the_limit_in_its_message(tmp_path):
    path = make_cbz(tmp_path / "big.cbz", {"001.jpg": JPEG + b"\x00" * 5000})

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("001.jpg")
        assert info.file_size > 1000  # it truly exceeds the limit
        with pytest.raises(ImportFailedError, match=f"claims {info.file_size:,} bytes, over the limit of 1,000"):
            safe_zip.read_member(archive, info, 1000, "page")


def test_a_member_that_understates_its_size_is_never_read_past_what_it_declared(tmp_path):
    path = make_cbz(tmp_path / "liar.cbz", {"001.jpg": JPEG + b"\x00" * 5000})
    data = bytearray(path.read_bytes())
    # Shrink the declared size in the central directory: the declared-size check lets it through,
    # and the zip reader stops at the 100 bytes declared, where the checksum gives the lie away.
    at = data.rindex(b"PK\x01\x02")
    data[at + 24:at + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))

    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile, match="CRC"):
        safe_zip.read_member(archive, archive.getinfo("001.jpg"), 1000, "page")


def test_comic_info_with_entities_is_ignored(tmp_path):
    info = '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><ComicInfo><Title>&x;</Title></ComicInfo>'
    path = make_cbz(tmp_path / "xxe.cbz", {"001.jpg": JPEG, "ComicInfo.xml": info})

    book = read_cbz(path)

    assert book.title == ""
    assert book.cover == JPEG


def test_an_archive_declaring_too_many_members_is_refused_before_it_is_listed(tmp_path, monkeypatch):
    path = make_cbz(tmp_path / "many.cbz", {"001.jpg": JPEG})
    data = bytearray(path.read_bytes())
    at = data.rindex(b"PK\x05\x06")
    data[at + 8:at + 12] = (0xFFFE).to_bytes(2, "little") * 2
    path.write_bytes(bytes(data))
    monkeypatch.setattr(safe_zip, "MAX_MEMBERS", 1000)

    with pytest.raises(ImportFailedError, match="limit"):
        read_cbz(path)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 truncated", b"<html>404</html>", b"\x00" * 4096])
def test_a_damaged_or_foreign_file_named_cbz_fails_with_its_name(tmp_path, data):
    path = tmp_path / "broken.cbz"
    path.write_bytes(data)

    with pytest.raises(ImportFailedError, match="broken.cbz"):
        read_cbz(path)


def test_a_truncated_comic_fails_clearly(tmp_path):
    whole = make_cbz(tmp_path / "whole.cbz", {f"{i:03}.jpg": JPEG * 20 for i in range(20)})
    cut = tmp_path / "cut.cbz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    with pytest.raises(ImportFailedError, match="cut.cbz"):
        read_cbz(cut)
