"""Writing metadata into EPUBs: every field reads back with BookDesk's own reader, only the package
document changes, and anything suspicious leaves the book exactly as it was."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from writeback_files import folder_bytes, raw_members

from bookdesk.core.importer.readers.epub import read_epub
from bookdesk.core.writeback import WritableMetadata, WritebackError, write_epub_metadata
from bookdesk.data.catalog_rows import Contributor, SeriesRef

META = WritableMetadata.of(
    title="The Lantern Keeper's Archive", sort_title="Lantern Keeper's Archive",
    authors=[Contributor("Ursula K. Le Guin", sort_name="Le Guin, Ursula K."), Contributor("Sven Eklund")],
    series=[SeriesRef("Harbour Lights", "3")], isbn="978-0-14-103614-4", asin="B0WRITEB01", language="fr",
    publisher="Harbour House", date="2009-10-12",
    description="A keeper of lanterns finds a lost archive.\n\nWhat it remembers changes the harbour.")


def opf_of(path: Path, name: str = "content.opf") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def test_every_field_written_into_an_epub_reads_back_as_written(put):
    book = put("ebooks/lantern.epub")

    assert write_epub_metadata(book, META) is True

    read = read_epub(book)
    assert read.title == "The Lantern Keeper's Archive"
    assert read.contributors == [Contributor("Ursula K. Le Guin", "author", "Le Guin, Ursula K."),
                                 Contributor("Sven Eklund", "author", "Eklund, Sven")]  # the old creators are gone
    assert read.series == [SeriesRef("Harbour Lights", "3")]
    assert read.identifiers["isbn"] == "9780141036144" and read.identifiers["asin"] == "B0WRITEB01"
    assert read.identifiers["uuid"] == "0b4e28ba-2fa1-11d2-883f-0016d3cca427"  # the unique identifier stays
    assert (read.language, read.publisher, read.published) == ("fr", "Harbour House", "2009-10-12")
    assert read.description == "A keeper of lanterns finds a lost archive. What it remembers changes the harbour."
    assert read.subjects == ["Fantasy"] and read.cover_ext == "png"  # what was not written is still there
    opf = opf_of(book)
    assert opf.startswith('<?xml version="1.0" encoding="utf-8"?>\n<package')  # the declaration as it was
    assert 'opf:role="aut" opf:file-as="Eklund, Sven">Sven Eklund<' in opf  # EPUB 2 attributes
    assert '<meta name="calibre:series_index" content="3"/>' in opf


def test_only_the_package_document_changes_and_every_other_member_is_copied_byte_for_byte(put):
    book = put("ebooks/lantern.epub")
    before = raw_members(book)

    write_epub_metadata(book, META)

    after = raw_members(book)
    assert list(after) == list(before)  # same members, same order
    assert {n: m for n, m in after.items() if n != "content.opf"} == \
        {n: m for n, m in before.items() if n != "content.opf"}
    with zipfile.ZipFile(book) as archive:
        assert archive.testzip() is None
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert book.read_bytes()[30:38] == b"mimetype"  # no extra field before the media type


def test_writing_what_the_epub_already_says_leaves_it_untouched(put):
    book = put("ebooks/lantern.epub")
    write_epub_metadata(book, META)
    written = book.read_bytes()

    assert write_epub_metadata(book, META) is False
    assert book.read_bytes() == written


def test_fields_the_catalog_does_not_know_are_left_as_the_file_has_them(put):
    book = put("ebooks/lantern.epub")

    write_epub_metadata(book, WritableMetadata.of(title="Only The Title"))

    read = read_epub(book)
    assert read.title == "Only The Title"
    assert [c.name for c in read.authors] == ["Mira Castellanos", "Sven Eklund"]
    assert read.series == [SeriesRef("Harbor Lights", "2")] and read.publisher == "Corpus Press"


EPUB3 = """
  <dc:identifier id="id">urn:isbn:9780306406157</dc:identifier>
  <dc:title id="t1">Old Title</dc:title>
  <dc:title id="t2">An Old Subtitle</dc:title>
  <meta refines="#t2" property="title-type">subtitle</meta>
  <dc:creator id="c1">Old Author</dc:creator>
  <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
  <meta refines="#c1" property="file-as">Author, Old</meta>
  <dc:creator id="c2">Nora Narrator</dc:creator>
  <meta refines="#c2" property="role" scheme="marc:relators">nrt</meta>
  <!-- kept: a comment someone left -->
  <meta property="belongs-to-collection" id="s1">Old Series</meta>
  <meta refines="#s1" property="collection-type">series</meta>
  <meta refines="#s1" property="group-position">9</meta>
  <meta property="belongs-to-collection" id="k1">A Reading List</meta>
  <meta refines="#k1" property="collection-type">reading-list</meta>
  <meta property="dcterms:modified">2001-01-01T00:00:00Z</meta>
  <dc:language>en</dc:language>
"""


def test_an_epub3_gets_refinements_its_collections_updated_and_its_unique_identifier_kept(tmp_path, make_epub):
    book = make_epub(tmp_path / "three.epub", EPUB3)
    meta = WritableMetadata.of(title="New Title", authors=[Contributor("Ann Author")], isbn="9780141036144",
                               series=[SeriesRef("New Series", "1.5"), SeriesRef("Second Series", "")])

    assert write_epub_metadata(book, meta)

    read = read_epub(book)
    assert (read.title, read.subtitle) == ("New Title", "An Old Subtitle")
    assert read.contributors == [Contributor("Ann Author", "author", "Author, Ann"),
                                 Contributor("Nora Narrator", "narrator")]  # the narrator stays
    assert read.series == [SeriesRef("New Series", "1.5"), SeriesRef("Second Series", "")]
    assert read.identifiers["isbn"] == "9780141036144"
    opf = opf_of(book, "OEBPS/content.opf")
    assert '<dc:identifier id="id">urn:isbn:9780306406157</dc:identifier>' in opf  # never the unique id
    assert "opf:role" not in opf and 'property="role" scheme="marc:relators">aut<' in opf
    assert "Old Author" not in opf and "#c1" not in opf and "Old Series" not in opf
    assert "A Reading List" in opf and "<!-- kept: a comment someone left -->" in opf
    assert "2001-01-01T00:00:00Z" not in opf  # dcterms:modified moves on with the content
    assert "calibre:series" not in opf  # the file used collections only; those were updated


def test_an_epub_with_no_series_gets_calibres_metas_and_in_epub3_collections_too(tmp_path, make_epub):
    two = make_epub(tmp_path / "two.epub", "<dc:title>Plain</dc:title>", version="2.0")
    three = make_epub(tmp_path / "three.epub", "<dc:title>Plain</dc:title>", version="3.0")
    meta = WritableMetadata.of(series=[SeriesRef("Harbour Lights", "2"), SeriesRef("Omnibus", "1-3")])

    write_epub_metadata(two, meta)
    write_epub_metadata(three, meta)

    assert read_epub(two).series == [SeriesRef("Harbour Lights", "2")]  # calibre's metas hold one series
    assert read_epub(three).series == [SeriesRef("Harbour Lights", "2"), SeriesRef("Omnibus", "1-3")]
    assert '<meta name="calibre:series" content="Harbour Lights"/>' in opf_of(two, "OEBPS/content.opf")
    assert 'property="belongs-to-collection"' in opf_of(three, "OEBPS/content.opf")


def test_a_series_position_the_catalog_does_not_know_removes_the_files_stale_one(put):
    book = put("ebooks/lantern.epub")

    write_epub_metadata(book, WritableMetadata.of(series=[SeriesRef("Harbor Lights", "")]))

    assert read_epub(book).series == [SeriesRef("Harbor Lights", "")]
    assert "calibre:series_index" not in opf_of(book)


def test_a_misplaced_or_compressed_mimetype_is_put_first_and_stored(tmp_path):
    book = tmp_path / "sloppy.epub"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("c.opf", SMALL_OPF)
        archive.writestr("mimetype", "application/epub+zip")  # last and compressed

    write_epub_metadata(book, WritableMetadata.of(title="Tidy"))

    with zipfile.ZipFile(book) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
        assert [i.filename for i in archive.infolist()].count("mimetype") == 1
    assert read_epub(book).title == "Tidy"


CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="c.opf" media-type="application/oebps-package+xml"/></rootfiles>'
             '</container>')
SMALL_OPF = ('<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/'
             'elements/1.1/"><dc:title>T</dc:title></metadata></package>')
HOSTILE = ('<?xml version="1.0"?>\n<!DOCTYPE package [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
           '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/'
           'elements/1.1/"><dc:title>&lol2;</dc:title></metadata></package>')


@pytest.mark.parametrize("opf, reason", [(HOSTILE, "entities"), ("<package><metadata><dc:title>", "well-formed")])
def test_a_hostile_or_broken_package_document_is_refused_and_the_book_left_exactly_as_it_was(tmp_path, make_epub,
                                                                                              opf, reason):
    book = make_epub(tmp_path / "books" / "bad.epub", "", opf=opf)
    before = folder_bytes(book.parent)

    with pytest.raises(WritebackError, match=reason) as caught:
        write_epub_metadata(book, META)

    assert caught.value.message.startswith("bad.epub: ") and "left as it was" in caught.value.message
    assert folder_bytes(book.parent) == before  # no change, and no temporary file left behind


def test_when_the_read_back_disagrees_nothing_is_replaced(put, monkeypatch):
    book = put("ebooks/lantern.epub")
    before = book.read_bytes()
    from bookdesk.core.writeback import epub

    real = epub.read_epub
    monkeypatch.setattr(epub, "read_epub", lambda p: real(book) if p == book else real(book))  # reads the old one

    with pytest.raises(WritebackError, match="did not read back as written"):
        write_epub_metadata(book, META)

    assert book.read_bytes() == before
    assert [p.name for p in book.parent.iterdir()] == ["lantern.epub"]


def test_a_backup_hook_that_fails_stops_the_replacement(put):
    book = put("ebooks/lantern.epub")
    before = book.read_bytes()

    def no_room(path: Path) -> None:
        raise WritebackError(f"{path.name}: no backup could be made; the file was not rewritten.")

    with pytest.raises(WritebackError, match="no backup"):
        write_epub_metadata(book, META, before_replace=no_room)

    assert book.read_bytes() == before


def test_an_epub_written_with_data_descriptors_is_rewritten_with_sizes_in_its_headers(tmp_path):
    class Unseekable(io.RawIOBase):  # zipfile then trails each member with a data descriptor
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # noqa: ANN001
            self.data += b
            return len(b)

    stream = Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in (("META-INF/container.xml", CONTAINER), ("c.opf", SMALL_OPF), ("c.xhtml", "<html/>")):
            with archive.open(name, "w") as member:
                member.write(text.encode())
    book = tmp_path / "streamed.epub"
    book.write_bytes(bytes(stream.data))
    assert all(i.flag_bits & 0x08 for i in zipfile.ZipFile(book).infolist())

    write_epub_metadata(book, WritableMetadata.of(title="Streamed"))

    with zipfile.ZipFile(book) as archive:
        assert archive.testzip() is None and not any(i.flag_bits & 0x08 for i in archive.infolist())
        assert archive.read("c.xhtml") == b"<html/>"
    assert read_epub(book).title == "Streamed"
