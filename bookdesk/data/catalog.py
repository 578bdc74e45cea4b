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

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from bookdesk.data.catalog_copy import MIGRATION_BACKUP_INFIX, PARTIAL_COPY, copy_catalog
from bookdesk.data.catalog_faults import translate
from bookdesk.data.catalog_file import (  # noqa: F401 - CATALOG_NAME and SCHEMA_HEAD are known by this name too
    CATALOG_NAME,
    SCHEMA_HEAD,
    opening_failure,
    prepare,
    read_only_connection,
    schema_revision,
    set_pragmas,
)
from bookdesk.data.leftovers import remove_leftovers
from bookdesk.data.library_lock import LibraryLock
from bookdesk.errors import (
    CatalogCorruptError,
    CatalogTooNewError,
    LibraryError,
    LibraryNotWritableError,
)

log = logging.getLogger(__name__)

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
    opening = prepare(folder, exclusive=exclusive, create=create)
    folder, path, refusal, lock = opening.folder, opening.path, opening.refusal, opening.lock
    try:
        engine = _make_engine(path, read_only=refusal is not None, frozen=opening.frozen)
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
            raise opening_failure(path, exc) from exc
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


def _make_engine(path: Path, *, read_only: bool = False, frozen: bool = False) -> Engine:
    # A URL object, not an f-string: a folder named "What? Books" or "100%20" must stay a path.
    url = URL.create("sqlite", database=str(path))
    if read_only:
        engine = create_engine(url, creator=lambda: read_only_connection(path, frozen=frozen))
    else:
        engine = create_engine(url, connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
        set_pragmas(dbapi_conn)

    return engine


def _use_wal(engine: Engine) -> None:
    """WAL is stored in the file, so setting it once, after the catalog is known good, is enough."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")


def current_revision(engine: Engine) -> str | None:
    raw = engine.raw_connection()
    try:
        return schema_revision(raw.driver_connection)
    finally:
        raw.close()


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
