"""The original of every file BookDesk rewrites is kept once in the library's .backup folder, never
overwritten, and can be put back byte for byte."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from writeback_files import file_record, folder_bytes, make_work

from bookdesk.core.writeback import BackupStore, WritebackError, WritebackService, restore
from tests.fakes.clock import FakeClock


def test_the_first_write_keeps_the_original_in_a_mirrored_backup_folder_and_later_writes_keep_it(library, put):
    book = put("ebooks/lantern.epub", "Castellanos/The Lantern Archive/lantern.epub")
    original = book.read_bytes()
    record = file_record(library, "Castellanos/The Lantern Archive/lantern.epub")
    service = WritebackService(library)

    [first] = service.write(make_work((record,)))
    [second] = service.write(make_work((record,), title="Another Title Again"))

    assert first.status == second.status == "written"
    [backup] = BackupStore(library).backups(record.path)
    assert backup.parent == library / ".backup" / "Castellanos" / "The Lantern Archive" / "lantern.epub"
    assert backup.suffix == ".epub" and backup.read_bytes() == original
    assert first.backups == (backup.relative_to(library).as_posix(),) and second.backups == ()


def test_restoring_brings_back_the_exact_original_bytes_and_keeps_the_backup(library, put):
    book = put("audio/lantern.m4b", "Castellanos/The Lantern Archive/lantern.m4b")
    original = book.read_bytes()
    record = file_record(library, "Castellanos/The Lantern Archive/lantern.m4b")
    WritebackService(library).write(make_work((record,)))
    assert book.read_bytes() != original

    state = restore(library, record.path)

    assert book.read_bytes() == original
    assert state.content_hash == hashlib.sha256(original).hexdigest() and state.size == len(original)
    assert len(BackupStore(library).backups(record.path)) == 1  # still there for next time


def test_restoring_a_book_in_parts_puts_every_part_back_and_leaves_the_ebook_beside_them(library, put):
    folder = put("audio/glass-signal", "Moreau/The Glass Signal")
    put("ebooks/lantern.epub", "Moreau/The Glass Signal/The Glass Signal.epub")  # the ebook shares the folder
    parts = file_record(library, "Moreau/The Glass Signal")
    ebook = file_record(library, "Moreau/The Glass Signal/The Glass Signal.epub", 2)
    before = folder_bytes(folder)
    service = WritebackService(library)
    results = service.write(make_work((parts, ebook)))
    assert [r.status for r in results] == ["written", "written"]
    written_ebook = (folder / "The Glass Signal.epub").read_bytes()

    restored = service.restore(parts)

    assert restored.status == "restored"
    assert {k: v for k, v in folder_bytes(folder).items() if k.endswith(".mp3")} == \
        {k: v for k, v in before.items() if k.endswith(".mp3")}
    assert (folder / "The Glass Signal.epub").read_bytes() == written_ebook  # not part of the audiobook
    assert restored.content_hash == hashlib.sha256(b"".join(
        (folder / n).read_bytes() for n in ("Part 1.mp3", "Part 2.mp3", "Part 10.mp3"))).hexdigest()


def test_a_backup_is_made_once_and_never_overwritten(library, put):
    book = put("ebooks/lantern.epub", "a/lantern.epub")
    original = book.read_bytes()
    store = BackupStore(library)

    made = store.ensure(book)
    book.write_bytes(b"changed by someone")
    again = store.ensure(book)

    assert made is not None and again is None
    assert made.read_bytes() == original and store.backups("a/lantern.epub") == [made]


def test_two_backups_in_the_same_second_get_different_names(library, put, monkeypatch):
    from bookdesk.core.writeback import backup as backup_module

    monkeypatch.setattr(backup_module, "datetime", FakeClock(datetime(2024, 5, 1, 12, 0, 0)))  # time stands still
    book = put("ebooks/lantern.epub", "a/lantern.epub")
    store = BackupStore(library)
    first = store.ensure(book)
    monkeypatch.setattr(store, "backups", lambda relative: [])  # as if the file had never been backed up

    second = store.ensure(book)

    assert (first.name, second.name) == ("2024-05-01T12-00-00Z.epub", "2024-05-01T12-00-00Z (2).epub")
    assert first.read_bytes() == second.read_bytes() == book.read_bytes()
    monkeypatch.undo()
    assert BackupStore(library).backups("a/lantern.epub") == [first, second]


def test_restoring_without_a_backup_says_so(library, put):
    put("ebooks/lantern.epub", "a/lantern.epub")

    with pytest.raises(WritebackError, match="no backup"):
        restore(library, "a/lantern.epub")


def test_a_path_out_of_the_library_is_refused(library):
    with pytest.raises(WritebackError, match="not a path inside the library"):
        BackupStore(library).backups("../elsewhere/book.epub")
