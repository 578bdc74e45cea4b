"""Weekly copies of the catalog in the library's backup folder, the newest few kept.

SQLite's online backup makes a consistent copy while BookDesk goes on using the catalog. The copy
is written under a temporary name, checked and renamed when whole (data/catalog_copy.py, as the copy
before a migration), so a backup interrupted halfway is never mistaken for a good one.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bookdesk.core.jobs import JobContext
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_copy import SCHEDULED_BACKUPS, copy_catalog

KEEP = 4
_PREFIX, _SUFFIX = "bookdesk-", ".sqlite3"


def backup_folder(library: Path) -> Path:
    return library / SCHEDULED_BACKUPS


def backups(library: Path) -> list[Path]:
    """The catalog backups of this library, oldest first (by the time in their names)."""
    folder = backup_folder(library)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.startswith(_PREFIX) and p.name.endswith(_SUFFIX)),
                  key=_order)


def _order(path: Path) -> tuple[str, int]:
    stamp, _, n = path.name[len(_PREFIX):-len(_SUFFIX)].partition("-")
    return stamp, int(n) if n.isdigit() else 1


def backup_catalog(catalog: Catalog, when: datetime, keep: int = KEEP) -> tuple[Path, list[Path]]:
    """Copy the catalog; remove all but the newest ``keep`` copies. Blocking: run it in a thread.
    Returns the new copy and the ones removed."""
    folder = backup_folder(catalog.folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{_PREFIX}{stamp}{_SUFFIX}"
    n = 2
    while target.exists():  # two backups in one second (Run now, twice)
        target = folder / f"{_PREFIX}{stamp}-{n}{_SUFFIX}"
        n += 1
    raw = catalog.engine.raw_connection()
    try:
        copy_catalog(raw.driver_connection, target)
    finally:
        raw.close()
    removed = backups(catalog.folder)[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink(missing_ok=True)
    return target, removed


async def back_up(context: SchedulerContext, job: JobContext) -> Path:
    target, removed = await asyncio.to_thread(backup_catalog, context.catalog, context.now())
    size = target.stat().st_size
    job.summary = (f"Catalog copied to {target.relative_to(context.catalog.folder).as_posix()} "
                   f"({size / 1e6:.1f} MB)" + (f"; {len(removed)} older copies removed" if removed else ""))
    return target
