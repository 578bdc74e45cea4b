"""Finding the books in what the user dropped: files, folders, audiobooks in parts, and traps."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mutagen.easyid3 import EasyID3
from mutagen.mp4 import MP4

from bookdesk.core.importer import discovery
from bookdesk.core.importer.discovery import discover


def audio(fixtures: Path, name: str, target: Path, album: str | None = "keep", track: str | None = None) -> Path:
    """A copy of a fixture at ``target``; ``album=None`` strips the album, a string sets it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixtures / "audio" / name, target)
    if album != "keep":
        if target.suffix in (".m4b", ".m4a"):
            tags = MP4(target)
            tags.tags.pop("©alb", None)
            if album:
                tags.tags["©alb"] = [album]
        else:
            tags = EasyID3(target)
            tags.pop("album", None)
            tags.pop("tracknumber", None)
            if album:
                tags["album"] = album
            if track:
                tags["tracknumber"] = track
        tags.save()
    return target


def names(units, base: Path) -> list[list[str]]:
    return [[p.relative_to(base).as_posix() for p in u.parts] for u in units]


def test_a_folder_of_numbered_parts_is_one_book_in_natural_order(fixtures, tmp_path):
    book = shutil.copytree(fixtures / "audio" / "glass-signal", tmp_path / "drop" / "The Glass Signal")

    units, problems = discover([tmp_path / "drop"])

    assert problems == []
    assert names(units, book) == [["Part 1.mp3", "Part 2.mp3", "Part 10.mp3"]]
    assert units[0].format.name == "mp3" and units[0].root == tmp_path / "drop"


def test_untagged_numbered_tracks_are_one_book_and_2_comes_before_10(fixtures, tmp_path):
    folder = tmp_path / "Book"
    for n in (10, 2, 1):
        audio(fixtures, "glass-signal/Part 1.mp3", folder / f"{n:d} - Chapter.mp3", album=None)

    units, _ = discover([folder])

    assert names(units, folder) == [["1 - Chapter.mp3", "2 - Chapter.mp3", "10 - Chapter.mp3"]]
    assert units[0].root == folder


def test_track_tags_order_parts_whose_names_do_not(fixtures, tmp_path):
    folder = tmp_path / "Book"
    for name, track in (("Epilogue.mp3", "3"), ("Beginning.mp3", "1"), ("Middle.mp3", "2")):
        audio(fixtures, "glass-signal/Part 1.mp3", folder / name, album="One Book", track=track)

    units, _ = discover([folder])

    assert names(units, folder) == [["Beginning.mp3", "Middle.mp3", "Epilogue.mp3"]]


def test_two_m4b_books_in_one_folder_stay_two_books(fixtures, tmp_path):
    folder = tmp_path / "Audiobooks"
    audio(fixtures, "lantern.m4b", folder / "The Lantern Archive.m4b")
    audio(fixtures, "lantern.m4b", folder / "Another Book.m4b", album="Another Book")
    audio(fixtures, "lantern.m4b", folder / "Untagged One.m4b", album=None)

    units, _ = discover([folder])

    assert sorted(n for u in names(units, folder) for n in u) == ["Another Book.m4b", "The Lantern Archive.m4b",
                                                                 "Untagged One.m4b"]
    assert all(len(u.parts) == 1 for u in units)


def test_untagged_m4b_books_with_numbered_titles_stay_apart_but_parts_of_one_book_join(fixtures, tmp_path):
    series = tmp_path / "Series"
    audio(fixtures, "lantern.m4b", series / "1 - The Hobbit.m4b", album=None)
    audio(fixtures, "lantern.m4b", series / "2 - The Fellowship.m4b", album=None)
    parts = tmp_path / "Parts"
    audio(fixtures, "lantern.m4b", parts / "Long Book - Part 2.m4b", album=None)
    audio(fixtures, "lantern.m4b", parts / "Long Book - Part 1.m4b", album=None)

    units, _ = discover([series, parts])

    assert sorted(len(u.parts) for u in units) == [1, 1, 2]
    joined = next(u for u in units if len(u.parts) == 2)
    assert [p.name for p in joined.parts] == ["Long Book - Part 1.m4b", "Long Book - Part 2.m4b"]


def test_files_with_different_albums_in_one_folder_are_different_books(fixtures, tmp_path):
    folder = tmp_path / "Mixed"
    audio(fixtures, "glass-signal/Part 1.mp3", folder / "01.mp3", album="Book A")
    audio(fixtures, "glass-signal/Part 1.mp3", folder / "02.mp3", album="Book B")
    audio(fixtures, "glass-signal/Part 1.mp3", folder / "03.mp3", album="Book A (Disc 2)")

    units, _ = discover([folder])

    assert sorted(names(units, folder)) == [["01.mp3", "03.mp3"], ["02.mp3"]]


def test_disc_folders_are_one_book_in_disc_order(fixtures, tmp_path):
    book = tmp_path / "Long Book"
    for disc in (1, 2, 10):
        for track in (1, 2):
            audio(fixtures, "glass-signal/Part 1.mp3", book / f"CD {disc}" / f"{track:02}.mp3", album=None)

    units, _ = discover([tmp_path])

    assert names(units, book) == [[f"CD {d}/{t:02}.mp3" for d in (1, 2, 10) for t in (1, 2)]]


def test_disc_folders_whose_files_share_names_and_differ_in_albums_are_one_book_disc_then_track(fixtures, tmp_path):
    book = tmp_path / "drop" / "Frank Herbert" / "Dune {Scott Brick}"
    for disc in ("Disc 1", "CD2", "Disk 3", "CD 10"):
        # Each disc's files are named alike, tagged with their disc's own album, tracks restarting at 1;
        # the names run against the tracks, so only the tags can say the order inside a disc.
        audio(fixtures, "glass-signal/Part 1.mp3", book / disc / "a.mp3", album=f"Dune ({disc} of 4)", track="2")
        audio(fixtures, "glass-signal/Part 1.mp3", book / disc / "b.mp3", album=f"Dune ({disc} of 4)", track="1")

    units, problems = discover([tmp_path / "drop"])

    assert problems == []
    assert names(units, book) == [[f"{d}/{n}" for d in ("Disc 1", "CD2", "Disk 3", "CD 10") for n in ("b.mp3", "a.mp3")]]
    assert units[0].root == tmp_path / "drop"


def test_sibling_folders_named_as_discs_of_one_title_are_one_book_and_other_titles_stay_apart(fixtures, tmp_path):
    drop = tmp_path / "Audiobooks"
    for folder in ("Dune - CD 2", "Dune - CD 1", "Dune - CD 10", "Dune Messiah - CD 1", "Emma"):
        for track in ("01.mp3", "02.mp3"):
            audio(fixtures, "glass-signal/Part 1.mp3", drop / folder / track, album=None)

    units, _ = discover([drop])

    assert sorted(names(units, drop)) == [
        [f"Dune - CD {d}/{t}" for d in (1, 2, 10) for t in ("01.mp3", "02.mp3")],
        ["Dune Messiah - CD 1/01.mp3", "Dune Messiah - CD 1/02.mp3"],
        ["Emma/01.mp3", "Emma/02.mp3"],
    ]


def test_album_tags_naming_discs_of_n_are_one_book(fixtures, tmp_path):
    folder = tmp_path / "Dune"
    for disc in (1, 2):
        for track in (1, 2):
            audio(fixtures, "glass-signal/Part 1.mp3", folder / f"{disc}-{track:02}.mp3", album=f"Dune (Disc {disc} of 2)",
                  track=str(track))

    units, _ = discover([folder])

    assert names(units, folder) == [["1-01.mp3", "1-02.mp3", "2-01.mp3", "2-02.mp3"]]


def test_ebooks_in_one_folder_are_each_a_book_with_the_dropped_folder_as_root(tmp_path, make_book):
    drop = tmp_path / "drop"
    make_book("One", folder=drop / "Author")
    make_book("Two", folder=drop / "Author")

    units, problems = discover([drop])

    assert problems == []
    assert [(u.primary.name, u.format.name, u.root) for u in units] == [("One.epub", "epub", drop),
                                                                        ("Two.epub", "epub", drop)]


def test_a_dropped_file_has_its_own_folder_as_root(tmp_path, make_book):
    path = make_book("Solo")

    units, _ = discover([path])

    assert [(u.parts, u.root) for u in units] == [((path,), path.parent)]


def test_a_symlink_loop_and_a_link_to_a_parent_neither_hang_nor_duplicate(tmp_path, make_book):
    drop = tmp_path / "drop"
    make_book("Looped", folder=drop / "a")
    (drop / "a" / "loop").symlink_to(drop / "a")
    (drop / "a" / "parent").symlink_to(drop)
    (drop / "b").symlink_to(drop / "a")

    units, problems = discover([drop, drop / "a", drop / "b"])

    assert [u.primary.name for u in units] == ["Looped.epub"]
    assert problems == []


def test_a_link_to_a_book_file_is_followed_once(tmp_path, make_book):
    book = make_book("Linked", folder=tmp_path / "real")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "link.epub").symlink_to(book)
    (drop / "again.epub").symlink_to(book)

    units, _ = discover([drop, book])

    assert len(units) == 1


def test_hidden_partial_temporary_and_staging_files_are_skipped(tmp_path, make_book):
    drop = tmp_path / "drop"
    make_book("Real", folder=drop)
    make_book("Hidden", folder=drop, name=".hidden.epub")
    make_book("Partial", folder=drop, name="Partial.epub.part")
    make_book("Download", folder=drop, name="Download.epub.crdownload")
    make_book("Staged", folder=drop / ".staging" / "BD-1")
    make_book("InHidden", folder=drop / ".Trash")
    (drop / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (drop / "notes.txt").write_text("notes")

    units, problems = discover([drop])

    assert [u.primary.name for u in units] == ["Real.epub"]
    assert problems == []


def test_what_cannot_be_a_book_becomes_a_problem_with_a_reason(tmp_path, make_book):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "empty.epub").write_bytes(b"")
    (drop / "comic.cbr").write_bytes(b"Rar!\x1a\x07\x00")
    (drop / "page.epub").write_text("<!DOCTYPE html><html><body>Sign in to download</body></html>")
    stray = tmp_path / "notes.docx"
    stray.write_bytes(b"PK\x03\x04")
    dangling = tmp_path / "gone.epub"
    dangling.symlink_to(tmp_path / "nowhere.epub")

    units, problems = discover([drop, tmp_path / "missing-folder", stray, dangling])

    reasons = {p.path.name: p.reason for p in problems}
    assert units == []
    assert reasons["empty.epub"] == "empty.epub is empty."
    assert "CBR comic" in reasons["comic.cbr"]
    assert reasons["page.epub"] == "page.epub is not really an EPUB (it is an HTML page)."
    assert reasons["missing-folder"].endswith("does not exist.")
    assert reasons["notes.docx"] == "notes.docx is not a book format BookDesk imports."
    assert "no longer exists" in reasons["gone.epub"]


def test_a_book_under_the_wrong_extension_is_imported_as_what_it_is(tmp_path, fixtures, make_book):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(fixtures / "ebooks" / "lantern.azw3", drop / "lantern.epub")
    shutil.copy(fixtures / "audio" / "lantern.m4b", drop / "lantern.mp3")
    shutil.copy(fixtures / "ebooks" / "lantern.mobi", drop / "kindle.azw3")  # same family: the name stays

    units, problems = discover([drop])

    assert problems == []
    assert sorted((u.primary.name, u.format.name) for u in units) == [
        ("kindle.azw3", "azw3"), ("lantern.epub", "azw3"), ("lantern.mp3", "m4a")]


def test_an_unreadable_folder_is_a_problem_and_the_rest_is_still_found(tmp_path, make_book, monkeypatch):
    drop = tmp_path / "drop"
    make_book("Fine", folder=drop / "ok")
    (drop / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):  # root ignores permission bits, so refuse the way an unreadable folder does
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)

    units, problems = discover([drop])

    assert [u.primary.name for u in units] == ["Fine.epub"]
    assert [(p.path.name, "Permission denied" in p.reason) for p in problems] == [("locked", True)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_read_permission_is_a_problem(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        _, problems = discover([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [p.path for p in problems] == [locked]
