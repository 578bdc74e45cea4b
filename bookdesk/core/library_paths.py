"""A catalog path as a path on this computer: the one rule, for ``LibraryService`` and for a library
opened without SQLAlchemy (core/acquisition/fetch_library.py)."""

from __future__ import annotations

from pathlib import Path


def absolute(folder: Path, relative: str) -> Path:
    """``relative`` (a catalog path: relative to the library ``folder``, '/'-separated) as a path here; an
    absolute one (a file kept where another program has it: a calibre library brought over in place) as it is."""
    if Path(relative).is_absolute():
        return Path(relative)
    return folder.joinpath(*relative.split("/"))
