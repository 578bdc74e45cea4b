"""What opening a library needs (reading, writing, space), judged before SQLite is asked, and said plainly.

``decide`` is handed the facts; the probe that gathers them on a real disk is exercised by
tests/faults/test_catalog.py (where root's permissions are taken away by an immutable file or a
read-only mount, since chmod does not stop root).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookdesk.data.catalog import CATALOG_NAME, discard_empty_catalog, open_catalog
from bookdesk.data.library_access import MIN_FREE_BYTES, Access, decide, probe
from bookdesk.errors import (
    CatalogDiskFullError,
    CatalogEmptyError,
    LibraryNotWritableError,
    LibraryReadOnlyError,
)

FOLDER = Path("/books/Library")
CATALOG = FOLDER / CATALOG_NAME
PLENTY = 10 * MIN_FREE_BYTES


def test_a_library_that_can_be_read_written_and_has_room_opens_to_write():
    assert decide(FOLDER, CATALOG, Access(free_bytes=PLENTY)) is None


def test_a_folder_that_cannot_be_entered_is_said_in_plain_words():
    with pytest.raises(LibraryNotWritableError) as raised:
        decide(FOLDER, CATALOG, Access(folder_read_denied="Permission denied", free_bytes=PLENTY))
    message = raised.value.message
    assert message.startswith(f"BookDesk cannot open the library folder {FOLDER}: permission denied.")
    assert "Errno" not in message


def test_a_catalog_that_cannot_be_read_is_said_in_plain_words():
    with pytest.raises(LibraryNotWritableError) as raised:
        decide(FOLDER, CATALOG, Access(catalog_read_denied="Permission denied", free_bytes=PLENTY))
    assert f"cannot read the catalog {CATALOG}: permission denied" in raised.value.message


@pytest.mark.parametrize(("access", "why"), [
    (Access(catalog_write_denied="Permission denied"), "the catalog file bookdesk.sqlite3 can only be read"),
    (Access(folder_write_denied="Permission denied"), "the library folder can only be read"),
    (Access(catalog_write_denied="Read-only file system", read_only_file_system=True),
     "the disk holding it is mounted read-only"),
])
def test_a_library_that_can_only_be_read_opens_read_only_saying_why(access, why):
    refusal = decide(FOLDER, CATALOG, Access(**{**access.__dict__, "free_bytes": PLENTY}))
    assert isinstance(refusal, LibraryReadOnlyError)
    assert refusal.message.startswith(f"The library at {FOLDER} can only be read: {why}")


def test_a_new_library_in_a_folder_that_cannot_be_written_is_refused():
    with pytest.raises(LibraryNotWritableError) as raised:
        decide(FOLDER, CATALOG, Access(catalog_exists=False, folder_write_denied="Permission denied",
                                       free_bytes=PLENTY))
    assert "cannot create a library" in raised.value.message


def test_a_full_disk_opens_read_only_with_the_full_disk_as_the_reason():
    refusal = decide(FOLDER, CATALOG, Access(free_bytes=MIN_FREE_BYTES - 1))
    assert isinstance(refusal, CatalogDiskFullError)
    assert refusal.message.startswith(f"The disk holding the library at {FOLDER} is full; free some space")


def test_the_probe_finds_a_writable_library_writable(catalog):
    access = probe(catalog.folder, catalog.path)
    assert access == Access(free_bytes=access.free_bytes)
    assert not [p.name for p in catalog.folder.iterdir() if "write-check" in p.name]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod does not stop root")
def test_the_probe_finds_a_catalog_file_that_can_only_be_read(catalog):
    os.chmod(catalog.path, 0o444)
    try:
        assert probe(catalog.folder, catalog.path).catalog_write_denied
    finally:
        os.chmod(catalog.path, 0o644)


def test_an_empty_catalog_file_is_not_taken_for_a_new_library(library_dir):
    library_dir.mkdir()
    (library_dir / CATALOG_NAME).write_bytes(b"")
    with pytest.raises(CatalogEmptyError) as raised:
        open_catalog(library_dir)
    message = raised.value.message
    assert "is empty (0 bytes)" in message and "move the empty bookdesk.sqlite3 away" in message
    assert (library_dir / CATALOG_NAME).read_bytes() == b""


def test_starting_afresh_removes_only_an_empty_catalog(library_dir):
    library_dir.mkdir()
    (library_dir / CATALOG_NAME).write_bytes(b"")
    assert discard_empty_catalog(library_dir)
    open_catalog(library_dir).close()
    assert not discard_empty_catalog(library_dir)
    assert (library_dir / CATALOG_NAME).stat().st_size > 0


def test_a_folder_that_cannot_be_entered_is_not_called_an_empty_one(tmp_path, monkeypatch):
    """A folder with mode 000 hides its catalog: say that it cannot be read, not that no library is there."""
    import bookdesk.data.catalog_file as catalog_file  # where opening looks at the folder

    folder = tmp_path / "Closed"
    folder.mkdir()
    monkeypatch.setattr(catalog_file, "probe", lambda folder, catalog: Access(
        folder_read_denied="Permission denied", catalog_exists=False, free_bytes=PLENTY))
    with pytest.raises(LibraryNotWritableError) as raised:
        open_catalog(folder, exclusive=False, create=False)
    assert raised.value.message.startswith(f"BookDesk cannot open the library folder {folder}: permission denied")
