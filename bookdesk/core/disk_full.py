"""A full disk, recognised wherever it surfaces, so that a job it stops ends with plain words.

It surfaces as an ``OSError`` (ENOSPC, or EDQUOT for a quota) from a file write, or as the
catalog's ``CatalogDiskFullError`` (the catalog translates SQLite's SQLITE_FULL, see
``data/catalog_faults.py``); often as the second while recording the first. Whoever ends a job
on one asks ``is_disk_full`` and hands on ``disk_full_error``; whoever puts a failed write into
words asks ``is_disk_full`` too. The one list of errnos that mean "full" is the data layer's
(``library_access.FULL_ERRNOS``), which cannot import this.
"""

from __future__ import annotations

from pathlib import Path

from bookdesk.data.library_access import FULL_ERRNOS, disk_full_message
from bookdesk.errors import CatalogDiskFullError


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc``, or an error it was raised from or while handling, is a full disk."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, CatalogDiskFullError) or (isinstance(exc, OSError) and exc.errno in FULL_ERRNOS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def disk_full_error(exc: BaseException, library: Path, correlation_id: str | None = None) -> CatalogDiskFullError:
    """The error a person sees for ``exc`` (a full disk under ``library``), with the job's reference."""
    if isinstance(exc, CatalogDiskFullError):
        exc.correlation_id = exc.correlation_id or correlation_id
        return exc
    return CatalogDiskFullError(disk_full_message(library), correlation_id=correlation_id)
