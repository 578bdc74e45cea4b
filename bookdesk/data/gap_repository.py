"""What the series gap analysis reads and keeps: entries as tuples, provider listings, checks, flags.

The analysis covers every series of a 100,000-book library at once, so the entries come
back as plain tuples from one query through the DB-API cursor (rows without ORM objects),
with the media kinds of each work read from the ``ix_files_work_kind`` index alone.

Each entry also carries its fingerprint, in two parts (see ``gap_fingerprints``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from bookdesk.data.gap_fingerprints import ENTRY_COLUMNS, series_table
from bookdesk.data.library_entry import LibraryEntry
from bookdesk.data.models import Series, SeriesCheck, SeriesListing
from bookdesk.data.search_index import FOLD_FUNCTION
from bookdesk.data.work_kinds import kinds_bits
from bookdesk.errors import NotFoundError
from bookdesk.vocabulary.folding import fold

# One row per series entry, in the field order of ``LibraryEntry``. No ORDER BY: in
# table order the works are read nearly in sequence (0.13 s for 60,000 entries); ordered by series
# they are read at random (0.35 s), so the caller groups them.
_ENTRIES_SQL = """
SELECT e.work_id, e.label, e.sort_key, e.sort_key_end, w.status,
""" + kinds_bits("e.work_id") + """,
       w.wanted_kinds, w.first_published, w.authors_display, e.series_id, """ + ENTRY_COLUMNS + """
FROM series_entries e JOIN works w ON w.id = e.work_id
{where}
"""
_ENTRIES_SQL_NO_PRINTS = _ENTRIES_SQL.replace(ENTRY_COLUMNS, "NULL, NULL")
_ENTRY_WORKS_SQL = """
SELECT e.work_id, e.label, e.sort_key, e.sort_key_end, w.status,
""" + kinds_bits("e.work_id") + """,
       w.title, w.authors_display, w.cover_path, w.cover_url, w.first_published
FROM series_entries e JOIN works w ON w.id = e.work_id
WHERE e.series_id = ?
ORDER BY e.sort_key, e.id
"""
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class StoredListing:
    series_id: int
    source: str
    provider_series_id: str | None
    series_name: str
    total_primary: int | None
    books_json: str
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class SeriesCheckRecord:
    checked_at: datetime
    media_kind: str
    owned: int
    missing: int
    total: int | None
    sources: tuple[str, ...]


class SeriesRow(NamedTuple):
    id: int
    name: str
    monitored: bool
    ignored: bool
    total_count: int | None


def series_row(raw: tuple) -> SeriesRow:
    """A row of ``gap_fingerprints.series_table`` with its flags as booleans."""
    series_id, name, monitored, ignored, total = raw
    return SeriesRow(series_id, name, bool(monitored), bool(ignored), total)


class GapRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ----- reading -------------------------------------------------------------------

    def entry_rows(self, series_ids: Sequence[int] | None = None, *, prints: bool = True) -> list[tuple]:
        """Every entry (of ``series_ids``) as a plain tuple in ``LibraryEntry``'s field order, in no particular
        order. Without ``prints`` the two fingerprints are None (a quarter of the reading's time, unneeded
        by a one-off answer)."""
        cursor = self.session.connection().connection.driver_connection
        if series_ids is None:
            return cursor.execute((_ENTRIES_SQL if prints else _ENTRIES_SQL_NO_PRINTS).format(where="")).fetchall()
        rows: list[tuple] = []
        ids = list(series_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            where = f"WHERE e.series_id IN ({','.join('?' * len(chunk))})"
            rows += cursor.execute((_ENTRIES_SQL if prints else _ENTRIES_SQL_NO_PRINTS).format(where=where),
                                   chunk).fetchall()
        return rows

    def series_rows(self, series_ids: Sequence[int] | None = None) -> list[SeriesRow]:
        """Every series (or those of ``series_ids``), sorted by name."""
        if series_ids is not None:
            query = select(Series.id, Series.name, Series.monitored, Series.ignored, Series.total_count)
            query = query.where(Series.id.in_(list(series_ids)))
            make = SeriesRow._make
            return [make(row) for row in self.session.execute(query.order_by(Series.sort_name, Series.id))]
        return [series_row(raw) for raw in series_table(self.session)]

    def series_row(self, series_id: int) -> SeriesRow:
        found = self.series_rows([series_id])
        if not found:
            raise NotFoundError(f"There is no series with id {series_id} in this library.")
        return found[0]

    def series_named(self, name: str) -> list[int]:
        """Series called ``name`` (case and accents aside); failing that, those whose name contains it."""
        folded = fold(name)
        fold_sql = getattr(func, FOLD_FUNCTION)
        exact = self.session.execute(select(Series.id).where(fold_sql(Series.name) == folded)).scalars().all()
        if exact:
            return list(exact)
        return list(self.session.execute(
            select(Series.id).where(fold_sql(Series.name).contains(folded, autoescape=True))
            .order_by(Series.sort_name)).scalars())

    def entries(self, series_id: int) -> list[LibraryEntry]:
        """The entries of one series, as LibraryEntry rows (a handful: their names cost nothing here)."""
        return [LibraryEntry._make(row) for row in self.entry_rows([series_id])]

    def entry_works(self, series_id: int) -> list[tuple]:
        """(work_id, label, sort_key, sort_key_end, status, kinds, title, authors, cover_path, cover_url,
        first_published) of every work in the series."""
        cursor = self.session.connection().connection.driver_connection
        return cursor.execute(_ENTRY_WORKS_SQL, (series_id,)).fetchall()

    def listings(self, series_ids: Sequence[int] | None = None) -> list[StoredListing]:
        query = select(SeriesListing.series_id, SeriesListing.source, SeriesListing.provider_series_id,
                       SeriesListing.series_name, SeriesListing.total_primary, SeriesListing.books_json,
                       SeriesListing.fetched_at)
        if series_ids is not None:
            ids = list(series_ids)
            found: list[StoredListing] = []
            for start in range(0, len(ids), _CHUNK):
                found += [StoredListing(*row) for row in self.session.execute(
                    query.where(SeriesListing.series_id.in_(ids[start:start + _CHUNK])))]
            return found
        return [StoredListing(*row) for row in self.session.execute(query)]

    def listings_and_stamps(self) -> tuple[list[StoredListing], dict[int, str]]:
        """Every stored listing, and the stamps ``gap_fingerprints.listing_stamps`` would read, from one query."""
        cursor = self.session.connection().connection.driver_connection
        found: list[StoredListing] = []
        parts: dict[int, list[tuple[str, str]]] = {}
        for series_id, source, provider_id, name, total, books_json, fetched_at in cursor.execute(
                "SELECT series_id, source, provider_series_id, series_name, total_primary, books_json, fetched_at "
                "FROM series_listings"):
            found.append(StoredListing(series_id, source, provider_id, name, total, books_json,
                                       datetime.fromisoformat(fetched_at)))
            parts.setdefault(series_id, []).append((source, f"{source} {fetched_at} {len(books_json)}"))
        return found, {series_id: ";".join(text for _, text in sorted(stamps)) for series_id, stamps in parts.items()}

    def checks(self, series_id: int, limit: int = 200) -> list[SeriesCheckRecord]:
        """The series' checks, newest first."""
        rows = self.session.execute(
            select(SeriesCheck.checked_at, SeriesCheck.media_kind, SeriesCheck.owned, SeriesCheck.missing,
                   SeriesCheck.total, SeriesCheck.sources)
            .where(SeriesCheck.series_id == series_id)
            .order_by(SeriesCheck.checked_at.desc(), SeriesCheck.id).limit(limit))
        return [SeriesCheckRecord(at, kind, owned, missing, total, tuple(s for s in sources.split(",") if s))
                for at, kind, owned, missing, total, sources in rows]

    # ----- writing -------------------------------------------------------------------

    def save_listing(self, listing: StoredListing) -> None:
        """Keep ``listing`` as the series' latest from its source (replacing the one before)."""
        values = {"series_id": listing.series_id, "source": listing.source,
                  "provider_series_id": listing.provider_series_id, "series_name": listing.series_name,
                  "total_primary": listing.total_primary, "books_json": listing.books_json,
                  "fetched_at": listing.fetched_at}
        statement = insert(SeriesListing).values(**values)
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["series_id", "source"],
            set_={k: statement.excluded[k] for k in values if k not in ("series_id", "source")}))

    def note_provider(self, series_id: int, source: str, provider_series_id: str | None) -> None:
        """Remember a provider's id for the series."""
        series = self.session.get(Series, series_id)
        if series is None:
            raise NotFoundError(f"There is no series with id {series_id} in this library.")
        if provider_series_id:
            try:
                ids = json.loads(series.provider_ids or "{}")
            except ValueError:
                ids = {}
            if not isinstance(ids, dict):
                ids = {}
            ids[source] = provider_series_id
            series.provider_ids = json.dumps(ids, sort_keys=True)
            self.session.flush()

    def set_total(self, series_id: int, total_count: int | None) -> None:
        """The count of books providers know in the series (None: no provider knows)."""
        self._set(series_id, total_count=total_count)

    def add_checks(self, series_id: int, checked_at: datetime,
                   counts: Sequence[tuple[str, int, int, int | None]], sources: Sequence[str]) -> None:
        """One check: (media kind, owned, missing, total) for each kind, and the sources used."""
        joined = ",".join(sources)
        self.session.add_all([SeriesCheck(series_id=series_id, checked_at=checked_at, media_kind=kind, owned=owned,
                                          missing=missing, total=total, sources=joined)
                              for kind, owned, missing, total in counts])
        self.session.flush()

    def set_monitored(self, series_id: int, monitored: bool) -> None:
        self._set(series_id, monitored=monitored)

    def set_ignored(self, series_id: int, ignored: bool) -> None:
        self._set(series_id, ignored=ignored)

    def forget_listings(self, series_id: int) -> None:
        self.session.execute(delete(SeriesListing).where(SeriesListing.series_id == series_id))

    def _set(self, series_id: int, **values: object) -> None:
        done = self.session.execute(update(Series).where(Series.id == series_id).values(**values))
        if not done.rowcount:
            raise NotFoundError(f"There is no series with id {series_id} in this library.")
