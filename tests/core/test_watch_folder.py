"""A watch folder hands over books once they stop growing, and each one once."""

from __future__ import annotations

from pathlib import Path

from bookdesk.core.importer.watch import WatchFolder
from tests.fakes.clock import FakeClock


def test_a_book_is_handed_over_once_it_has_stopped_growing(tmp_path: Path) -> None:
    clock = FakeClock()
    watch = WatchFolder(tmp_path, settle_seconds=10, clock=clock)
    book = tmp_path / "Arriving.epub"
    book.write_bytes(b"PK" + b"x" * 100)
    assert watch.ready() == []  # first sight
    clock.advance(11)
    with book.open("ab") as fh:
        fh.write(b"y" * 100)  # still being written
    assert watch.ready() == []
    clock.advance(5)
    assert watch.ready() == []  # unchanged, but not for long enough
    clock.advance(6)
    assert watch.ready() == [book]
    clock.advance(60)
    assert watch.ready() == []  # handed over already


def test_a_folder_of_parts_waits_for_every_part_and_other_files_are_ignored(tmp_path: Path) -> None:
    clock = FakeClock()
    watch = WatchFolder(tmp_path, settle_seconds=5, clock=clock)
    folder = tmp_path / "Audiobook"
    folder.mkdir()
    (folder / "01.mp3").write_bytes(b"ID3" + b"a" * 50)
    (tmp_path / "notes.txt").write_text("not a book")
    (tmp_path / ".hidden.epub").write_bytes(b"PK")
    watch.ready()
    clock.advance(6)
    (folder / "02.mp3").write_bytes(b"ID3" + b"b" * 50)  # another part arrives
    assert watch.ready() == []
    clock.advance(6)
    assert watch.ready() == [folder]


def test_an_empty_file_and_a_missing_folder_are_not_ready(tmp_path: Path) -> None:
    clock = FakeClock()
    watch = WatchFolder(tmp_path / "not yet", settle_seconds=1, clock=clock)
    assert watch.ready() == []
    (tmp_path / "not yet").mkdir()
    (tmp_path / "not yet" / "empty.epub").touch()
    watch.ready()
    clock.advance(5)
    assert watch.ready() == []


def test_a_book_changed_after_hand_over_is_handed_over_again(tmp_path: Path) -> None:
    clock = FakeClock()
    watch = WatchFolder(tmp_path, settle_seconds=1, clock=clock)
    book = tmp_path / "b.epub"
    book.write_bytes(b"one")
    watch.ready()
    clock.advance(2)
    assert watch.ready() == [book]
    book.write_bytes(b"two, longer")
    watch.ready()
    clock.advance(2)
    assert watch.ready() == [book]
