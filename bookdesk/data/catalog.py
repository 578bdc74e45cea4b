"""Opening a library folder and its catalog, ``bookdesk.sqlite3``.

Opening creates the folder if needed, checks the file really is a SQLite catalog
this BookDesk understands, copies it aside before any migration, and applies the
Alembic migrations. Every thread gets its own Session; writes are serialised by one
lock so that SQLite never answers "database is locked" inside this process.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bookdesk.data import search_index
from bookdesk.data.catalog_copy import MIGRATION_BACKUP_INFIX, PARTIAL_COPY, copy_catalog
from bookdesk.data.catalog_faults import damaged_message, translate
from bookdesk.data.leftovers import remove_leftovers
from bookdesk.data.library_access import decide, probe
from bookdesk.data.library_lock import LibraryLock
from bookdesk.errors import (
    CatalogCorruptError,
    CatalogDiskFullError,
    CatalogEmptyError,
    CatalogTooNewError,
    LibraryError,
    LibraryLockedError,
    LibraryNotWritableError,
)

log = logging.getLogger(__name__)

CATALOG_NAME = "bookdesk.sqlite3"
# The newest migration this code knows. Checked against Alembic's script directory by a
# test, so that opening an up-to-date catalog never has to import Alembic (faster start).
SCHEMA_HEAD = "0010"
_SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLAlchemy's wrapping of SQLite's errors, and SQLite's own from the hot paths that read rows through
# the driver's connection (``ImportRepository.work_names``): both are told in people's words.
_DATABASE_ERRORS = (DatabaseError, sqlite3.DatabaseError)
_MIGRATIONS = Path(__file__).with_name("migrations")


class Catalog:
    """An open library: its folder, engine and sessions.

    ``refusal`` is why this catalog takes no change (it can only be read, its disk is full at opening,
    or damage was found in use); every ``write`` then raises it before touching the file.
    """

    def __init__(self, folder: Path, engine: Engine, lock: LibraryLock | None,
                 refusal: LibraryError | None = None) -> None:
        self.folder = folder
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self._task_locks: dict[str, threading.Lock] = {}
        self.refusal = refusal
        # Told once, on the thread that found it, when damage is found in use (the window shows it).
        self.damage_listeners: list[Callable[[CatalogCorruptError], None]] = []

    @property
    def path(self) -> Path:
        return self.folder / CATALOG_NAME

    @property
    def holds_lock(self) -> bool:
        """Whether this process holds the library's exclusive lock (no other BookDesk has it open)."""
        return self._lock is not None

    @property
    def read_only(self) -> bool:
        """True when this catalog takes no change (see ``refusal`` for why)."""
        return self.refusal is not None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        except _DATABASE_ERRORS as exc:
            raise self._translated(exc) from exc
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block, or rolled back on error."""
        with self._write_lock:
            if self.refusal is not None:
                raise type(self.refusal)(self.refusal.message, detail=self.refusal.detail)
            session = self._sessions()
            try:
                yield session
                session.commit()
            except _DATABASE_ERRORS as exc:
                session.rollback()
                raise self._translated(exc) from exc
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def _translated(self, exc: DatabaseError | sqlite3.DatabaseError) -> Exception:
        """A database error as people's words; damage found in use stops every later write."""
        error = translate(self.path, exc)
        if error is None:
            return exc
        if isinstance(error, CatalogCorruptError) and not isinstance(self.refusal, CatalogCorruptError):
            log.error("catalog damage found in use; no more changes: %s", exc)
            self.refusal = error
            for listener in list(self.damage_listeners):
                listener(error)
        return error

    def task_lock(self, name: str) -> threading.Lock:
        """One lock per kind of task on this library (imports, say), so two never overlap."""
        with self._write_lock:
            return self._task_locks.setdefault(name, threading.Lock())

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()


def open_catalog(folder: Path, *, exclusive: bool = True, create: bool = True) -> Catalog:
    """Open (and create, when new) the library at ``folder``.

    With ``exclusive`` the library is locked against other BookDesk processes, as the
    GUI and every writing command need; listing may share it. Without ``create`` a folder
    that holds no catalog is an error rather than a new library.
    """
    # Absolute from here on: a relative --library would otherwise mean another folder after a chdir,
    # and SQLite's read-only URI (data/change_watch.py) cannot be made of a relative path.
    folder = Path(folder).expanduser().absolute()
    path = folder / CATALOG_NAME
    if not create and not folder.is_dir():
        raise LibraryError(f"There is no BookDesk library at {folder}.")
    _ensure_folder(folder)
    access = probe(folder, path)
    if not create and not access.catalog_exists and not access.folder_read_denied:
        raise LibraryError(f"There is no BookDesk library at {folder}.")
    refusal = decide(folder, path, access)  # a folder or catalog that cannot be read is said so first
    _check_magic(path)
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
    try:
        engine = _make_engine(path, read_only=refusal is not None, frozen=frozen)
        try:
            if refusal is not None:
                if current_revision(engine) != SCHEMA_HEAD:
                    raise LibraryNotWritableError(
                        f"{refusal.message} It also needs updating for this BookDesk, which needs writing.")
            elif lock is None and current_revision(engine) != SCHEMA_HEAD:
                # Even a reader must not migrate a catalog another BookDesk is using.
                with _held(LibraryLock(folder)):
                    _migrate(engine, path)
            else:
                _migrate(engine, path)
            if refusal is None:
                _use_wal(engine)
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            if isinstance(exc, OperationalError) and "unable to open" in str(exc):
                raise LibraryNotWritableError(
                    f"BookDesk cannot open or create the catalog {path}. Check the folder's permissions.",
                    detail=str(exc)) from exc
            if isinstance(exc, OperationalError) and "locked" in str(exc):
                raise LibraryLockedError(
                    f"The catalog {path} is busy in another program; try again when it is done.",
                    detail=str(exc)) from exc
            known = translate(path, exc)
            if known is not None and not isinstance(known, CatalogCorruptError):
                raise known from exc
            raise CatalogCorruptError(damaged_message(path, "BookDesk could not read it", touched=False),
                                      detail=str(exc)) from exc
        except BaseException:
            engine.dispose()  # a refused catalog must not stay open (and keep its -wal/-shm files)
            raise
        if refusal is not None:
            log.warning("library opened read-only: %s", refusal.message)
        return Catalog(folder, engine, lock, refusal)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def discard_empty_catalog(folder: Path) -> bool:
    """Remove the library's catalog if it is an empty (0-byte) file, so a new one can start there, as
    the person chose when asked. Returns whether a file was removed; a catalog with anything in it stays."""
    path = Path(folder).expanduser().absolute() / CATALOG_NAME
    try:
        if path.is_file() and path.stat().st_size == 0:
            path.unlink()
            return True
    except OSError as exc:
        raise LibraryNotWritableError(f"BookDesk cannot remove the empty catalog {path} ({exc.strerror}).") from exc
    return False


@contextmanager
def _held(lock: LibraryLock) -> Iterator[None]:
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _ensure_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():  # mkdir would only say "File exists"
        raise LibraryNotWritableError(f"{folder} is not a folder, so it cannot hold a library.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryNotWritableError(
            f"BookDesk cannot create the library folder {folder} ({exc.strerror or exc})."
        ) from exc


def _check_magic(path: Path) -> None:
    if not path.exists():
        return
    if path.stat().st_size == 0:
        # Perhaps a copy that failed, a sync tool's placeholder or a disk that filled: a new library
        # here would hide that the books' catalog is gone, so ask rather than start afresh silently.
        raise CatalogEmptyError(
            f"The catalog {path} is empty (0 bytes), so BookDesk cannot tell which books this library holds. "
            f"If you expected your books here, restore the catalog from a backup; to start a new library in "
            f"this folder instead, move the empty {CATALOG_NAME} away (or delete it) and try again.")
    with path.open("rb") as fh:
        head = fh.read(len(_SQLITE_MAGIC))
    if head != _SQLITE_MAGIC:
        raise CatalogCorruptError(
            f"{path} is not a BookDesk catalog (it is not a SQLite database). "
            "BookDesk left it untouched; move it away or choose another library folder."
        )


def _make_engine(path: Path, *, read_only: bool = False, frozen: bool = False) -> Engine:
    # A URL object, not an f-string: a folder named "What? Books" or "100%20" must stay a path.
    url = URL.create("sqlite", database=str(path))
    if read_only:
        # SQLite's read-only mode writes nothing; "immutable" does not even make the -shm file.
        mode = "immutable=1" if frozen else "mode=ro"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True, timeout=10, check_same_thread=False)

        engine = create_engine(url, creator=connect)
    else:
        engine = create_engine(url, connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
        # journal_mode=WAL is not set here: it rewrites the file header, and a file BookDesk
        # refuses (someone else's database, a newer catalog) must be left exactly as it was.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        dbapi_conn.create_function(search_index.FOLD_FUNCTION, 1, search_index.index_text, deterministic=True)

    return engine


def _use_wal(engine: Engine) -> None:
    """WAL is stored in the file, so setting it once, after the catalog is known good, is enough."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            tables = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type='table'")).scalar()
            if tables:
                raise CatalogCorruptError(
                    "This SQLite file has tables but no BookDesk schema version; it is not a BookDesk catalog."
                )
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine: Engine, path: Path) -> None:
    revision = current_revision(engine)
    if revision == SCHEMA_HEAD:
        return
    from alembic.config import Config  # imported only when there is work to do
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    if revision is not None and revision not in known:
        raise CatalogTooNewError(
            f"The catalog {path} was written by a newer BookDesk (schema {revision}). "
            "Update BookDesk to open it; it was left untouched."
        )
    if revision is not None:
        backup = _backup(engine, path, revision)
        log.info("catalog backed up before migration", extra={"backup": str(backup)})
    from alembic import command

    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _backup(engine: Engine, path: Path, revision: str) -> Path:
    """Copy the catalog with SQLite's online backup (consistent), checked and renamed into place when whole."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}{MIGRATION_BACKUP_INFIX}{revision}-{stamp}")
    # A copy killed halfway by an earlier try: this runs before the sweep at open, and with the lock
    # held (a migration always holds it), so no other BookDesk is writing one.
    with contextlib.suppress(OSError):
        remove_leftovers(path.parent, [PARTIAL_COPY], time.time())
    raw = engine.raw_connection()
    try:
        return copy_catalog(raw.driver_connection, target)
    finally:
        raw.close()
