"""``read_unit``: the right reader for every format, sidecars over files, names filling gaps, and
one bad file failing alone with its name in the message."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from book_files import JPEG, PNG, unit_for
from mutagen.mp4 import MP4
from pypdf import PdfWriter

from bookdesk.core.importer.discovery import discover
from bookdesk.core.importer.formats import BookFormat
from bookdesk.core.importer.readers import read_unit
from bookdesk.core.importer.units import BookUnit
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError

OPF = """<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:opf="http://www.idpf.org/2007/opf"><dc:title>Curated Title</dc:title>
 <dc:creator opf:role="aut" opf:file-as="Eklund, Sven">Sven Eklund</dc:creator>
 <meta name="calibre:series" content="Curated Series"/><meta name="calibre:series_index" content="7"/>
</metadata></package>"""


def pdf(path: Path, **info: str) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    if info:
        writer.add_metadata({f"/{k}": v for k, v in info.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.write(path)
    return path


def test_every_format_reaches_its_reader(tmp_path, fixtures, make_epub):
    books = {
        "epub": make_epub(tmp_path / "a" / "b.epub", "<dc:title>From EPUB</dc:title>"),
        "pdf": pdf(tmp_path / "p" / "x.pdf", Title="From PDF"),
        "mobi": fixtures / "ebooks" / "lantern.mobi",
        "azw3": fixtures / "ebooks" / "lantern.azw3",
        "m4b": fixtures / "audio" / "lantern.m4b",
        "mp3": fixtures / "audio" / "salt-road.mp3",
        "flac": fixtures / "audio" / "winter-orchard.flac",
        "ogg": fixtures / "audio" / "winter-orchard.ogg",
        "opus": fixtures / "audio" / "winter-orchard.opus",
    }
    cbz = tmp_path / "c" / "comic.cbz"
    cbz.parent.mkdir()
    with zipfile.ZipFile(cbz, "w") as archive:
        archive.writestr("ComicInfo.xml", "<ComicInfo><Title>From CBZ</Title></ComicInfo>")
        archive.writestr("001.jpg", JPEG)
    books["cbz"] = cbz

    titles = {name: read_unit(unit_for(path)).title for name, path in books.items()}

    assert titles == {"epub": "From EPUB", "pdf": "From PDF", "mobi": "The Lantern Archive",
                      "azw3": "The Lantern Archive", "m4b": "The Lantern Archive", "mp3": "The Salt Road",
                      "flac": "Winter Orchard", "ogg": "Winter Orchard", "opus": "Winter Orchard", "cbz": "From CBZ"}


def test_a_folder_of_parts_reads_as_one_audiobook(fixtures, tmp_path):
    folder = shutil.copytree(fixtures / "audio" / "glass-signal", tmp_path / "Ines Moreau" / "The Glass Signal")
    units, _ = discover([tmp_path])

    book = read_unit(units[0])

    assert (book.title, [a.name for a in book.authors], len(book.chapters)) == ("The Glass Signal", ["Ines Moreau"], 3)
    assert units[0].parts[0] == folder / "Part 1.mp3"


def test_a_sidecar_wins_over_the_file_and_the_file_over_the_names(tmp_path, make_epub):
    folder = tmp_path / "Mira Castellanos" / "Harbor" / "Book 2 - Name Title"
    path = make_epub(folder / "Name Title.epub", """
        <dc:title>File Title</dc:title><dc:creator>Mira Castellanos</dc:creator>
        <dc:identifier opf:scheme="ISBN">9780306406157</dc:identifier><dc:language>en</dc:language>""")
    (folder / "metadata.opf").write_text(OPF, encoding="utf-8")

    book = read_unit(unit_for(path, root=tmp_path))

    assert book.title == "Curated Title"
    assert book.authors == [Contributor("Sven Eklund", "author", "Eklund, Sven")]
    assert book.series == [SeriesRef("Curated Series", "7")]
    assert (book.identifiers["isbn"], book.language) == ("9780306406157", "en")  # the file fills the sidecar's gaps


def test_names_only_fill_what_file_and_sidecar_leave_empty(tmp_path):
    path = pdf(tmp_path / "Ada Abernathy" / "Harbor Lights" / "Book 3 - The Tide {Olga Petrov} [B00ABCDE12].pdf",
               Title="The Tide Turns")

    book = read_unit(unit_for(path, root=tmp_path))

    assert book.title == "The Tide Turns"  # the file's own title
    assert book.contributors == [Contributor("Ada Abernathy"), Contributor("Olga Petrov", "narrator")]
    assert book.series == [SeriesRef("Harbor Lights", "3")]
    assert book.identifiers == {"asin": "B00ABCDE12"}


@pytest.mark.parametrize("tag_title", ["Audio File", "Track 01", "Chapter 1", "Audiobook"])
def test_a_title_tag_naming_a_part_gives_way_to_the_book_folder(tmp_path, fixtures, tag_title):
    path = tmp_path / "Terry Goodkind" / "Heart of Black Ice - Sister of Darkness" / "Audio File.m4b"
    path.parent.mkdir(parents=True)
    shutil.copy(fixtures / "audio" / "lantern.m4b", path)
    tags = MP4(path)
    tags.delete()
    tags = MP4(path)
    tags["©nam"] = [tag_title]
    tags.save()

    book = read_unit(unit_for(path, root=tmp_path))

    assert (book.title, book.subtitle) == ("Heart of Black Ice", "Sister of Darkness")
    assert [c.name for c in book.authors] == ["Terry Goodkind"]


def test_a_real_title_tag_still_wins_over_the_folder(tmp_path, fixtures):
    path = tmp_path / "Terry Goodkind" / "Heart of Black Ice" / "Audio File.m4b"
    path.parent.mkdir(parents=True)
    shutil.copy(fixtures / "audio" / "lantern.m4b", path)

    assert read_unit(unit_for(path, root=tmp_path)).title == "The Lantern Archive"


def test_an_encrypted_pdf_is_named_by_its_file_name(tmp_path):
    path = tmp_path / "Ursula K. Le Guin - The Lathe of Heaven (1971).pdf"
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    writer.write(path)

    book = read_unit(unit_for(path))

    assert (book.title, [a.name for a in book.authors], book.published) == (
        "The Lathe of Heaven", ["Ursula K. Le Guin"], "1971")


def test_a_stray_sidecar_in_a_folder_of_many_books_is_not_applied(tmp_path, make_epub):
    one = make_epub(tmp_path / "One.epub", "<dc:title>One</dc:title>")
    make_epub(tmp_path / "Two.epub", "<dc:title>Two</dc:title>")
    (tmp_path / "metadata.opf").write_text(OPF, encoding="utf-8")

    assert read_unit(unit_for(one)).title == "One"


def test_calibres_folder_with_one_book_in_several_formats_uses_its_sidecar_for_each(tmp_path, make_epub):
    epub = make_epub(tmp_path / "Title - Author.epub", "<dc:title>Raw</dc:title>")
    other = pdf(tmp_path / "Title - Author.pdf", Title="Raw")
    (tmp_path / "metadata.opf").write_text(OPF, encoding="utf-8")

    assert [read_unit(unit_for(p)).title for p in (epub, other)] == ["Curated Title", "Curated Title"]


def test_audiobookshelf_metadata_beside_an_audiobook_wins(tmp_path, fixtures):
    path = Path(shutil.copy(fixtures / "audio" / "lantern.m4b", tmp_path / "book.m4b"))
    (tmp_path / "metadata.json").write_text(json.dumps({"title": "ABS Title", "narrators": ["Sven Eklund"]}))

    book = read_unit(unit_for(path))

    assert book.title == "ABS Title"
    assert book.narrators == [Contributor("Sven Eklund", "narrator")]
    assert book.authors == [Contributor("Mira Castellanos")]  # from the file's tags
    assert len(book.chapters) == 2


def test_a_cover_beside_an_audiobook_without_one_is_used(tmp_path, fixtures):
    path = Path(shutil.copy(fixtures / "audio" / "lantern.m4b", tmp_path / "book.m4b"))
    tags = MP4(path)
    del tags.tags["covr"]
    tags.save()
    (tmp_path / "cover.jpg").write_bytes(PNG)  # the name lies; the bytes decide the extension

    book = read_unit(unit_for(path))

    assert (book.cover, book.cover_ext) == (PNG, "png")


def test_an_error_from_a_reader_names_the_file(tmp_path):
    path = tmp_path / "hollow.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")

    with pytest.raises(ImportFailedError, match=r"^hollow.epub: The EPUB has no container"):
        read_unit(unit_for(path))


def test_an_unexpected_parser_error_becomes_an_import_error_for_that_file(tmp_path, monkeypatch):
    path = pdf(tmp_path / "boom.pdf", Title="x")
    from bookdesk.core.importer.readers import pdf as pdf_reader

    def explode(_path: Path) -> None:
        raise KeyError("/Root")

    monkeypatch.setattr(pdf_reader, "read_pdf", explode)

    with pytest.raises(ImportFailedError, match=r"boom.pdf could not be read \(KeyError"):
        read_unit(unit_for(path))


def test_a_crash_in_sidecars_or_names_does_not_cost_the_book(tmp_path, make_epub, monkeypatch):
    path = make_epub(tmp_path / "ok.epub", "<dc:title>Still Here</dc:title>")
    (tmp_path / "metadata.json").write_text("{}")
    from bookdesk.core.importer import layouts, sidecars

    def explode(*_args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(sidecars, "read_sidecars", explode)
    monkeypatch.setattr(layouts, "parse_names", explode)

    assert read_unit(unit_for(path)).title == "Still Here"


def test_a_format_without_a_reader_is_a_clear_error(tmp_path):
    path = tmp_path / "x.djvu"
    path.write_bytes(b"AT&TFORM")

    with pytest.raises(ImportFailedError, match="DJVU files cannot be read"):
        read_unit(BookUnit(parts=(path,), format=BookFormat("djvu", "ebook"), root=tmp_path))


def test_a_book_under_the_wrong_extension_is_read_as_what_it_is(tmp_path, fixtures):
    shutil.copy(fixtures / "ebooks" / "lantern.azw3", tmp_path / "lantern.epub")
    units, _ = discover([tmp_path])

    assert read_unit(units[0]).title == "The Lantern Archive"


def test_every_format_discovery_can_find_has_a_reader(tmp_path):
    from bookdesk.core.importer.formats import FORMATS

    for suffix, book_format in FORMATS.items():
        path = tmp_path / f"not really a book{suffix}"
        path.write_bytes(b"not really a book")
        try:
            read_unit(BookUnit((path,), book_format, tmp_path))
        except ImportFailedError as exc:  # damaged, as it is: read, and found wanting
            assert "cannot be read by BookDesk" not in exc.message, book_format
