"""Each series' gap answer as the catalog keeps it (migration 0013), over a plain DB-API connection.

Plain ``sqlite3`` and no SQLAlchemy: ``bookdesk gaps --json`` reads the stored answers through
data/catalog_reader.py when they are current, and its start is most of its time then. The service
(core/series/kept_answers.py) reads and saves them through its session's driver connection.

A set of answers is current exactly when its ``revision`` is the catalog's ``series`` counter now: every
answer in it was then checked against (or worked out from) the catalog at that counter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bookdesk.data.revisions import series_counter

# A set per gap policy, day and provider order: the window's (from the settings) and the command's
# (its own options) live side by side; older ones are dropped as new ones are saved.
SETS_KEPT = 2


@dataclass(frozen=True, slots=True)
class AnswerSet:
    id: int
    revision: int | None  # the series counter every answer was current at; None: check each one's readings
    generation: int  # moves with every save


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """One series' answer with what it was worked out from."""

    series_id: int
    fingerprint: int  # the sum of its entries' fingerprints (gap_fingerprints.series_fingerprints)
    stamp: str  # its listings' stamp (gap_fingerprints.listing_stamps), "" for none
    series_row: str  # its row of gap_fingerprints.series_table, as JSON
    has_books: bool  # it has entries (the lists show it only then, or when monitored)
    authors: str  # the authors most of its books show
    answer: str  # the SeriesGaps, encoded by core/series/stored_answers.py
    books: str  # its missing books with what listings say of them, read only when asked for ("" for none)
    json: str = ""  # its object in ``bookdesk gaps --json``; read only by the command


def answer_set(connection: sqlite3.Connection, key: str) -> AnswerSet | None:
    row = connection.execute("SELECT id, revision, generation FROM gap_answer_sets WHERE key = ?", (key,)).fetchone()
    return None if row is None else AnswerSet(*row)


def answer_sets(connection: sqlite3.Connection) -> dict[str, AnswerSet]:
    """Every set by its key (a few: older ones are dropped as new ones are saved)."""
    return {key: AnswerSet(set_id, revision, generation) for set_id, key, revision, generation in connection.execute(
        "SELECT id, key, revision, generation FROM gap_answer_sets")}


def answers(connection: sqlite3.Connection, set_id: int, *, readings: bool = True) -> dict[int, tuple]:
    """Series id -> its stored answer in the set as a plain row in ``StoredAnswer``'s field order, without the
    command's JSON (12,000 objects made only to be read once cost more than the rows themselves). Without
    ``readings`` the stamp and series row are None (a set known current needs no comparing)."""
    columns = "stamp, series_row" if readings else "NULL, NULL"
    return {row[0]: row for row in connection.execute(
        f"SELECT series_id, fingerprint, {columns}, has_books, authors, answer, books FROM gap_answers "
        "WHERE set_id = ?", (set_id,))}


def dated_series(connection: sqlite3.Connection) -> set[int]:
    """The series whose answer may change with the day alone: those with a listing (books not out yet), and
    those with a wanted book that has an expected date."""
    return {series_id for (series_id,) in connection.execute(
        "SELECT series_id FROM series_listings UNION SELECT e.series_id FROM series_entries e "
        "JOIN works w ON w.id = e.work_id WHERE w.status = 'wanted' AND w.first_published IS NOT NULL")}


def current_json(connection: sqlite3.Connection, key: str, *, include_ignored: bool = False) -> list[str] | None:
    """The command's JSON object of every listed series, by name, when the set under ``key`` is current and
    holds every series; None otherwise (the answers must then be worked out)."""
    if connection.execute("SELECT NOT EXISTS (SELECT 1 FROM series)").fetchone()[0]:
        return []  # no series: nothing to work out, whatever was kept
    found = answer_set(connection, key)
    if found is None or found.revision is None or found.revision != series_counter(connection):
        return None
    ignored = "" if include_ignored else "AND NOT s.ignored"
    texts = [text for (text,) in connection.execute(
        "SELECT a.json FROM series s LEFT JOIN gap_answers a ON a.set_id = ? AND a.series_id = s.id "
        f"WHERE a.series_id IS NULL OR ((a.has_books OR s.monitored) {ignored}) ORDER BY s.sort_name, s.id",
        (found.id,))]
    return None if any(text is None for text in texts) else texts


def save(connection: sqlite3.Connection, key: str, revision: int | None, seen: AnswerSet | None,
         rows: Iterable[StoredAnswer], copied: tuple[int, list[int]] | None = None) -> None:
    """Keep ``rows`` in the set under ``key`` (made if new) and say the set current at ``revision`` (the counter
    the caller read with the data). Call within a write transaction.

    The revision is claimed only when no one saved the set since the caller read it (``seen``) and the
    counter has not moved since: otherwise the rows are kept and each is checked by its readings next time.
    ``copied``: (a set, series ids) whose rows the caller checked as current for this set too, copied as they are.
    """
    # A cache never waits for another writer (a running BookDesk's import): the answer is printed all the same,
    # and the next reader works those series out again.
    waited = connection.execute("PRAGMA busy_timeout").fetchone()[0]
    connection.execute("PRAGMA busy_timeout=0")
    try:
        _save(connection, key, revision, seen, rows, copied)
    finally:
        connection.execute(f"PRAGMA busy_timeout={int(waited)}")


def _save(connection: sqlite3.Connection, key: str, revision: int | None, seen: AnswerSet | None,
          rows: Iterable[StoredAnswer], copied: tuple[int, list[int]] | None) -> None:
    now = datetime.now(UTC).isoformat()
    current = connection.execute("SELECT id, generation FROM gap_answer_sets WHERE key = ?", (key,)).fetchone()
    untouched = (current is None and seen is None) or \
        (current is not None and seen is not None and tuple(current) == (seen.id, seen.generation))
    claim = revision if untouched and revision == series_counter(connection) else None
    if current is None:
        set_id = connection.execute("INSERT INTO gap_answer_sets (key, revision, generation, saved_at) "
                                    "VALUES (?, ?, 1, ?)", (key, claim, now)).lastrowid
    else:
        set_id = current[0]
        connection.execute("UPDATE gap_answer_sets SET revision = ?, generation = generation + 1, saved_at = ? "
                           "WHERE id = ?", (claim, now, set_id))
    if copied is not None:
        connection.execute(
            "INSERT OR REPLACE INTO gap_answers SELECT ?, series_id, fingerprint, stamp, series_row, has_books, "
            "authors, answer, books, json FROM gap_answers WHERE set_id = ? AND series_id IN "
            "(SELECT value FROM json_each(?))", (set_id, copied[0], json.dumps(copied[1])))
    connection.executemany(
        "INSERT OR REPLACE INTO gap_answers (set_id, series_id, fingerprint, stamp, series_row, has_books, authors, "
        "answer, books, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((set_id, r.series_id, r.fingerprint, r.stamp, r.series_row, int(r.has_books), r.authors, r.answer, r.books,
          r.json) for r in rows))
    # Series gone from the catalog; and the sets saved longest ago, past the ones kept.
    connection.execute("DELETE FROM gap_answers WHERE set_id = ? AND series_id NOT IN (SELECT id FROM series)",
                       (set_id,))
    connection.execute("DELETE FROM gap_answer_sets WHERE id NOT IN (SELECT id FROM gap_answer_sets "
                       "ORDER BY id = ? DESC, saved_at DESC LIMIT ?)", (set_id, SETS_KEPT))
