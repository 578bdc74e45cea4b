"""Opening a library sweeps up BookDesk's own temporary files that a killed write left, and nothing
else: not a person's files that look alike, not a download that will resume, not a write of this
process, not anything behind a link that leads out of the library."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bookdesk.core.library_service import LibraryService
from bookdesk.core.temp_sweep import PROCESS_STARTED, sweep_temp_files
from bookdesk.core.writeback.files import temp_beside

HOUR_AGO = PROCESS_STARTED - 3600


def plant(path: Path, when: float = HOUR_AGO) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    os.utime(path, (when, when))
    return path


def test_opening_a_library_removes_the_temporary_files_of_killed_writes(library_dir: Path, tmp_path: Path) -> None:
    LibraryService.open(library_dir).close()
    book = plant(library_dir / "Author, Ann" / "Book" / "Book - Ann Author.epub")
    leftovers = [
        plant(temp_beside(book)),  # an EPUB or audio write-back
        plant(temp_beside(book, "restore")),  # a restore from a backup
        plant(library_dir / ".backup" / "Author, Ann" / "Book" / "Book - Ann Author.epub" / f".{'a' * 32}.part"),
        plant(library_dir / ".staging" / f"{'b' * 32}.part"),  # an import's copy on its way in
    ]
    outside = tmp_path / "outside"
    (library_dir / "Linked").symlink_to(outside, target_is_directory=True)
    kept = [
        book,
        plant(library_dir / ".downloads" / "7.part"),  # a download resumes from its part
        plant(library_dir / "Author, Ann" / "Book" / ".notes.writeback-draft.txt"),  # a person's own file
        plant(library_dir / "Author, Ann" / "Book" / f"{'c' * 32}.part"),  # an import temp name, not in staging
        plant(library_dir / ".staging" / "BD-7K3Q9" / "cover.jpg"),
        plant(outside / temp_beside(book).name),  # behind a link out of the library
        plant(temp_beside(book), when=time.time() + 5),  # younger than this process: perhaps being written
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
