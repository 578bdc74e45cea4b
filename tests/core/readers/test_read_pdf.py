"""Reading PDFs: the info dictionary, XMP, encryption, and damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from bookdesk.core.importer.readers.pdf import read_pdf
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError

XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/" xmp:CreateDate="2010-02-03T10:00:00Z">
 <dc:title><rdf:Alt><rdf:li xml:lang="de">Der Glashafen</rdf:li><rdf:li xml:lang="x-default">The Glass Harbor</rdf:li></rdf:Alt></dc:title>
 <dc:creator><rdf:Seq><rdf:li>Clara Castellanos</rdf:li><rdf:li>Dmitri Dupont</rdf:li></rdf:Seq></dc:creator>
 <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Ships made of glass.</rdf:li></rdf:Alt></dc:description>
 <dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>
 <dc:subject><rdf:Bag><rdf:li>Sea</rdf:li><rdf:li>Glass</rdf:li></rdf:Bag></dc:subject>
 <dc:publisher><rdf:Bag><rdf:li>Harbor Press</rdf:li></rdf:Bag></dc:publisher>
 <prism:isbn>0-306-40615-2</prism:isbn>
 {extra}
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def make_pdf(path: Path, info: dict[str, str] | None = None, xmp: str | None = None) -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    if info:
        writer.add_metadata(info)
    if xmp is not None:
        stream = DecodedStreamObject()
        stream.set_data(xmp.encode())
        stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    writer.write(path)
    return writer


def test_the_info_dictionary_gives_title_every_author_subject_keywords_and_year(tmp_path):
    path = tmp_path / "harbor.pdf"
    make_pdf(path, {"/Title": "The Glass Harbor", "/Author": "Ada Abernathy and Ben Brontë; Clara Ito & Dan Wu",
                    "/Subject": "A novel of the sea", "/Keywords": "sea; glass, fiction",
                    "/CreationDate": "D:20040501120000+02'00'"})

    book = read_pdf(path)

    assert book.title == "The Glass Harbor"
    assert [c.name for c in book.authors] == ["Ada Abernathy", "Ben Brontë", "Clara Ito", "Dan Wu"]
    assert book.description == "A novel of the sea"
    assert book.subjects == ["sea", "glass", "fiction"]
    assert book.published == "2004"


def test_xmp_wins_over_the_info_dictionary_and_adds_language_publisher_and_isbn(tmp_path):
    path = tmp_path / "harbor.pdf"
    make_pdf(path, {"/Title": "harbor_final_v2.docx", "/Author": "Administrator", "/Subject": "old"},
             XMP.format(extra=""))

    book = read_pdf(path)

    assert book.title == "The Glass Harbor"  # the x-default language first
    assert book.contributors == [Contributor("Clara Castellanos"), Contributor("Dmitri Dupont")]
    assert book.description == "Ships made of glass."
    assert (book.language, book.publisher, book.published) == ("en", "Harbor Press", "2010")
    assert book.subjects == ["Sea", "Glass"]
    assert book.identifiers == {"isbn": "9780306406157"}


def test_identifiers_and_calibre_series_in_xmp_are_read(tmp_path):
    extra = """<xmp:Identifier xmlns:xmpidq="http://ns.adobe.com/xmp/Identifier/qual/1.0/"><rdf:Bag>
      <rdf:li rdf:parseType="Resource"><xmpidq:Scheme>amazon</xmpidq:Scheme><rdf:value>B00ABCDE12</rdf:value></rdf:li>
      </rdf:Bag></xmp:Identifier>
      <calibre:series xmlns:calibre="http://calibre-ebook.com/xmp-namespace" rdf:parseType="Resource">
        <rdf:value>Harbor Lights</rdf:value>
        <calibreSI:series_index xmlns:calibreSI="http://calibre-ebook.com/xmp-namespace-series-index">3.0</calibreSI:series_index>
      </calibre:series>"""
    path = tmp_path / "harbor.pdf"
    make_pdf(path, None, XMP.format(extra=extra))

    book = read_pdf(path)

    assert book.identifiers == {"isbn": "9780306406157", "asin": "B00ABCDE12"}
    assert book.series == [SeriesRef("Harbor Lights", "3")]


def test_junk_titles_and_authors_that_producers_fill_in_are_dropped(tmp_path):
    path = tmp_path / "scan.pdf"
    make_pdf(path, {"/Title": "Microsoft Word - draft7.doc", "/Author": "Owner"})

    book = read_pdf(path)

    assert (book.title, book.contributors) == ("", [])


def test_an_encrypted_pdf_imports_with_nothing_read_instead_of_failing(tmp_path):
    path = tmp_path / "locked.pdf"
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Title": "Secret Title"})
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    writer.write(path)

    book = read_pdf(path)

    assert book.title == "" and book.contributors == []


def test_a_pdf_protected_only_against_printing_opens_with_the_empty_password(tmp_path):
    path = tmp_path / "restricted.pdf"
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Title": "Open Title", "/Author": "Ada Abernathy"})
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    writer.write(path)

    book = read_pdf(path)

    assert book.title == "Open Title"
    assert book.authors == [Contributor("Ada Abernathy")]


def test_xml_entities_in_xmp_are_refused_and_the_info_dictionary_is_used(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">&b;</x:xmpmeta>')
    path = tmp_path / "bomb.pdf"
    make_pdf(path, {"/Title": "Safe Title"}, bomb)

    assert read_pdf(path).title == "Safe Title"


def test_malformed_xmp_falls_back_to_the_info_dictionary(tmp_path):
    path = tmp_path / "bad-xmp.pdf"
    make_pdf(path, {"/Title": "Info Title"}, "<x:xmpmeta <<< not xml")

    assert read_pdf(path).title == "Info Title"


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n" + b"\x00garbage" * 100, b"Hello, I am not a PDF at all."])
def test_a_corrupt_pdf_raises_a_clear_error_naming_the_file(tmp_path, data):
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)

    with pytest.raises(ImportFailedError, match="broken.pdf is not a readable PDF"):
        read_pdf(path)


def test_a_truncated_pdf_either_reads_or_fails_cleanly(tmp_path):
    whole = tmp_path / "whole.pdf"
    make_pdf(whole, {"/Title": "Cut Short"})
    data = whole.read_bytes()
    for cut in (len(data) // 4, len(data) // 2, len(data) - 30):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(data[:cut])
        try:
            book = read_pdf(path)
        except ImportFailedError as exc:
            assert path.name in exc.message
        else:
            assert book.title in ("", "Cut Short")


def test_a_pdf_with_many_pages_is_read_without_touching_its_pages(tmp_path, monkeypatch):
    path = tmp_path / "long.pdf"
    writer = PdfWriter()
    for _ in range(300):
        writer.add_blank_page(72, 72)
    writer.add_metadata({"/Title": "Long Book"})
    writer.write(path)
    from pypdf import PdfReader

    def no_pages(self: PdfReader) -> None:
        raise AssertionError("pages were loaded")

    monkeypatch.setattr(PdfReader, "pages", property(no_pages))

    assert read_pdf(path).title == "Long Book"
