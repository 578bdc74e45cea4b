"""One detector of a full disk (core/disk_full.py): a quota run out (EDQUOT) is as full as ENOSPC,
wherever a full disk is put into words, and no module keeps its own list of what "full" is."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

import bookdesk
from bookdesk.core.acquisition.http_fetch import _disk_error
from bookdesk.core.disk_full import is_disk_full
from bookdesk.core.importer.placement import _why
from bookdesk.core.writeback.files import describe
from bookdesk.errors import CatalogDiskFullError

FULL = [pytest.param(errno.ENOSPC, id="no-space"), pytest.param(errno.EDQUOT, id="quota")]


@pytest.mark.parametrize("code", FULL)
def test_a_full_disk_or_quota_is_recognised_in_an_errors_chain(code: int) -> None:
    full = OSError(code, "full")
    try:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError("while writing") from exc
    except RuntimeError as outer:
        assert is_disk_full(outer)
    assert is_disk_full(CatalogDiskFullError("full"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))


@pytest.mark.parametrize("code", FULL)
def test_every_account_of_a_failed_write_says_the_disk_is_full(code: int) -> None:
    exc = OSError(code, "Disk quota exceeded" if code == errno.EDQUOT else "No space left on device")
    assert "full" in _why(exc)
    assert "full" in describe(exc, Path("Book.epub"))
    fetch = _disk_error(exc, 10, 100)
    assert fetch.disk_full and "full" in fetch.message


def test_only_the_one_detector_knows_which_errors_mean_a_full_disk() -> None:
    """A second list of full-disk errnos is how EDQUOT got missed: only core/disk_full.py and the data
    layer's own check (data/library_access.py, which disk_full builds on) may name them."""
    root = Path(bookdesk.__file__).parent
    allowed = {root / "core" / "disk_full.py", root / "data" / "library_access.py"}
    naming = re.compile(r"\b(ENOSPC|EDQUOT)\b")
    others = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
              if p not in allowed and naming.search(p.read_text(encoding="utf-8"))]
    assert others == []
