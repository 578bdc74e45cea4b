"""One BookDesk writer per library, across processes.

An OS file lock on ``bookdesk.lock`` in the library folder: the OS drops it when the
process dies, so a crash never leaves a library locked for good.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bookdesk.errors import LibraryLockedError, LibraryNotWritableError

LOCK_NAME = "bookdesk.lock"
SERVE = "serve"  # the holder is ``bookdesk serve``: it has no window to switch to

# What this process is, written beside its pid in the locks it takes ("" for a window or a command), so
# another BookDesk refused the library can say who holds it and what to do.
_role = ""


@contextmanager
def holding_as(role: str) -> Iterator[None]:
    """Locks taken inside the block say the process is ``role`` (``bookdesk serve`` says SERVE)."""
    global _role  # noqa: PLW0603 - one process, one role; set by the command that runs it
    before, _role = _role, role
    try:
        yield
    finally:
        _role = before

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class LibraryLock:
    """Held while a process may write to the library."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise LibraryNotWritableError(
                f"BookDesk cannot write to the library folder {self.path.parent} ({exc.strerror})."
            ) from exc
        if not _try_lock(fd):
            holder, role = _read_holder(fd)
            os.close(fd)
            raise LibraryLockedError(_held_message(self.path.parent, holder, role))
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {_role}".strip().encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _held_message(folder: Path, holder: str, role: str) -> str:
    who = f" (process {holder})" if holder else ""
    if role == SERVE:
        return (f"The library {folder} is being served by bookdesk serve{who}, which has no window. Stop it "
                "(Ctrl+C where it runs) to open the library here; the window can then serve it itself "
                "(Settings → Sharing).")
    return f"The library {folder} is already open in another BookDesk{who}. Close it there first, or use that window."


def _read_holder(fd: int) -> tuple[str, str]:
    """The holder's pid and role ("1234 serve"; a lock of an older BookDesk holds the pid alone)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid, _, role = os.read(fd, 64).decode(errors="replace").strip().partition(" ")
    except OSError:
        return "", ""
    return pid, role.strip()
