"""The blocklist: releases that failed once (would not download, were not the book, would not import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bookdesk.data.models import BlocklistEntry


@dataclass(frozen=True, slots=True)
class BlocklistRecord:
    id: int
    work_id: int | None
    indexer: str | None
    guid: str | None
    title: str
    reason: str
    correlation_id: str | None
    created_at: datetime


def _record(entry: BlocklistEntry) -> BlocklistRecord:
    return BlocklistRecord(entry.id, entry.work_id, entry.indexer, entry.guid, entry.title, entry.reason,
                           entry.correlation_id, entry.created_at)


class BlocklistRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, work_id: int | None, indexer: str | None, guid: str | None, title: str, reason: str,
            correlation_id: str | None, now: datetime) -> int:
        """Block a release; blocking one already blocked (same indexer and guid) keeps the first entry."""
        if guid:
            found = self.session.execute(select(BlocklistEntry.id).where(
                BlocklistEntry.indexer.is_(indexer) if indexer is None else BlocklistEntry.indexer == indexer,
                BlocklistEntry.guid == guid)).scalar()
            if found is not None:
                return found
        entry = BlocklistEntry(work_id=work_id, indexer=indexer, guid=guid, title=title, reason=reason,
                               correlation_id=correlation_id, created_at=now)
        self.session.add(entry)
        self.session.flush()
        return entry.id

    def entries(self, work_id: int | None = None) -> list[BlocklistRecord]:
        """Every entry (or those of one work and those tied to no work), newest first."""
        query = select(BlocklistEntry).order_by(BlocklistEntry.created_at.desc(), BlocklistEntry.id.desc())
        if work_id is not None:
            query = query.where(or_(BlocklistEntry.work_id == work_id, BlocklistEntry.work_id.is_(None)))
        return [_record(e) for e in self.session.execute(query).scalars()]

    def remove(self, entry_id: int) -> bool:
        """Unblock a release (the user thinks it deserves another try)."""
        return self.session.execute(delete(BlocklistEntry).where(BlocklistEntry.id == entry_id)).rowcount > 0
