"""Full records of works (``WorkDetail``) read in plain SQL over a DB-API connection: the window's and
the services' (``WorkRepository.details``, through their session) and a command's that reads without
SQLAlchemy (data/catalog_reader.py). A few queries per 900 works rather than per work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bookdesk.data.catalog_rows import Contributor, FileRecord, SeriesRef, WorkDetail
from bookdesk.data.work_listing import Connection

_CHUNK = 900  # under SQLite's limit of host parameters

_PEOPLE = """SELECT c.work_id, a.name, c.role, a.sort_name FROM contributions c JOIN authors a ON a.id = c.author_id
 WHERE c.work_id IN ({marks}) ORDER BY c.work_id, c.role != 'author', c.position, c.id"""
_SERIES = """SELECT e.work_id, s.name, e.label, e.sort_key FROM series_entries e JOIN series s ON s.id = e.series_id
 WHERE e.work_id IN ({marks}) ORDER BY e.work_id, e.id"""
_IDENTIFIERS = "SELECT work_id, scheme, value FROM identifiers WHERE work_id IN ({marks}) ORDER BY work_id, scheme"
_TAGS = "SELECT work_id, tag FROM work_tags WHERE work_id IN ({marks}) ORDER BY work_id, tag"
_FILES = """SELECT work_id, id, path, format, media_kind, size, content_hash, duration_seconds FROM files
 WHERE work_id IN ({marks}) ORDER BY work_id, id"""
_SERVERS = "SELECT DISTINCT work_id, server FROM abs_links WHERE work_id IN ({marks}) ORDER BY work_id, server"
_WORKS = """SELECT id, title, sort_title, subtitle, description, language, publisher, first_published, status,
 rating, cover_path, locked_fields, added_at, read_state FROM works WHERE id IN ({marks})"""


def work_details(connection: Connection, ids: Sequence[int]) -> list[WorkDetail]:
    """The records of ``ids``, in that order (ids of no work are left out)."""
    found: dict[int, WorkDetail] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update(_chunk(connection, list(ids[start:start + _CHUNK])))
    return [found[i] for i in ids if i in found]


def _chunk(connection: Connection, ids: list[int]) -> dict[int, WorkDetail]:
    def rows(sql: str) -> list[tuple]:
        return connection.execute(sql.format(marks=",".join("?" * len(ids))), ids).fetchall()  # type: ignore[attr-defined]

    people: dict[int, list[Contributor]] = {i: [] for i in ids}
    for work_id, name, role, sort_name in rows(_PEOPLE):
        people[work_id].append(Contributor(name, role, sort_name))
    series: dict[int, list[SeriesRef]] = {i: [] for i in ids}
    for work_id, name, label, key in rows(_SERIES):
        series[work_id].append(SeriesRef(name, label, key))
    identifiers: dict[int, dict[str, str]] = {i: {} for i in ids}
    for work_id, scheme, value in rows(_IDENTIFIERS):
        identifiers[work_id][scheme] = value
    tags: dict[int, list[str]] = {i: [] for i in ids}
    for work_id, tag in rows(_TAGS):
        tags[work_id].append(tag)
    files: dict[int, list[FileRecord]] = {i: [] for i in ids}
    for work_id, *file in rows(_FILES):
        files[work_id].append(FileRecord(*file))
    servers: dict[int, list[str]] = {i: [] for i in ids}
    for work_id, server in rows(_SERVERS):
        servers[work_id].append(server)
    details: dict[int, WorkDetail] = {}
    for (work_id, title, sort_title, subtitle, description, language, publisher, first_published, status, rating,
         cover_path, locked_fields, added_at, read_state) in rows(_WORKS):
        details[work_id] = WorkDetail(
            id=work_id, title=title, sort_title=sort_title, subtitle=subtitle, description=description,
            language=language, publisher=publisher, first_published=first_published, status=status, rating=rating,
            cover_path=cover_path, contributors=tuple(people[work_id]), series=tuple(series[work_id]),
            identifiers=identifiers[work_id], tags=tuple(tags[work_id]), files=tuple(files[work_id]),
            locked_fields=frozenset(f for f in locked_fields.split(",") if f),
            added_at=_datetime(added_at), read_state=read_state, on_server=tuple(servers[work_id]))
    return details


def _datetime(stored: str | None) -> datetime | None:
    """A time as SQLAlchemy's SQLite ``DateTime`` stores it ("2026-01-31 12:00:00.000000"), read back
    as it reads it (naive)."""
    return datetime.fromisoformat(stored) if stored else None
