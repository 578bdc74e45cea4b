"""Opening a library sweeps up BookDesk's own temporary files that a killed write left, and nothing
else: not a person's files that look alike, not a download that will resume, not a write of this
process, not anything behind a link that leads out of the library. It looks only where temporary
files are made (the folders writers noted), never through the whole library."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from bookdesk.core import temp_sweep
from bookdesk.core.library_service import LibraryService
from bookdesk.core.temp_ledger import note_temp_folder
from bookdesk.core.temp_sweep import PROCESS_STARTED, sweep_temp_files
from bookdesk.data.catalog import CATALOG_NAME

HOUR_AGO = PROCESS_STARTED - 3600
ID = "0123456789ab"  # the 12 hex digits of a write-back's or an undo's temporary name


def plant(path: Path, when: float = HOUR_AGO) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    os.utime(path, (when, when))
    return path


def test_opening_a_library_removes_the_temporary_files_of_killed_writes(library_dir: Path, tmp_path: Path) -> None:
    LibraryService.open(library_dir).close()
    folder = library_dir / "Author, Ann" / "Book"
    book = plant(folder / "Book - Ann Author.epub")
    downloads = tmp_path / "Downloads"
    for where in (folder, downloads):  # what the writers note before they make a temporary file there
        note_temp_folder(library_dir, where)
    # Named by hand, as the writers name them: a name made by the writer's own helper would be swept
    # by that helper before the library is opened, and a sweep that misses the name would go unseen.
    leftovers = [
        plant(folder / f".Book - Ann Author.writeback-{ID}.epub"),  # an EPUB or audio write-back
        plant(folder / f".Book - Ann Author.restore-{ID}.epub"),  # a restore from a backup
        plant(library_dir / ".backup" / "Author, Ann" / "Book" / "Book - Ann Author.epub" / f".{'a' * 32}.part"),
        plant(library_dir / ".staging" / f"{'b' * 32}.part"),  # an import's copy on its way in
        plant(library_dir / f".{CATALOG_NAME}.bak-0006-20260101T000000.part"),  # the copy before a migration
        plant(library_dir / ".backup" / ".catalog" / ".bookdesk-20260301T000000Z.sqlite3.part"),  # a weekly copy
        plant(downloads / f".Real Book.epub.{ID}.restoring"),  # undo putting a moved book back
    ]
    note_temp_folder(library_dir, leftovers[2].parent)
    outside = tmp_path / "outside"
    (library_dir / "Linked").symlink_to(outside, target_is_directory=True)
    note_temp_folder(library_dir, library_dir / "Linked")
    kept = [
        book,
        plant(library_dir / ".downloads" / "7.part"),  # a download resumes from its part
        plant(folder / ".notes.writeback-draft.txt"),  # a person's own file
        plant(folder / f"{'c' * 32}.part"),  # an import temp name, not in staging
        plant(library_dir / ".staging" / "BD-7K3Q9" / "cover.jpg"),
        plant(downloads / f".Real Book.writeback-{ID}.epub"),  # outside the library: only undo's names
        plant(library_dir / f".notes.{ID}.restoring"),  # undo's name, where undo never writes
        plant(outside / f".Book - Ann Author.writeback-{ID}.epub"),  # behind a link out of the library
        plant(folder / f".Book - Ann Author.writeback-{'f' * 12}.epub", when=time.time() + 5),  # being written
    ]

    LibraryService.open(library_dir).close()

    assert [p for p in leftovers if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


def test_the_sweep_says_how_many_it_removed(library_dir: Path) -> None:
    plant(library_dir / ".staging" / f"{'d' * 32}.part")
    assert sweep_temp_files(library_dir) == 1
    assert sweep_temp_files(library_dir) == 0


def test_a_library_opened_to_read_only_sweeps_nothing(library_dir: Path) -> None:
    LibraryService.open(library_dir).close()
    leftover = plant(library_dir / ".staging" / f"{'e' * 32}.part")
    LibraryService.open(library_dir, exclusive=False).close()
    assert leftover.exists()  # another BookDesk may hold the library and be writing it


def test_the_sweep_looks_only_where_temporary_files_are_made(library_dir: Path, monkeypatch) -> None:
    """A library on a network drive opens without a walk through every book's folder."""
    LibraryService.open(library_dir).close()
    for n in range(30):
        plant(library_dir / f"Author {n}" / f"Book {n}" / f"Book {n}.epub")
    written = library_dir / "Author 7" / "Book 7"
    note_temp_folder(library_dir, written)
    leftover = plant(written / f".Book 7.writeback-{ID}.epub")
    listed: list[Path] = []
    real_scandir = os.scandir

    def scandir(path=".") -> os.ScandirIterator:  # noqa: ANN001 - as os.scandir
        listed.append(Path(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "walk", lambda *a, **k: pytest.fail("the sweep walked the library"))

    assert sweep_temp_files(library_dir) == 1

    assert not leftover.exists()
    allowed = {library_dir, library_dir / ".staging", library_dir / ".backup" / ".catalog", written}
    assert set(listed) <= allowed, sorted(set(listed) - allowed)
    listed.clear()
    assert sweep_temp_files(library_dir) == 0
    assert written not in listed  # swept once: the note is cleared


def test_a_full_disk_at_open_is_swept_and_the_library_opens_writable_when_that_freed_enough(
        library_dir: Path, monkeypatch) -> None:
    """The temporary files of a killed write may be what filled the disk: sweep them, then look again."""
    from bookdesk.data import library_access

    LibraryService.open(library_dir).close()
    leftover = plant(library_dir / ".staging" / f"{'9' * 32}.part")
    real_usage = shutil.disk_usage

    def usage(path):  # noqa: ANN001, ANN202 - as shutil.disk_usage
        found = real_usage(path)
        return found._replace(free=0) if leftover.exists() else found  # the leftover holds the last bytes

    monkeypatch.setattr(library_access.shutil, "disk_usage", usage)

    service = LibraryService.open(library_dir)
    try:
        assert not leftover.exists()
        assert not service.catalog.read_only, service.catalog.refusal
    finally:
        service.close()


def test_a_full_disk_that_sweeping_does_not_cure_stays_read_only(library_dir: Path, monkeypatch) -> None:
    from bookdesk.data import library_access
    from bookdesk.errors import CatalogDiskFullError

    LibraryService.open(library_dir).close()
    real_usage = shutil.disk_usage
    monkeypatch.setattr(library_access.shutil, "disk_usage", lambda path: real_usage(path)._replace(free=0))
    service = LibraryService.open(library_dir)
    try:
        assert isinstance(service.catalog.refusal, CatalogDiskFullError)
    finally:
        service.close()


def test_every_temporary_name_has_its_place_in_the_sweep() -> None:
    """One rule set: each writer's temporary name is known to the sweep at open."""
    from bookdesk.core.temp_names import BACKUP_TEMP, IMPORT_TEMP, RESTORING_NAME, WRITEBACK_TEMP
    from bookdesk.data.catalog_copy import PARTIAL_COPY

    known = {rule.pattern for rule in temp_sweep.RULES}
    assert {IMPORT_TEMP, BACKUP_TEMP, WRITEBACK_TEMP, RESTORING_NAME, PARTIAL_COPY} <= known
