"""Reading what an EPUB says about itself, and refusing hostile or broken files clearly."""

from __future__ import annotations

import struct
import zipfile

import pytest

from bookdesk.core.importer.readers import epub as epub_reader
from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60


def test_an_epub2_with_calibre_series_gives_title_people_series_isbn_and_cover(tmp_path, make_epub):
    path = make_epub(tmp_path / "tombs.epub", version="2.0", metadata="""
        <dc:title>The Tombs of Atuan</dc:title>
        <dc:creator opf:role="aut" opf:file-as="Le Guin, Ursula K.">Ursula K. Le Guin</dc:creator>
        <dc:contributor opf:role="ill" opf:file-as="Robbins, Ruth">Ruth Robbins</dc:contributor>
        <dc:contributor opf:role="bkp">calibre (6.0)</dc:contributor>
        <dc:identifier opf:scheme="ISBN">0-306-40615-2</dc:identifier>
        <dc:identifier opf:scheme="uuid">urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427</dc:identifier>
        <dc:language>en</dc:language>
        <dc:publisher>Atheneum</dc:publisher>
        <dc:date>1971-01-01</dc:date>
        <dc:subject>Fantasy</dc:subject>
        <dc:description>&lt;p&gt;Tenar is &lt;b&gt;the priestess&lt;/b&gt;.&lt;/p&gt;</dc:description>
        <meta name="calibre:series" content="Earthsea Cycle"/>
        <meta name="calibre:series_index" content="2.0"/>
        <meta name="cover" content="cover-img"/>""",
        manifest='<item id="cover-img" href="images/cover.jpg" media-type="image/jpeg"/>',
        members={"OEBPS/images/cover.jpg": JPEG})

    book = read_epub(path)

    assert book.title == "The Tombs of Atuan"
    assert book.contributors == [Contributor("Ursula K. Le Guin", "author", "Le Guin, Ursula K."),
                                 Contributor("Ruth Robbins", "illustrator", "Robbins, Ruth")]
    assert book.series == [SeriesRef("Earthsea Cycle", "2")]  # calibre's "2.0" is book 2
    assert book.identifiers == {"isbn": "9780306406157", "uuid": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}
    assert (book.language, book.publisher, book.published) == ("en", "Atheneum", "1971-01-01")
    assert book.subjects == ["Fantasy"]
    assert book.description == "Tenar is the priestess."
    assert (book.cover, book.cover_ext) == (JPEG, "jpg")


def test_an_epub3_gives_refined_titles_roles_file_as_and_collections(tmp_path, make_epub):
    path = make_epub(tmp_path / "fifth.epub", opf_name="package.opf", metadata="""
        <dc:title id="t1">The Fifth Season</dc:title>
        <meta refines="#t1" property="title-type">main</meta>
        <dc:title id="t2">The Broken Earth, Book One</dc:title>
        <meta refines="#t2" property="title-type">subtitle</meta>
        <dc:creator id="c1">N. K. Jemisin</dc:creator>
        <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
        <meta refines="#c1" property="file-as">Jemisin, N. K.</meta>
        <dc:creator id="c2">Robin Miles</dc:creator>
        <meta refines="#c2" property="role" scheme="marc:relators">nrt</meta>
        <dc:identifier id="id">urn:isbn:978-0-316-22929-6</dc:identifier>
        <dc:language>en-US</dc:language>
        <meta property="belongs-to-collection" id="s1">The Broken Earth</meta>
        <meta refines="#s1" property="collection-type">series</meta>
        <meta refines="#s1" property="group-position">1.5</meta>
        <meta property="belongs-to-collection" id="s2">Hugo Award Winners</meta>
        <meta refines="#s2" property="collection-type">award-list</meta>""",
        manifest='<item id="img" href="art/front.png" media-type="image/png" properties="cover-image"/>',
        members={"art/front.png": PNG})

    book = read_epub(path)

    assert (book.title, book.subtitle) == ("The Fifth Season", "The Broken Earth, Book One")
    assert book.contributors == [Contributor("N. K. Jemisin", "author", "Jemisin, N. K."),
                                 Contributor("Robin Miles", "narrator", "")]
    assert book.series == [SeriesRef("The Broken Earth", "1.5")]  # an award list is not a series
    assert book.identifiers == {"isbn": "9780316229296"}
    assert book.language == "en-US"
    assert (book.cover, book.cover_ext) == (PNG, "png")


def test_a_cover_pointing_outside_the_archive_is_ignored_and_the_book_still_read(tmp_path, make_epub):
    path = make_epub(tmp_path / "sneaky.epub", metadata="<dc:title>Sneaky</dc:title>",
                     manifest='<item id="c" href="../../../etc/cover.jpg" media-type="image/jpeg" '
                              'properties="cover-image"/>')
    book = read_epub(path)
    assert book.title == "Sneaky" and book.cover is None


@pytest.mark.parametrize("doctype", [
    # billion laughs
    '<!DOCTYPE package [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    # external entity reading a local file
    '<!DOCTYPE package [<!ENTITY d SYSTEM "file:///etc/passwd">]>',
])
def test_a_package_document_declaring_entities_is_refused(tmp_path, make_epub, doctype):
    opf = (f'<?xml version="1.0"?>{doctype}<package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&d;</dc:title></metadata></package>')
    path = make_epub(tmp_path / "laughs.epub", "", opf=opf)
    with pytest.raises(ImportFailedError, match="entities"):
        read_epub(path)


def test_entities_hidden_in_utf16_are_never_expanded(tmp_path, make_epub):
    opf = ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE package [<!ENTITY a "aaaaaaaaaa">'
           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T &b; &x;</dc:title></metadata>'
           '</package>').encode("utf-16")
    path = make_epub(tmp_path / "sixteen.epub", "", opf=opf)
    try:
        title = read_epub(path).title
    except ImportFailedError:
        return  # refusing is as good
    assert "aaaaaaaaaa" not in title and "root:" not in title


def test_a_truncated_epub_fails_with_its_name_and_a_reason(tmp_path, make_epub):
    whole = make_epub(tmp_path / "whole.epub", "<dc:title>Whole</dc:title>").read_bytes()
    cut = tmp_path / "half a book.epub"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFailedError, match="half a book.epub"):
        read_epub(cut)


def test_a_file_that_is_not_a_zip_at_all_fails_clearly(tmp_path):
    fake = tmp_path / "notes.epub"
    fake.write_text("these are my notes, not a book")
    with pytest.raises(ImportFailedError, match="not a valid EPUB"):
        read_epub(fake)


def test_an_epub_without_a_container_fails_clearly(tmp_path):
    path = tmp_path / "bare.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
    with pytest.raises(ImportFailedError, match="container"):
        read_epub(path)


def _huge_opf() -> str:
    padding = "<!-- -->" + " " * (epub_reader.MAX_XML_BYTES + 1024)  # inflates past the limit, deflates tiny
    return ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Bomb</dc:title></metadata>'
            f'{padding}</package>')


def test_a_package_document_declared_over_the_limit_is_refused_without_inflating_it(
        tmp_path, make_epub, monkeypatch):
    path = make_epub(tmp_path / "bomb.epub", "", opf=_huge_opf())
    assert path.stat().st_size < 100_000
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, name, *a, **k: opened.append(getattr(name, "filename", name))
                        or real_open(self, name, *a, **k))

    with pytest.raises(ImportFailedError, match="over the limit"):
        read_epub(path)
    assert "OEBPS/content.opf" not in opened


def test_a_package_document_lying_about_its_size_is_never_read_past_the_limit(tmp_path, make_epub, monkeypatch):
    path = make_epub(tmp_path / "liar.epub", "", opf=_huge_opf())
    with zipfile.ZipFile(path) as z:
        real_size = z.getinfo("OEBPS/content.opf").file_size
    data = path.read_bytes()
    assert data.count(struct.pack("<I", real_size)) == 2  # local header and central directory
    path.write_bytes(data.replace(struct.pack("<I", real_size), struct.pack("<I", 1000)))
    inflated = []
    real_read = zipfile.ZipExtFile.read
    monkeypatch.setattr(zipfile.ZipExtFile, "read",
                        lambda self, n=-1: inflated.append(len(chunk := real_read(self, n))) or chunk)

    with pytest.raises(ImportFailedError, match="liar.epub"):
        read_epub(path)
    assert sum(inflated) <= epub_reader.MAX_XML_BYTES + 1
