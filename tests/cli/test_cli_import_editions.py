"""An EPUB and an M4B of one book: one work that keeps, field by field, the richer of what the two say.

The audiobook here has thin tags (no series, no language, no ISBN, no cover, its recording's year);
the EPUB has them all. Whichever comes first, in one import or in two, the work keeps the EPUB's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from mutagen.mp4 import MP4

from bookdesk.app import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _thin_audiobook(target: Path) -> Path:
    """The fixture M4B with its series, language, ASIN and cover taken out and a later year."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "audio" / "lantern.m4b", target)
    tags = MP4(target)
    for key in ("©mvn", "©mvi", "----:com.apple.iTunes:ASIN", "----:com.apple.iTunes:LANGUAGE", "covr"):
        tags.tags.pop(key, None)
    tags.tags["©day"] = ["2015"]
    tags.save()
    return target


def _ebook(target: Path) -> Path:
    """The fixture EPUB: Harbor Lights #2, ISBN 9780306406157, English, 2004-05-01, with a cover."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(FIXTURES / "ebooks" / "lantern.epub", target))


def _json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _the_book(capsys, library: Path) -> dict:
    [book] = _json(capsys, "list", "--library", str(library))["books"]
    return book


def _assert_kept_the_ebooks_fields(book: dict, library: Path) -> None:
    assert book["title"] == "The Lantern Archive" and book["authors"][0] == "Mira Castellanos"
    assert sorted(f["format"] for f in book["files"]) == ["epub", "m4b"]
    assert book["series"] == [{"name": "Harbor Lights", "position": "2"}]
    assert book["identifiers"]["isbn"] == "9780306406157"
    assert book["language"] == "en"
    assert book["first_published"] == "2004-05-01"  # not the audiobook's 2015


@pytest.mark.parametrize("first", ["audiobook", "ebook"])
def test_one_import_of_both_keeps_the_ebooks_series_isbn_language_year_and_cover(tmp_path, library_dir, capsys,
                                                                                  first):
    drop = tmp_path / "incoming"
    # Files are read in name order: the one named "a ..." is planned first.
    _thin_audiobook(drop / f"{'a' if first == 'audiobook' else 'b'} lantern.m4b")
    _ebook(drop / f"{'b' if first == 'audiobook' else 'a'} lantern.epub")

    report = _json(capsys, "import", str(drop), "--library", str(library_dir))

    assert report["added"] == 2 and report["failed"] == []
    book = _the_book(capsys, library_dir)
    _assert_kept_the_ebooks_fields(book, library_dir)
    assert book["cover"] and (library_dir / book["cover"]).read_bytes().startswith(b"\x89PNG")  # the EPUB's


def test_an_ebook_imported_after_its_thin_audiobook_fills_in_what_the_work_lacked(tmp_path, library_dir, capsys):
    audio = _thin_audiobook(tmp_path / "audio" / "lantern.m4b")
    ebook = _ebook(tmp_path / "ebook" / "lantern.epub")
    assert _json(capsys, "import", str(audio), "--library", str(library_dir))["added"] == 1
    before = _the_book(capsys, library_dir)
    assert before["series"] == [] and before["language"] is None

    second = _json(capsys, "import", str(ebook), "--library", str(library_dir))

    _assert_kept_the_ebooks_fields(_the_book(capsys, library_dir), library_dir)
    assert main(["undo", second["correlation_id"], "--library", str(library_dir), "--json"]) == 0
    capsys.readouterr()
    after_undo = _the_book(capsys, library_dir)
    assert (after_undo["series"], after_undo["language"], after_undo["first_published"]) == ([], None, "2015")
