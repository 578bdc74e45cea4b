"""Reading calibre's metadata.db, checked field by field against what ``calibredb list`` says of the same
library, and never writing it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from bookdesk.core.calibre.library_db import read_library
from bookdesk.errors import ImportFailedError
from tests.calibre_library import calibredb


def _fingerprint(folder: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _within(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _listed(path: str) -> str:
    """A path ``calibredb list`` gave, inside the library it listed (the test has a copy of it)."""
    return path.split("/calibre-made/library/", 1)[1]


def test_every_field_comes_as_calibredb_lists_it(calibre_copy):
    folder, listed = calibre_copy
    library = read_library(folder)
    assert [b.id for b in library.books] == [b["id"] for b in listed]
    for book, truth in zip(library.books, listed, strict=True):
        assert book.uuid == truth["uuid"]
        assert book.title == truth["title"]
        assert " & ".join(a.name for a in book.authors) == truth["authors"]
        assert book.series == truth.get("series")
        if truth.get("series"):
            assert book.series_index == truth["series_index"]
        assert book.tags == truth["tags"]
        assert book.identifiers == truth["identifiers"]
        assert book.rating == truth.get("rating")
        assert book.publisher == truth.get("publisher")
        assert book.timestamp.isoformat().startswith(truth["timestamp"][:19])
        assert book.last_modified.isoformat().startswith(truth["last_modified"][:19])
        assert book.pubdate == (None if truth["pubdate"].startswith("0101") else truth["pubdate"][:10])
        assert sorted(_within(f.path, folder) for f in book.formats) == sorted(map(_listed, truth["formats"]))
        assert _within(book.cover, folder) == _listed(truth["cover"])
        for name, value in truth.items():
            if name.startswith("*") and value not in ([], "None", None):
                mine = book.custom[name[1:]]
                if name == "*started":
                    assert mine == value[:10]
                elif name == "*notes":
                    assert mine == "Loved it"
                else:
                    assert mine == value


def test_calibre_quirks_are_undone(calibre_copy):
    folder, _ = calibre_copy
    first, second, third = read_library(folder).books
    assert [(a.name, a.sort) for a in first.authors] == [("Ursula K. Le Guin", "Guin, Ursula K. Le"),
                                                        ("Jørgen Brontë", "Brontë, Jørgen")]
    assert second.authors[0].name == "O'Brien, Flann"  # calibre stores it as "O'Brien| Flann"
    assert first.rating == 8 and second.rating == 6  # half stars, four and three stars
    assert first.languages == ["en", "fr"]
    assert first.comments == "The second book & a tomb."  # the script gone, entities decoded
    assert second.comments == "Plain comment, two\n\nparagraphs."
    assert third.title == "Café: ¿Qué? [Ω] — \"quotes\" & 'more' / slash"
    assert {f.format for f in first.formats} == {"epub", "pdf"}
    assert third.custom == {} and second.custom["read"] is False


def test_the_library_is_never_written(calibre_copy):
    folder, _ = calibre_copy
    before = _fingerprint(folder)
    read_library(folder)
    assert _fingerprint(folder) == before


def test_a_folder_that_is_not_a_calibre_library_says_so(tmp_path):
    with pytest.raises(ImportFailedError, match="is not a calibre library"):
        read_library(tmp_path)


def test_a_damaged_database_says_so(calibre_copy):
    folder, _ = calibre_copy
    database = folder / "metadata.db"
    database.write_bytes(database.read_bytes()[:3000])
    with pytest.raises(ImportFailedError, match="damaged"):
        read_library(folder)


def test_a_database_of_another_kind_says_so(tmp_path):
    sqlite3.connect(tmp_path / "metadata.db").execute("CREATE TABLE notes (x)").connection.commit()
    with pytest.raises(ImportFailedError, match="not a calibre library's database"):
        read_library(tmp_path)


def test_a_much_older_calibre_says_to_open_it_in_a_newer_one(calibre_copy):
    folder, _ = calibre_copy
    db = sqlite3.connect(folder / "metadata.db")
    db.execute("ALTER TABLE books DROP COLUMN last_modified")
    db.commit()
    db.close()
    with pytest.raises(ImportFailedError, match="too old"):
        read_library(folder)


def test_a_locked_database_says_to_try_again(calibre_copy, monkeypatch):
    folder, _ = calibre_copy
    monkeypatch.setattr("bookdesk.core.calibre.library_db.BUSY_SECONDS", 0.1)
    holder = sqlite3.connect(folder / "metadata.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ImportFailedError, match="locked"):
            read_library(folder)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_missing_files_and_formats_listed_twice_are_told_and_the_rest_comes(calibre_copy):
    folder, _ = calibre_copy
    first = read_library(folder).books[0]
    pdf = next(f.path for f in first.formats if f.format == "pdf")
    pdf.unlink()
    db = sqlite3.connect(folder / "metadata.db")
    db.execute("PRAGMA legacy_alter_table = ON")  # calibre's views name the table being replaced
    db.execute("CREATE TABLE data2 AS SELECT * FROM data")
    db.execute("DROP TABLE data")
    db.execute("ALTER TABLE data2 RENAME TO data")
    db.execute("INSERT INTO data (id, book, format, uncompressed_size, name) "
               "SELECT 99, book, 'epub', uncompressed_size, name FROM data WHERE book = 1 AND format = 'EPUB'")
    db.commit()
    db.close()
    book = read_library(folder).books[0]
    assert [f.format for f in book.formats] == ["epub"]
    assert any("PDF file is missing" in p for p in book.problems)
    assert any("lists its EPUB twice" in p for p in book.problems)


def test_a_library_on_a_read_only_disk_is_read(read_only_calibre):
    folder, listed = read_only_calibre
    assert [b.uuid for b in read_library(folder).books] == [b["uuid"] for b in listed]


def test_a_books_languages_come_in_calibres_order(calibre_copy, tmp_path):
    folder, _ = calibre_copy
    calibredb(tmp_path / "home", "set_metadata", "--with-library", str(folder), "--field", "languages:deu,eng", "2")
    books = {b.id: b for b in read_library(folder).books}
    assert books[2].languages == ["de", "en"]
