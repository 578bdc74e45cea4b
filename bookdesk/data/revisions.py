"""Counters that triggers keep (migration 0006): read in one row, they say whether anything a saved
analysis depends on has changed since it was saved."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a command reading through plain sqlite3 (data/gap_answers.py) must not import SQLAlchemy
    from sqlalchemy.orm import Session


def series_counter(connection: sqlite3.Connection) -> int | None:
    """The ``series`` counter read over a DB-API connection: it moves with every change the series gap
    analysis would see."""
    row = connection.execute("SELECT counter FROM revisions WHERE name = 'series'").fetchone()
    return None if row is None else int(row[0])


def series_revision(session: Session) -> int | None:
    """The ``series`` counter, read in ``session``'s transaction."""
    return series_counter(session.connection().connection.driver_connection)


def bump_series_revision(session: Session) -> None:
    """Move the ``series`` counter for a change no trigger sees: a work's media kinds changing because an
    Audiobookshelf server now holds it, or no longer does (``abs_links``)."""
    session.connection().connection.driver_connection.execute(
        "UPDATE revisions SET counter = counter + 1 WHERE name = 'series'")
