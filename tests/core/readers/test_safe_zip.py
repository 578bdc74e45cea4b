"""The limits every zip container (EPUB, CBZ) is opened with."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from bookdesk.core.importer.readers.safe_zip import check_directory, is_safe_name
from bookdesk.errors import ImportFailedError


def zip64_tail(entries: int, directory_bytes: int) -> bytes:
    """An archive ending the way zip64 archives do: a zip64 directory record, its locator, and a
    classic end record whose counts say "see zip64"."""
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, directory_bytes, 0)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, 0, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return record + locator + end


def test_a_zip64_directory_with_billions_of_members_is_refused():
    with pytest.raises(ImportFailedError, match="declares 5,000,000,000 members"):
        check_directory(io.BytesIO(zip64_tail(5_000_000_000, 10)), "bomb.cbz")


def test_a_zip64_directory_of_sane_size_passes():
    check_directory(io.BytesIO(zip64_tail(10, 1000)), "fine.cbz")


def test_bytes_without_an_end_record_are_not_a_zip():
    with pytest.raises(zipfile.BadZipFile):
        check_directory(io.BytesIO(b"PK\x03\x04" + b"\x00" * 100), "cut.epub")


@pytest.mark.parametrize(("name", "safe"), [
    ("OEBPS/content.opf", True), ("images/001.jpg", True), ("a/./b.jpg", True), ("../evil.jpg", False),
    ("a/../../evil.jpg", False), ("/etc/passwd", False), ("\\windows\\evil.jpg", False), ("C:/evil.jpg", False),
    ("..", False), ("ok\x00.jpg", False), ("", False),
])
def test_member_names_that_would_leave_their_folder_are_unsafe(name, safe):
    assert is_safe_name(name) is safe
