"""Cheap readings that tell which series changed since the gap analysis last ran.

Each series entry has a *fingerprint*: an integer made of everything the analysis reads of
the entry (position, label, work) and of its work (status, formats, wanted kinds, authors,
expected date, the Audiobookshelf servers holding it), weighted by the entry's id; a series' fingerprint is the sum over its
entries. The entry part and the work part are kept apart, so that after an edit:

- the entry parts summed per series (one table, no join: ~40 ms for 60,000 entries) and a
  checksum of the work parts over the whole works table (~45 ms for 100,000) show, most of
  the time, that no work changed and which series' entries did;
- only when a work changed is the joined sum per series read (~100 ms).

Every part is reduced modulo a prime so that the sums stay exact 64-bit integers. Files are
seen through ``works.formats``, which the repositories keep in step with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

# The weight of an entry, and of a work, in the sums: their ids, kept small.
_ENTRY_WEIGHT = "((e.id % 65521) + 1)"
_WORK_WEIGHT = "((w.id % 65521) + 1)"
ENTRY_PART = """(
    coalesce(CAST(e.sort_key * 1000 AS INTEGER) % 1000003, 7) * 3
    + coalesce(CAST(e.sort_key_end * 1000 AS INTEGER) % 1000003, 11) * 5
    + length(e.label) * 7 + coalesce(unicode(e.label), 0) * 11 + (e.work_id % 1000003) * 13)"""
WORK_PART = """(
    instr('owned wanted ignored', w.status) * 17
    + length(w.formats) * 19 + coalesce(unicode(w.formats), 0) * 23
    + length(w.wanted_kinds) * 29 + length(w.authors_display) * 31
    + length(w.on_server) * 43 + coalesce(unicode(w.on_server), 0) * 47
    + coalesce(unicode(w.authors_display), 0) % 65521 * 37
    + CASE WHEN w.status = 'wanted'
           THEN coalesce(length(w.first_published), 0) * 41
                + coalesce(CAST(replace(substr(w.first_published, 1, 10), '-', '') AS INTEGER) % 1000003, 0)
           ELSE 0 END)"""
# The two columns the entries query carries, summed per series by the caller.
ENTRY_COLUMNS = f"{_ENTRY_WEIGHT} * {ENTRY_PART}, {_ENTRY_WEIGHT} * {WORK_PART}"
_CHUNK = 900


def _cursor(session: Session):  # noqa: ANN202 - the DB-API connection
    return session.connection().connection.driver_connection


def entry_sums(session: Session) -> dict[int, int]:
    """Series id -> the sum of its entries' entry parts (no join with works)."""
    # "+e.series_id": a temporary tree beats walking the series index and reading entries at random.
    return dict(_cursor(session).execute(
        f"SELECT e.series_id, sum({_ENTRY_WEIGHT} * {ENTRY_PART}) FROM series_entries e GROUP BY +e.series_id"
    ).fetchall())


def works_checksum(session: Session) -> int | float:
    """One number over every work's part: the same while no work changed in a way the analysis sees."""
    return _cursor(session).execute(f"SELECT total({_WORK_WEIGHT} * {WORK_PART}) FROM works w").fetchone()[0]


def series_fingerprints(session: Session, series_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Series id -> the sum of its entries' whole fingerprints (entry and work parts)."""
    sql = (f"SELECT e.series_id, sum({_ENTRY_WEIGHT} * ({ENTRY_PART} + {WORK_PART})) "
           "FROM series_entries e JOIN works w ON w.id = e.work_id {where} GROUP BY +e.series_id")
    if series_ids is None:
        return dict(_cursor(session).execute(sql.format(where="")).fetchall())
    found: dict[int, int] = {}
    ids = list(series_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        found.update(_cursor(session).execute(
            sql.format(where=f"WHERE e.series_id IN ({','.join('?' * len(chunk))})"), chunk).fetchall())
    return found


def listing_stamps(session: Session) -> dict[int, str]:
    """Series id -> the source, fetch time and size of each of its stored listings, as one text."""
    return dict(_cursor(session).execute(
        "SELECT series_id, group_concat(source || ' ' || fetched_at || ' ' || length(books_json), ';') "
        "FROM (SELECT * FROM series_listings ORDER BY series_id, source) GROUP BY series_id").fetchall())


def series_table(session: Session) -> list[tuple]:
    """(id, name, monitored, ignored, total_count) of every series as SQLite gives them, by name."""
    return _cursor(session).execute(
        "SELECT id, name, monitored, ignored, total_count FROM series ORDER BY sort_name, id").fetchall()
