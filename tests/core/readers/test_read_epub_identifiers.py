"""EPUB additions: identifiers as calibre's OPF 3 and EPUB 3 refinements write them, calibre's dates,
and the archive directory checked before it is listed."""

from __future__ import annotations

import zipfile

import pytest

from bookdesk.core.importer.readers import safe_zip
from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.errors import ImportFailedError


def test_identifiers_written_as_scheme_prefixes_and_onix_refinements_are_read(tmp_path, make_epub):
    path = make_epub(tmp_path / "ids.epub", """
        <dc:title>T</dc:title>
        <dc:identifier id="i1">0-306-40615-2</dc:identifier>
        <meta refines="#i1" property="identifier-type" scheme="onix:codelist5">02</meta>
        <dc:identifier>amazon:B00ABCDE12</dc:identifier>
        <dc:identifier>goodreads:18423</dc:identifier>
        <dc:date>2004-05-01T07:00:00+00:00</dc:date>""")

    book = read_epub(path)

    assert book.identifiers == {"isbn": "9780306406157", "asin": "B00ABCDE12", "goodreads": "18423"}
    assert book.published == "2004-05-01"


def test_an_asin_under_mobi_asin_scheme_and_an_unknown_date_from_calibre(tmp_path, make_epub):
    path = make_epub(tmp_path / "a.epub", version="2.0", metadata="""
        <dc:title>T</dc:title><dc:identifier opf:scheme="MOBI-ASIN">b00abcde12</dc:identifier>
        <dc:date>0101-01-01T00:00:00+00:00</dc:date>""")

    book = read_epub(path)

    assert book.identifiers == {"asin": "B00ABCDE12"}
    assert book.published is None


def test_an_epub_declaring_a_huge_directory_is_refused_before_it_is_listed(tmp_path, make_epub, monkeypatch):
    path = make_epub(tmp_path / "many.epub", "<dc:title>T</dc:title>")
    monkeypatch.setattr(safe_zip, "MAX_MEMBERS", 2)

    with pytest.raises(ImportFailedError, match="many.epub .EPUB. declares 4 members"):
        read_epub(path)


def test_a_file_that_is_no_zip_at_all_is_a_damaged_epub(tmp_path):
    path = tmp_path / "html.epub"
    path.write_text("<html><body>404</body></html>")

    with pytest.raises(ImportFailedError, match="html.epub is not a valid EPUB"):
        read_epub(path)


def test_path_traversal_in_the_cover_href_is_never_followed(tmp_path, make_epub):
    path = make_epub(tmp_path / "slip.epub", """<dc:title>T</dc:title><meta name="cover" content="c"/>""",
                     manifest='<item id="c" href="../../../etc/cover.jpg" media-type="image/jpeg"/>',
                     members={"../etc/cover.jpg": b"\xff\xd8\xff"})

    book = read_epub(path)

    assert book.cover is None
    with zipfile.ZipFile(path) as archive:
        assert "../etc/cover.jpg" in archive.namelist()  # the hostile member is there, and unused
