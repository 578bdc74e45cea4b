"""``bookdesk import`` of an Audiobookshelf library and of a book in disc folders, read back with
``bookdesk list --json``: the folders name the books when their files do not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mutagen import File as AudioFile
from mutagen.id3 import ID3, TXXX
from mutagen.mp4 import MP4, MP4FreeForm

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def untagged(source: str, target: Path) -> Path:
    """A copy of a fixture with no tags that say anything about a book (title, artist, album, track),
    so only its path can; a private tag makes each copy's bytes its own, as real files are."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(AUDIO / source, target)
    AudioFile(target).delete()
    if target.suffix == ".mp3":
        tags = ID3()
        tags.add(TXXX(encoding=3, desc="bookdesk-test", text=[str(target)]))
        tags.save(target)
    else:
        tags = MP4(target)
        tags["----:com.apple.iTunes:bookdesk-test"] = [MP4FreeForm(str(target).encode())]
        tags.save()
    return target


def imported_books(run_cli, drop: Path, library: Path) -> dict[str, dict]:
    done = run_cli("import", drop, "--library", library, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == []
    listed = run_cli("list", "--library", library, "--json")
    assert listed.returncode == 0, listed.stderr
    return {book["title"]: book for book in json.loads(listed.stdout)["books"]}


def test_an_audiobookshelf_library_imports_with_authors_series_and_positions_from_its_folders(
        run_cli, tmp_path, library_dir):
    drop = tmp_path / "audiobooks"
    series = drop / "Terry Goodkind" / "Sword of Truth"
    first = series / "Vol 1 - 1994 - Wizards First Rule {Sam Tsoutsouvas}"
    untagged("glass-signal/Part 1.mp3", first / "Audio Track 1.mp3")
    untagged("glass-signal/Part 2.mp3", first / "Audio Track 2.mp3")
    untagged("lantern.m4b", series / "1995 - Book 2 - Stone of Tears" / "Audiobook.m4b")
    untagged("lantern.m4b", drop / "Terry Goodkind" / "Heart of Black Ice - Sister of Darkness" / "Audiobook.m4b")
    untagged("salt-road.mp3", drop / "1945 - Animal Farm" / "Audiobook.mp3")

    books = imported_books(run_cli, drop, library_dir)

    assert set(books) == {"Wizards First Rule", "Stone of Tears", "Heart of Black Ice", "Animal Farm"}
    assert books["Wizards First Rule"]["authors"] == ["Terry Goodkind"]
    assert books["Wizards First Rule"]["series"] == [{"name": "Sword of Truth", "position": "1"}]
    assert books["Stone of Tears"]["series"] == [{"name": "Sword of Truth", "position": "2"}]
    assert books["Heart of Black Ice"]["authors"] == ["Terry Goodkind"]  # not "Heart of Black Ice" by "Sister of Darkness"
    assert books["Heart of Black Ice"]["series"] == []
    assert {file["format"] for file in books["Wizards First Rule"]["files"]} == {"mp3"}


def test_a_book_in_disc_folders_whose_files_share_names_imports_as_one_book(run_cli, tmp_path, library_dir):
    drop = tmp_path / "incoming"
    book = drop / "Frank Herbert" / "Dune {Scott Brick}"
    for disc in ("Disc 1", "CD2", "Disk 3"):
        for track in ("01.mp3", "02.mp3"):
            untagged("glass-signal/Part 1.mp3", book / disc / track)
    for disc in ("Emma - CD 1", "Emma - CD 2"):  # a CD rip: each disc a folder beside the other
        untagged("glass-signal/Part 1.mp3", drop / "Jane Austen" / disc / "01.mp3")

    books = imported_books(run_cli, drop, library_dir)

    assert sorted(books) == ["Dune", "Emma"]
    assert books["Emma"]["authors"] == ["Jane Austen"] and len(books["Emma"]["files"]) == 1
    assert books["Dune"]["authors"] == ["Frank Herbert"]
    [file] = books["Dune"]["files"]  # one audiobook of six parts, none lost to a name it shares
    assert file["format"] == "mp3" and file["size"] == sum(p.stat().st_size for p in book.rglob("*.mp3"))
    placed = sorted(p.relative_to(library_dir / file["path"]).as_posix() for p in (library_dir / file["path"]).rglob("*.mp3"))
    assert placed == sorted(p.relative_to(book).as_posix() for p in book.rglob("*.mp3"))
