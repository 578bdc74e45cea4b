"""What imports remember: the sources they have seen, and the journal of uncommitted placements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bookdesk.data.models import File, Identifier, ImportJournalEntry, ImportSource
from bookdesk.data.work_repository import now


@dataclass(frozen=True, slots=True)
class SourceRecord:
    source_path: str
    target_path: str | None
    size: int
    mtime_ns: int
    content_hash: str
    work_id: int
    file_id: int | None
    created_work: bool
    mode: str
    correlation_id: str


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ----- what the library holds, for recognising duplicates ------------------------------

    def file_hashes(self) -> dict[str, int]:
        return dict(self.session.execute(select(File.content_hash, File.work_id)).all())

    def file_paths(self) -> set[str]:
        return set(self.session.execute(select(File.path)).scalars())

    def identifier_index(self, schemes: Sequence[str] = ("isbn", "asin")) -> dict[tuple[str, str], int]:
        rows = self.session.execute(
            select(Identifier.scheme, Identifier.value, Identifier.work_id).where(Identifier.scheme.in_(schemes)))
        return {(scheme, value): work_id for scheme, value, work_id in rows}

    def database(self) -> str:
        """The catalog file's path: what tells one catalog from another in a cache kept per catalog."""
        return str(self.session.get_bind().url.database)

    def work_names(self) -> list[tuple[int, str, str]]:
        """(id, title, authors_display) of every work, as plain tuples (read in C, not as ORM rows)."""
        cursor = self.session.connection().connection.driver_connection
        return cursor.execute("SELECT id, title, authors_display FROM works").fetchall()

    def work_formats(self) -> list[tuple[int, str]]:
        """(work id, format) of every file."""
        cursor = self.session.connection().connection.driver_connection
        return cursor.execute("SELECT work_id, format FROM files").fetchall()

    def seen_sources(self) -> dict[str, tuple[int, int, int]]:
        """source path -> (size, mtime_ns, work id) of the newest import of each path still in the library."""
        rows = self.session.execute(
            select(ImportSource.source_path, ImportSource.size, ImportSource.mtime_ns, ImportSource.work_id)
            .order_by(ImportSource.id))
        return {path: (size, mtime, work_id) for path, size, mtime, work_id in rows}

    # ----- recording -------------------------------------------------------------------------

    def record_sources(self, records: Iterable[SourceRecord]) -> None:
        rows = [{"source_path": r.source_path, "target_path": r.target_path, "size": r.size, "mtime_ns": r.mtime_ns,
                 "content_hash": r.content_hash, "work_id": r.work_id, "file_id": r.file_id,
                 "created_work": r.created_work, "mode": r.mode, "correlation_id": r.correlation_id,
                 "imported_at": now()} for r in records]
        if rows:
            self.session.execute(insert(ImportSource.__table__), rows)  # Core: no ORM bookkeeping per row

    def sources_of(self, correlation_id: str) -> list[SourceRecord]:
        rows = self.session.execute(
            select(ImportSource).where(ImportSource.correlation_id == correlation_id).order_by(ImportSource.id))
        return [SourceRecord(r.source_path, r.target_path, r.size, r.mtime_ns, r.content_hash, r.work_id,
                             r.file_id, r.created_work, r.mode, r.correlation_id) for r in rows.scalars()]

    def forget_sources(self, correlation_id: str) -> None:
        self.session.execute(delete(ImportSource).where(ImportSource.correlation_id == correlation_id))

    def last_import(self) -> str | None:
        """The correlation id of the newest import that added anything still in the library."""
        return self.session.execute(
            select(ImportSource.correlation_id).where(ImportSource.file_id.is_not(None))
            .order_by(ImportSource.id.desc()).limit(1)).scalar()

    # ----- the journal -----------------------------------------------------------------------

    def journal(self, entries: Iterable[tuple[str, str]], correlation_id: str) -> list[int]:
        """Note (target, source) placements about to happen; returns the entry ids."""
        rows = [{"target_path": target, "source_path": source, "correlation_id": correlation_id,
                 "created_at": now()} for target, source in entries]
        if not rows:
            return []
        return list(self.session.execute(
            insert(ImportJournalEntry).returning(ImportJournalEntry.id, sort_by_parameter_order=True), rows).scalars())

    def clear_journal(self, entry_ids: Iterable[int]) -> None:
        ids = list(entry_ids)
        for start in range(0, len(ids), 900):
            self.session.execute(delete(ImportJournalEntry).where(ImportJournalEntry.id.in_(ids[start:start + 900])))

    def uncommitted(self) -> list[tuple[int, str, str]]:
        """(entry id, target, source) of placements whose batch never committed."""
        return list(self.session.execute(
            select(ImportJournalEntry.id, ImportJournalEntry.target_path, ImportJournalEntry.source_path)))
