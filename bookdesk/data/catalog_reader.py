"""Reading a library without SQLAlchemy, for a command that only reads (``bookdesk list``).

Importing SQLAlchemy and mapping the models took two thirds of such a command's start (bench/cli_start.py).
A catalog whose schema is current is read through a plain ``sqlite3`` connection, after the same checks
``open_catalog`` makes first (data/catalog_file.py). One that is behind, or new, goes through
``open_catalog`` as before, which migrates it or refuses it, and is read through its driver connection.
The queries are the ones the window runs (data/work_listing.py, data/work_details.py), over either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bookdesk.data.catalog_faults import translate
from bookdesk.data.catalog_file import (
    SCHEMA_HEAD,
    opening_failure,
    prepare,
    read_only_connection,
    schema_revision,
    set_pragmas,
)


@contextmanager
def reading(folder: Path) -> Iterator[sqlite3.Connection]:
    """A DB-API connection to the library at ``folder`` to read from, shared with any running BookDesk
    (no lock is taken); SQLite's errors while reading are told in people's words, as a session's are."""
    opening = prepare(folder, exclusive=False, create=False)
    connection = _current(opening.path, opening.refusal is not None, opening.frozen)
    if connection is None:  # behind, or empty: opened as always, migrated (or refused) there
        from bookdesk.data.catalog import open_catalog

        catalog = open_catalog(folder, exclusive=False, create=False)
        raw = catalog.engine.raw_connection()
        try:
            with _told(opening.path):
                yield raw.driver_connection
        finally:
            raw.close()
            catalog.close()
        return
    try:
        with _told(opening.path):
            yield connection
    finally:
        connection.close()


def _current(path: Path, read_only: bool, frozen: bool) -> sqlite3.Connection | None:
    """A connection to the catalog when its schema is the one this code knows, else None."""
    try:
        connection = read_only_connection(path, frozen=frozen) if read_only \
            else sqlite3.connect(path, timeout=10)
    except sqlite3.DatabaseError as exc:
        raise opening_failure(path, exc) from exc
    try:
        set_pragmas(connection)
        if schema_revision(connection) != SCHEMA_HEAD:
            connection.close()
            return None
        if not read_only:  # as open_catalog leaves every catalog it may write
            connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise opening_failure(path, exc) from exc
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def _told(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as exc:
        error = translate(path, exc)
        if error is None:
            raise
        raise error from exc
