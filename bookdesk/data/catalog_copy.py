"""Copies of the catalog that are either whole or absent: the copy made before a migration and the
scheduled ones, and which of them to name when the catalog is found damaged.

A copy is written under a temporary name in the same folder, checked (SQLite's quick_check and the
schema version it holds) and only then renamed to its final name, so a kill or a full disk halfway
never leaves a file that looks like a backup and opens empty: that file is the one the
damaged-catalog message tells people to restore from.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

from bookdesk.errors import LibraryError
from bookdesk.fault_points import reach

# Where the scheduled copies live inside the library (core/scheduler/catalog_backup.py writes them): in
# the write-back's backup folder, under a name no book's folder can have (library names never start with a dot).
SCHEDULED_BACKUPS = Path(".backup") / ".catalog"
MIGRATION_BACKUP_INFIX = ".bak-"
# The temporary name of a copy being written (``.<final name>.part``), for the sweep at open
# (core/temp_sweep.py): a copy before a migration, or a scheduled one.
PARTIAL_COPY = re.compile(rf"^\.(?:bookdesk\.sqlite3{re.escape(MIGRATION_BACKUP_INFIX)}.+|bookdesk-.+\.sqlite3)\.part$")
# The files SQLite keeps beside a database: never a copy to restore from.
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class CatalogCopyError(LibraryError):
    """A copy of the catalog came out incomplete; the catalog itself is untouched."""


def copy_catalog(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the open catalog ``source`` to ``target`` through a temporary name beside it; check the copy
    and rename it into place. On any failure no file is left at ``target`` (nor the temporary one)."""
    temp = target.with_name(f".{target.name}.part")  # a dot name: never matched as a backup (PARTIAL_COPY)
    try:
        dest = sqlite3.connect(temp)
        try:
            # In one step: SQLite starts a copy made in steps over whenever another connection writes
            # between two of them, and a library the app keeps writing would never get its backup.
            source.backup(dest, pages=-1)
            # A copy that is one whole file: restored in the catalog's place it needs no -wal beside it.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        reach("catalog.backup_written")
        problem = _check(temp, _revision(source))
        if problem:
            raise CatalogCopyError(f"The copy of the catalog at {target} came out incomplete ({problem}).")
        reach("catalog.backup_checked")
        temp.replace(target)  # SQLite synced the copy to the disk when it closed it
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return target


def is_whole(path: Path) -> bool:
    """Whether ``path`` is a SQLite catalog that SQLite finds whole (for naming a copy to restore from)."""
    return _check(path, None) is None


def newest_backup(folder: Path, catalog_name: str) -> Path | None:
    """The newest whole copy of the library's catalog: one made before a migration or a scheduled one."""
    candidates = [p for p in folder.glob(f"{catalog_name}{MIGRATION_BACKUP_INFIX}*")
                  if p.is_file() and not p.name.endswith(_SQLITE_COMPANIONS)]
    scheduled = folder / SCHEDULED_BACKUPS
    if scheduled.is_dir():
        candidates += [p for p in scheduled.glob("bookdesk-*.sqlite3") if p.is_file()]
    for path in sorted(candidates, key=_mtime, reverse=True):
        if is_whole(path):
            return path
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _check(path: Path, revision: str | None) -> str | None:
    """What is wrong with the copy at ``path``, or None. ``revision``: the schema version it must hold."""
    try:
        # A URI made by as_uri: in a folder named "Books #2" or "50% off" an f-string opens another file.
        with contextlib.closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                return f"SQLite finds it damaged: {verdict}"
            if revision is not None and _revision(conn) != revision:
                return f"it holds schema {_revision(conn)}, not {revision}"
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None

