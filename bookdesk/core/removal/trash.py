"""The system trash: book files go there (send2trash), never ``os.remove``, and come back from there
on undo while the trash still holds them.

Where a file went:
- Linux and the other freedesktop systems: send2trash moves it to the home trash
  (``$XDG_DATA_HOME/Trash``) or, on another disk, to that disk's ``.Trash/$UID`` or ``.Trash-$UID``,
  and writes ``info/NAME.trashinfo`` whose ``Path=`` is the original place. The trashed name may differ
  from the original (``book 1.epub`` when a ``book.epub`` is there already), so it is found by reading
  the ``.trashinfo`` files for the one whose Path is the original, the newest if several are.
- macOS (Finder's Trash) and Windows (the Recycle Bin): send2trash asks the system, which does not say
  where the file went; the trash's own "Put Back" / "Restore" brings it back. Undo there restores the
  catalog rows and names the files to put back by hand (``where`` stays None).
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, unquote

FREEDESKTOP = sys.platform not in ("darwin", "win32")


@dataclass(frozen=True)
class TrashedFile:
    path: str  # the catalog's path, relative to the library
    original: str  # where it was, absolute
    where: str | None  # where it is in the trash, absolute; None: the system did not say
    info: str | None  # its .trashinfo (freedesktop), taken away when the file comes back

    def as_dict(self) -> dict:
        return asdict(self)


def send_to_trash(library: Path, relative: str) -> TrashedFile:
    """Move one library file (or folder) to the system trash; an OSError when it cannot go (read-only
    folder or disk, no permission, no trash on that disk), and then it is where it was."""
    from send2trash import send2trash

    original = library.joinpath(*relative.split("/"))
    if not FREEDESKTOP:
        send2trash(str(original))
        return TrashedFile(relative, str(original), None, None)
    _follow_environment()
    before = {info for info, _ in _entries_for(original)}
    send2trash(str(original))
    # The entry this call made: one not there before (an older entry of the same file may be there).
    made = [(info, place) for info, place in _entries_for(original) if info not in before]
    info, place = made[-1] if made else (None, None)
    return TrashedFile(relative, str(original), str(place) if place else None, str(info) if info else None)


def put_back(entry: TrashedFile) -> str | None:
    """Move a trashed file back to its place. None when it is back; else why not, in words."""
    original = Path(entry.original)
    if entry.where is None:  # macOS, Windows: the system's own Put Back / Restore does it
        if original.exists():
            return None  # put back by hand already: its book lists it again
        return (f"{original.name} is in the system trash: put it back from there (Put Back / Restore), then "
                "import it again.")
    trashed = Path(entry.where)
    if not trashed.exists() and not trashed.is_symlink():
        return f"{original.name} is no longer in the trash (it was emptied or the file deleted there)."
    if original.exists():
        return f"{original.name} could not go back: another file is at {original} now."
    try:
        original.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(trashed, original)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # The home trash on another disk than the library (send2trash's fallback): copied back, and
            # the trash's copy deleted only once the copy is whole.
            shutil.move(trashed, original)
    except OSError as exc:
        return f"{original.name} could not be moved back from the trash: {exc.strerror or exc}."
    if entry.info:
        Path(entry.info).unlink(missing_ok=True)
    return None


def info_text(entry: TrashedFile) -> str | None:
    """The entry's .trashinfo as it is, read before ``put_back`` takes it away (``take_back`` needs it)."""
    try:
        return Path(entry.info).read_text(encoding="utf-8") if entry.info else None
    except OSError:
        return None


def take_back(entry: TrashedFile, info: str | None) -> None:
    """Undo a ``put_back``: the file to the very place in the trash it came from, with its .trashinfo, so
    the removal's record still finds it (the catalog refused the undo)."""
    if entry.where is None:
        return
    try:
        os.replace(entry.original, entry.where)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.move(entry.original, entry.where)
    if entry.info and info is not None:
        Path(entry.info).write_text(info, encoding="utf-8")


def from_dict(values: dict) -> TrashedFile:
    return TrashedFile(values["path"], values["original"], values.get("where"), values.get("info"))


# ----- freedesktop -----------------------------------------------------------------------------


def _follow_environment() -> None:
    """send2trash reads ``XDG_DATA_HOME`` once, when first imported; a process whose environment
    changes after that (the tests give each test its own) would trash to the old place and then not
    find it. Point it at the home trash of the environment in force."""
    from send2trash import plat_other

    data_home = os.path.expanduser(os.environ.get("XDG_DATA_HOME") or "~/.local/share")
    plat_other.XDG_DATA_HOME = os.fsencode(data_home)
    plat_other.HOMETRASH_B = os.path.join(plat_other.XDG_DATA_HOME, b"Trash")


def _trash_folders(original: Path) -> list[tuple[Path, Path]]:
    """The trash folders a file could have gone to, each with the folder its info paths are relative to."""
    from send2trash import plat_other

    home_top = Path(os.fsdecode(plat_other.XDG_DATA_HOME))
    found = [(Path(os.fsdecode(plat_other.HOMETRASH_B)), home_top)]
    mount = Path(os.fsdecode(plat_other.find_mount_point(os.fsencode(original.parent))))
    uid = str(os.getuid())
    found += [(mount / ".Trash" / uid, mount), (mount / f".Trash-{uid}", mount)]
    return found


def _entries_for(original: Path) -> list[tuple[Path, Path]]:
    """The trash entries (.trashinfo, trashed file) whose Path is ``original``, oldest first."""
    found: list[tuple[float, Path, Path]] = []
    for folder, top in _trash_folders(original):
        info_dir = folder / "info"
        if not info_dir.is_dir():
            continue
        wanted = {quote(str(original))}
        if original.is_relative_to(top):
            wanted.add(quote(str(original.relative_to(top))))
        # send2trash names the entry after the file ("Name.epub", or "Name 1.epub" when taken): only
        # those are read, not every entry of a trash that may hold thousands.
        for info in info_dir.glob(f"{glob.escape(original.stem)}*.trashinfo"):
            if _info_path(info) in wanted:
                found.append((info.stat().st_mtime, info, folder / "files" / info.name[: -len(".trashinfo")]))
    return [(info, place) for _, info, place in sorted(found)]


def _info_path(info: Path) -> str | None:
    try:
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Path="):
                return quote(unquote(line[5:].strip()))
    except OSError:
        return None
    return None
