"""The catalog file before SQLAlchemy is asked: where it lives, which schema this code knows, what
opening it checks first (the folder, the file's access, that it is SQLite), the connection's pragmas
and the schema version it holds.

Plain ``sqlite3`` only: ``open_catalog`` (data/catalog.py) builds on these, and a command that only reads
(data/catalog_reader.py) uses them without importing SQLAlchemy at all.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bookdesk.data import search_index
from bookdesk.data.catalog_faults import damaged_message, translate
from bookdesk.data.library_access import decide, probe
from bookdesk.data.library_lock import LibraryLock
from bookdesk.errors import (
    CatalogCorruptError,
    CatalogDiskFullError,
    CatalogEmptyError,
    LibraryError,
    LibraryLockedError,
    LibraryNotWritableError,
)

CATALOG_NAME = "bookdesk.sqlite3"
# The newest migration this code knows. Checked against Alembic's script directory by a
# test, so that opening an up-to-date catalog never has to import Alembic (faster start).
SCHEMA_HEAD = "0014"


@dataclass(frozen=True)
class Opening:
    """A library folder checked and ready for SQLite: its catalog, why it takes no change (None when
    it does), whether it must be read as the file stands (no -shm can be made), and the lock held."""

    folder: Path
    path: Path
    refusal: LibraryError | None
    frozen: bool
    lock: LibraryLock | None


def prepare(folder: Path, *, exclusive: bool, create: bool) -> Opening:
    """Everything opening checks before SQLite reads the file; takes the library's lock when
    ``exclusive``. Raises what stops the library from opening at all."""
    # Absolute from here on: a relative --library would otherwise mean another folder after a chdir,
    # and SQLite's read-only URI (data/change_watch.py) cannot be made of a relative path.
    folder = Path(folder).expanduser().absolute()
    path = folder / CATALOG_NAME
    if not create and not folder.is_dir():
        raise LibraryError(f"There is no BookDesk library at {folder}.")
    ensure_folder(folder)
    access = probe(folder, path)
    if not create and not access.catalog_exists and not access.folder_read_denied:
        raise LibraryError(f"There is no BookDesk library at {folder}.")
    refusal = decide(folder, path, access)  # a folder or catalog that cannot be read is said so first
    check_magic(path)
    # Where nothing can be written (a read-only disk) or no room is left, SQLite cannot even make the
    # -shm file a reader of a WAL catalog needs: read the file as it stands instead. On a full disk a
    # running BookDesk's last changes may then be missing from what this reader sees, never damaged.
    frozen = access.read_only_file_system or isinstance(refusal, CatalogDiskFullError)
    lock = LibraryLock(folder) if exclusive else None
    if lock is not None:
        try:
            lock.acquire()
        except LibraryNotWritableError:
            if refusal is None:
                raise
            lock = None  # a library that can only be read has no writer to keep out
    return Opening(folder, path, refusal, frozen, lock)


def ensure_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():  # mkdir would only say "File exists"
        raise LibraryNotWritableError(f"{folder} is not a folder, so it cannot hold a library.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryNotWritableError(
            f"BookDesk cannot create the library folder {folder} ({exc.strerror or exc})."
        ) from exc


def check_magic(path: Path) -> None:
    """Refuse an empty file and one that is not SQLite, in plain words, without opening a descriptor of
    the catalog: on POSIX closing any descriptor of a file drops every lock this process holds on it,
    SQLite's included, and another process closing the catalog would then delete the -wal and -shm
    files a connection here still uses (SQLite's "How To Corrupt", 2.2). ``os.stat`` opens nothing; the
    header is read by SQLite, which keeps its descriptors open while a connection here holds locks."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return
    if size == 0:
        # Perhaps a copy that failed, a sync tool's placeholder or a disk that filled: a new library
        # here would hide that the books' catalog is gone, so ask rather than start afresh silently.
        raise CatalogEmptyError(
            f"The catalog {path} is empty (0 bytes), so BookDesk cannot tell which books this library holds. "
            f"If you expected your books here, restore the catalog from a backup; to start a new library in "
            f"this folder instead, move the empty {CATALOG_NAME} away (or delete it) and try again.")
    if not _is_sqlite(path):
        raise CatalogCorruptError(
            f"{path} is not a BookDesk catalog (it is not a SQLite database). "
            "BookDesk left it untouched; move it away or choose another library folder."
        )


def _is_sqlite(path: Path) -> bool:
    """Whether SQLite takes the file's header for its own. "immutable": this look takes no lock and
    neither reads nor makes the -wal and -shm files, so it writes nothing and works on a read-only disk."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.absolute().as_uri()}?immutable=1", uri=True)) as look:
            look.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        # Only "not a database" is the header's verdict; a file that cannot be read at all is told by
        # the access checks, and damage further in by the opening that follows.
        return getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_NOTADB
    return True


def read_only_connection(path: Path, *, frozen: bool) -> sqlite3.Connection:
    """A connection that writes nothing; when ``frozen`` ("immutable") it does not even make the -shm file."""
    mode = "immutable=1" if frozen else "mode=ro"
    return sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True, timeout=10, check_same_thread=False)


def set_pragmas(connection: sqlite3.Connection) -> None:
    """What every connection to the catalog sets when it opens."""
    # journal_mode=WAL is not set here: it rewrites the file header, and a file BookDesk
    # refuses (someone else's database, a newer catalog) must be left exactly as it was.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    connection.create_function(search_index.FOLD_FUNCTION, 1, search_index.index_text, deterministic=True)


def schema_revision(connection: sqlite3.Connection) -> str | None:
    """The catalog's schema version (Alembic's), None for a new, empty file."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone():
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    if connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]:
        raise CatalogCorruptError(
            "This SQLite file has tables but no BookDesk schema version; it is not a BookDesk catalog.")
    return None


def stored_revision(path: Path) -> str | None:
    """The schema version of the catalog file at ``path``, read without writing anything (a dry run asks it
    before opening, which would bring an older catalog up to date)."""
    try:
        connection = read_only_connection(path, frozen=False)
        try:
            return schema_revision(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise opening_failure(path, exc) from exc


def pending_upgrade(folder: Path) -> str | None:
    """The schema version of ``folder``'s catalog when an older BookDesk wrote it, so that opening it backs
    it up and migrates it; None when it is current, newer (refused at the open) or cannot be read: the open
    itself says what is wrong, with its Ref. Asked before the open, to tell the person what takes long."""
    path = Path(folder).expanduser().absolute() / CATALOG_NAME
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        revision = stored_revision(path)
    except Exception:  # noqa: BLE001 - only a word said beforehand: the open tells what is wrong
        return None
    # The migrations are numbered in order with four digits ("0006"); a number past the head is newer.
    older = revision is not None and revision.isdigit() and int(revision) < int(SCHEMA_HEAD)
    return revision if older else None


def opening_failure(path: Path, exc: BaseException) -> Exception:
    """What to tell of SQLite's ``exc`` (SQLAlchemy's wrapping or the driver's own) raised while the catalog
    at ``path`` was opened."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.OperationalError) and "unable to open" in str(orig):
        return LibraryNotWritableError(
            f"BookDesk cannot open or create the catalog {path}. Check the folder's permissions.", detail=str(exc))
    if isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig):
        return LibraryLockedError(
            f"The catalog {path} is busy in another program; try again when it is done.", detail=str(exc))
    known = translate(path, exc)
    if known is not None and not isinstance(known, CatalogCorruptError):
        return known
    return CatalogCorruptError(damaged_message(path, "BookDesk could not read it", touched=False), detail=str(exc))
