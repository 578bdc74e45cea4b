"""A copy from one disk to another that is checked before anything relies on it.

Both ways a book crosses disks use it: an import moving a book into the library (placement.py)
and an undo putting a moved book back (undo.py). In both the original is deleted afterwards, so
the copy is written under a temporary name, flushed to the disk, checked (its size, and its bytes'
hash) and only then renamed to its place; a copy that fails any of that never carries the book's
name and the original is kept.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from bookdesk.core.file_hash import sha256_of
from bookdesk.fault_points import reach


class CopyCheckError(OSError):
    """The copy came out different from the original: ``incomplete`` (short), or other bytes."""

    def __init__(self, incomplete: bool) -> None:
        what = "the copy came out incomplete" if incomplete else "the copy does not match the original"
        super().__init__(errno.EIO, what)
        self.incomplete = incomplete


def copy_checked(source: Path, temp: Path, final: Path, *, expected_hash: str | None,
                 keep_times: bool = False, kill_point: str = "copy.written") -> None:
    """Copy ``source`` to ``final`` through ``temp`` (on ``final``'s disk), whole or not at all.

    ``expected_hash``: what the copy's bytes must hash to, when the original is to be deleted after
    (None: the size alone is checked, and nothing is flushed, for a copy that leaves the original where
    it is). ``keep_times``:
    keep the source's times (a book put back where it came from). ``kill_point``: where the fault tests
    may stop the process, the copy written and not yet checked. The temporary is removed whatever
    happens; the source is never touched.
    """
    try:
        (shutil.copy2 if keep_times else shutil.copyfile)(source, temp)
        # Flushed to the disk only when the original is to be deleted: a plain copy leaves it in place,
        # and an fsync per book would cost an import of thousands of books dearly for nothing.
        deletes_original = expected_hash is not None
        if deletes_original:
            _flush(temp)
        reach(kill_point)
        if temp.stat().st_size != source.stat().st_size:
            raise CopyCheckError(incomplete=True)
        if expected_hash is not None and sha256_of([temp]) != expected_hash:
            raise CopyCheckError(incomplete=False)
        os.replace(temp, final)
        if deletes_original:
            _flush_folder(final.parent)  # the new name is on the disk before the caller deletes the original
    finally:
        temp.unlink(missing_ok=True)


def _flush(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _flush_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a folder that cannot be opened (some network disks): the rename was still made
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs a folder; nothing better can be done there
    finally:
        os.close(fd)
