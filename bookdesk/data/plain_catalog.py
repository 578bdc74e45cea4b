"""Writing to a library without SQLAlchemy, for a command that writes a few rows (``bookdesk fetch --no-import``).

Importing SQLAlchemy and mapping the models is most of such a command's start (bench/cli_start.py). A
catalog that is current and takes changes is opened here as ``open_catalog`` would leave it (the
library's lock held, the same pragmas, WAL) over one plain ``sqlite3`` connection. Anything else (a new
library, a catalog that is behind, one that can only be read or sits on a full disk) is not opened here:
``open_plain`` returns None and the caller opens it through ``open_catalog`` as always, which creates,
migrates after a backup, or refuses it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bookdesk.data.catalog_faults import translate
from bookdesk.data.catalog_file import (
    CATALOG_NAME,
    SCHEMA_HEAD,
    opening_failure,
    prepare,
    schema_revision,
    set_pragmas,
)
from bookdesk.data.library_lock import LibraryLock
from bookdesk.errors import CatalogCorruptError, LibraryError

log = logging.getLogger(__name__)


class PlainCatalog:
    """An open, current library over one ``sqlite3`` connection, its lock held.

    ``read()`` and ``write()`` yield the connection; a write is committed at the end of its block, or
    rolled back on error. Both are serialised by one lock (the connection is shared by the loop and a
    transfer's thread). SQLite's errors are told in people's words, as ``Catalog``'s are; damage found in
    use stops every later write (``refusal``).
    """

    def __init__(self, folder: Path, connection: sqlite3.Connection, lock: LibraryLock) -> None:
        self.folder = folder
        self.connection = connection
        self._lock = lock
        self._use = threading.RLock()
        self.refusal: LibraryError | None = None
        self.damage_listeners: list[Callable[[CatalogCorruptError], None]] = []

    @property
    def path(self) -> Path:
        return self.folder / CATALOG_NAME

    @property
    def holds_lock(self) -> bool:
        return True

    @property
    def read_only(self) -> bool:
        return self.refusal is not None

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._use, self._told():
            yield self.connection

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self._use:
            if self.refusal is not None:
                raise type(self.refusal)(self.refusal.message, detail=self.refusal.detail)
            with self._told():
                try:
                    yield self.connection
                    self.connection.commit()
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self.connection.rollback()
                    raise

    @contextmanager
    def _told(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            error = translate(self.path, exc)
            if error is None:
                raise
            if isinstance(error, CatalogCorruptError) and not isinstance(self.refusal, CatalogCorruptError):
                log.error("catalog damage found in use; no more changes: %s", exc)
                self.refusal = error
                for listener in list(self.damage_listeners):
                    listener(error)
            raise error from exc

    def close(self) -> None:
        try:
            self.connection.close()
        finally:
            self._lock.release()


def open_plain(folder: Path) -> PlainCatalog | None:
    """The library at ``folder`` opened for writing without SQLAlchemy, or None when it must be opened
    through ``open_catalog`` (new, behind, read-only, on a full disk). Raises what stops any opening
    (another BookDesk holds the library, the file is not a catalog)."""
    opening = prepare(folder, exclusive=True, create=True)
    assert opening.lock is not None  # exclusive: held, or prepare raised
    if opening.refusal is not None or not opening.path.is_file():
        opening.lock.release()
        return None
    try:
        connection = sqlite3.connect(opening.path, timeout=10, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        opening.lock.release()
        raise opening_failure(opening.path, exc) from exc
    try:
        set_pragmas(connection)
        if schema_revision(connection) != SCHEMA_HEAD:
            connection.close()
            opening.lock.release()
            return None
        connection.execute("PRAGMA journal_mode=WAL")  # as open_catalog leaves every catalog it may write
    except BaseException as exc:
        connection.close()
        opening.lock.release()
        if isinstance(exc, sqlite3.DatabaseError):
            raise opening_failure(opening.path, exc) from exc
        raise
    return PlainCatalog(opening.folder, connection, opening.lock)
