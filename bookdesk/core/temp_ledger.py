"""The folders where BookDesk made temporary files, so that opening a library sweeps only there.

A write-back makes its temporary file beside the book, anywhere in the library, and undo beside the
place a moved book goes back to, outside it. A process killed midway leaves the file behind; finding
it by walking the whole library at every open is slow on a network drive. So each writer notes the
folder here before it makes a temporary file there, and the sweep at open (core/temp_sweep.py) looks
in the noted folders and clears the note. The note is a small file in the library,
``.bookdesk-temp-folders``: one folder a line, relative to the library when inside it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)

LEDGER = ".bookdesk-temp-folders"

_lock = threading.Lock()
_noted: set[tuple[Path, Path]] = set()  # (library, folder) noted by this process since the last sweep


def note_temp_folder(library: Path, folder: Path) -> None:
    """Note that a temporary file is about to be made in ``folder`` (for the library at ``library``).
    Called before making it: a kill right after must still find it noted."""
    library, folder = Path(library).absolute(), Path(folder).absolute()
    with _lock:
        if (library, folder) in _noted:
            return
        try:
            with (library / LEDGER).open("a", encoding="utf-8") as fh:
                fh.write(_line(library, folder) + "\n")
        except OSError as exc:  # the write itself will fail or succeed on its own; at worst a leftover stays
            log.warning("could not note the folder %s for the sweep of temporary files: %s", folder, exc)
            return
        _noted.add((library, folder))


def noted_folders(library: Path) -> list[Path]:
    """The folders noted for ``library`` since its last sweep, each once, as absolute paths."""
    library = Path(library).absolute()
    try:
        text = (library / LEDGER).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("could not read the folders noted for the sweep of temporary files: %s", exc)
        return []
    folders = dict.fromkeys(library / line for line in text.splitlines() if line.strip() and "\0" not in line)
    return list(folders)


def keep_only(library: Path, folders: list[Path]) -> None:
    """After a sweep: the note lists only ``folders`` (those that could not be looked in now)."""
    library = Path(library).absolute()
    ledger = library / LEDGER
    with _lock:
        for key in [k for k in _noted if k[0] == library]:
            _noted.discard(key)
        try:
            if not folders:
                ledger.unlink(missing_ok=True)
                return
            temp = ledger.with_name(f"{LEDGER}.new")
            temp.write_text("".join(_line(library, f) + "\n" for f in folders), encoding="utf-8")
            os.replace(temp, ledger)
        except OSError as exc:  # the next sweep looks in the same folders again: harmless
            log.warning("could not update the folders noted for the sweep of temporary files: %s", exc)


def _line(library: Path, folder: Path) -> str:
    return folder.relative_to(library).as_posix() if folder.is_relative_to(library) else str(folder)
