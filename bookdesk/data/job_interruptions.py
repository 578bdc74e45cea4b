"""Jobs a dead process left unfinished, marked interrupted when the library is next opened: in plain SQL
over a DB-API connection, so ``JobRepository`` (over its session's connection) and a command opened
without SQLAlchemy (data/plain_catalog.py) run the one query."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

# A job whose process died (a crash, a kill, a power cut) before it ended: found at the next open.
INTERRUPTED = "interrupted"
INTERRUPTED_MESSAGE = ("Interrupted: BookDesk stopped (it was closed, crashed or the computer went down) before "
                       "this job finished. What it had finished is kept; run it again for the rest.")


def abandon_unfinished(connection: sqlite3.Connection) -> int:
    """Mark the jobs left queued or running interrupted; how many there were. Only whoever holds the
    library calls it, so no live job of another process is touched."""
    # Stored as SQLAlchemy's DateTime stores it, so the Job rows read back the same either way.
    stamp = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    cursor = connection.execute("UPDATE jobs SET state = ?, finished_at = ?, error = ? "
                                "WHERE state IN ('queued', 'running')", (INTERRUPTED, stamp, INTERRUPTED_MESSAGE))
    return cursor.rowcount or 0
