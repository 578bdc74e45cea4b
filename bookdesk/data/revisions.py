"""Counters that triggers keep (migration 0006): read in one row, they say whether anything a saved
analysis depends on has changed since it was saved."""

from __future__ import annotations

from sqlalchemy.orm import Session


def series_revision(session: Session) -> int | None:
    """The ``series`` counter: it moves with every change the series gap analysis would see."""
    row = session.connection().connection.driver_connection.execute(
        "SELECT counter FROM revisions WHERE name = 'series'").fetchone()
    return None if row is None else int(row[0])


def bump_series_revision(session: Session) -> None:
    """Move the ``series`` counter for a change no trigger sees: a work's media kinds changing because an
    Audiobookshelf server now holds it, or no longer does (``abs_links``)."""
    session.connection().connection.driver_connection.execute(
        "UPDATE revisions SET counter = counter + 1 WHERE name = 'series'")
