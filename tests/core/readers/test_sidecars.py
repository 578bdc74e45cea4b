"""Sidecars beside a book: calibre's metadata.opf and Audiobookshelf's metadata.json."""

from __future__ import annotations

import json
import logging

from bookdesk.core.importer import sidecars
from bookdesk.core.importer.metadata import Chapter
from bookdesk.core.importer.sidecars import read_sidecars
from bookdesk.data.catalog_rows import Contributor, SeriesRef

CALIBRE_OPF = """<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="uuid_id" version="2.0">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier opf:scheme="calibre" id="calibre_id">42</dc:identifier>
    <dc:identifier opf:scheme="uuid" id="uuid_id">3c1a7b7e-1111-2222-3333-444455556666</dc:identifier>
    <dc:title>The Left Hand of Darkness</dc:title>
    <dc:creator opf:file-as="Le Guin, Ursula K." opf:role="aut">Ursula K. Le Guin</dc:creator>
    <dc:contributor opf:file-as="calibre" opf:role="bkp">calibre (7.0.0) [https://calibre-ebook.com]</dc:contributor>
    <dc:date>1969-03-01T05:00:00+00:00</dc:date>
    <dc:description>&lt;div&gt;&lt;p&gt;Winter.&lt;/p&gt;&lt;/div&gt;</dc:description>
    <dc:publisher>Ace Books</dc:publisher>
    <dc:identifier opf:scheme="ISBN">9780441478125</dc:identifier>
    <dc:identifier opf:scheme="AMAZON">B000FC1PJI</dc:identifier>
    <dc:identifier opf:scheme="GOODREADS">18423</dc:identifier>
    <dc:identifier opf:scheme="GOOGLE">Ry1MAAAAQBAJ</dc:identifier>
    <dc:language>eng</dc:language>
    <dc:subject>Science Fiction</dc:subject>
    <dc:subject>Classics</dc:subject>
    <meta name="calibre:series" content="Hainish Cycle"/>
    <meta name="calibre:series_index" content="4.0"/>
    <meta name="calibre:timestamp" content="2020-01-01T00:00:00+00:00"/>
  </metadata>
  <guide><reference type="cover" title="Cover" href="cover.jpg"/></guide>
</package>"""

ABS_JSON = {
    "tags": ["Favourites"],
    "chapters": [{"id": 1, "start": 600.5, "end": 1200, "title": "Two"}, {"id": 0, "start": 0, "end": 600.5,
                                                                          "title": "One"}],
    "title": "Project Hail Mary",
    "subtitle": "A Novel",
    "authors": ["Andy Weir"],
    "narrators": ["Ray Porter"],
    "series": ["Standalone Tales #1.5", {"name": "Weir Space", "sequence": "2"}],
    "genres": ["Science Fiction"],
    "publishedYear": "2021",
    "publishedDate": None,
    "publisher": "Audible Studios",
    "description": "<p>Ryland Grace wakes up.</p>",
    "isbn": None,
    "asin": "B08G9PRS1K",
    "language": "English",
    "explicit": False,
}


def test_calibres_opf_gives_title_people_series_identifiers_and_tags(tmp_path):
    (tmp_path / "metadata.opf").write_text(CALIBRE_OPF, encoding="utf-8")

    book = read_sidecars(tmp_path)

    assert book.title == "The Left Hand of Darkness"
    assert book.contributors == [Contributor("Ursula K. Le Guin", "author", "Le Guin, Ursula K.")]
    assert book.series == [SeriesRef("Hainish Cycle", "4")]
    assert book.identifiers == {"uuid": "3c1a7b7e-1111-2222-3333-444455556666", "isbn": "9780441478125",
                                "asin": "B000FC1PJI", "goodreads": "18423", "google": "Ry1MAAAAQBAJ"}
    assert (book.published, book.publisher, book.language) == ("1969-03-01", "Ace Books", "en")
    assert book.description == "Winter."
    assert book.subjects == ["Science Fiction", "Classics"]


def test_calibre_opf3_identifiers_written_as_scheme_prefixes(tmp_path):
    (tmp_path / "metadata.opf").write_text(
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title>'
        '<dc:identifier>isbn:9780306406157</dc:identifier><dc:identifier>amazon:B000FC1PJI</dc:identifier>'
        '<dc:date>0101-01-01T00:00:00+00:00</dc:date></metadata></package>', encoding="utf-8")

    book = read_sidecars(tmp_path)

    assert book.identifiers == {"isbn": "9780306406157", "asin": "B000FC1PJI"}
    assert book.published is None  # calibre's "unknown date"


def test_audiobookshelf_json_gives_people_series_strings_and_objects_and_chapters(tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps(ABS_JSON), encoding="utf-8")

    book = read_sidecars(tmp_path)

    assert (book.title, book.subtitle) == ("Project Hail Mary", "A Novel")
    assert book.contributors == [Contributor("Andy Weir"), Contributor("Ray Porter", "narrator")]
    assert book.series == [SeriesRef("Standalone Tales", "1.5"), SeriesRef("Weir Space", "2")]
    assert (book.published, book.publisher, book.language) == ("2021", "Audible Studios", "en")
    assert book.identifiers == {"asin": "B08G9PRS1K"}
    assert book.description == "Ryland Grace wakes up."
    assert book.subjects == ["Science Fiction", "Favourites"]
    assert book.chapters == [Chapter("One", 0.0), Chapter("Two", 600.5)]


def test_audiobookshelf_wins_over_calibre_when_both_are_there(tmp_path):
    (tmp_path / "metadata.opf").write_text(CALIBRE_OPF, encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps({"title": "From ABS", "authors": []}), encoding="utf-8")

    book = read_sidecars(tmp_path)

    assert book.title == "From ABS"
    assert book.authors == [Contributor("Ursula K. Le Guin", "author", "Le Guin, Ursula K.")]  # filled from the OPF


def test_no_sidecar_means_none(tmp_path):
    assert read_sidecars(tmp_path) is None


def test_hostile_and_malformed_sidecars_are_ignored_with_a_warning(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(sidecars, "MAX_SIDECAR_BYTES", 10_000)
    cases = {
        "entities": ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     '<package><metadata><title>&x;</title></metadata></package>', "{}"),
        "huge": ("<package>" + " " * 20_000 + "</package>", "[" + "1," * 10_000 + "1]"),
        "broken": ("<package><metadata", '{"title": '),
        "wrong-shapes": ("<nothing/>", '["a list", "not an object"]'),
        "deep": ("<package/>", "[" * 100_000 + "]" * 100_000),
    }
    for name, (opf, js) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "metadata.opf").write_text(opf, encoding="utf-8")
        (folder / "metadata.json").write_text(js, encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="bookdesk.core.importer.sidecars"):
            assert read_sidecars(folder) is None, name
    assert sum("ignored" in r.getMessage() for r in caplog.records) >= len(cases)


def test_audiobookshelf_fields_of_the_wrong_type_are_skipped_not_fatal(tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({
        "title": ["not", "a", "string"], "authors": [{"name": "Ok Person"}, 7, None, {"id": 3}],
        "series": [None, 5, {"name": None}, "Real Series #x2"], "chapters": [{"start": "soon"}, {"start": -1}, 3],
        "publishedYear": True, "genres": "Fantasy"}), encoding="utf-8")

    book = read_sidecars(tmp_path)

    assert book.title == ""
    assert book.authors == [Contributor("Ok Person")]
    assert book.series == [SeriesRef("Real Series", "x2")]
    assert (book.chapters, book.published, book.subjects) == ([], None, [])
