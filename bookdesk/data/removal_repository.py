"""The ``removals`` table: what a removal, format removal, merge or split kept to be undone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from bookdesk.data import work_snapshot
from bookdesk.data.models import Removal


@dataclass(frozen=True)
class RemovalRecord:
    id: int
    correlation_id: str
    action: str  # remove, remove-format, merge, split
    snapshot: dict  # data/work_snapshot.py
    trashed: list[dict]  # core/removal/trash.py's TrashedFile, as dicts


class RemovalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, correlation_id: str, action: str, snapshot: dict, trashed: list[dict]) -> int:
        row = Removal(correlation_id=correlation_id, action=action, snapshot_json=work_snapshot.encode(snapshot),
                      trashed_json=json.dumps(trashed, ensure_ascii=False),
                      created_at=datetime.now(UTC).replace(tzinfo=None))
        self.session.add(row)
        self.session.flush()
        return row.id

    def pending(self, correlation_id: str) -> list[RemovalRecord]:
        """What this Ref changed and is not undone yet, newest first (undone in that order)."""
        rows = self.session.execute(select(Removal).where(Removal.correlation_id == correlation_id,
                                                          Removal.undone_at.is_(None))
                                    .order_by(Removal.id.desc())).scalars()
        return [RemovalRecord(r.id, r.correlation_id, r.action, work_snapshot.decode(r.snapshot_json),
                              json.loads(r.trashed_json)) for r in rows]

    def mark_undone(self, removal_id: int) -> None:
        row = self.session.get(Removal, removal_id)
        if row is not None:
            row.undone_at = datetime.now(UTC).replace(tzinfo=None)

    def removed_identifiers(self, scheme: str) -> dict[str, str]:
        """The values of one identifier scheme on books removed (or merged away) and not brought back, each with
        the Ref of its removal: what a source must not bring back by itself (a calibre library followed)."""
        rows = self.session.execute(sql(
            "SELECT json_extract(i.value, '$.value'), r.correlation_id FROM removals r, "
            "json_each(r.snapshot_json, '$.identifiers') i WHERE r.undone_at IS NULL AND r.action IN ('remove', 'merge') "
            "AND json_extract(i.value, '$.scheme') = :scheme ORDER BY r.id"), {"scheme": scheme})
        return {value: ref for value, ref in rows if value}

    def holding(self, *, path: str | None = None, work_id: int | None = None, since: int = 0) -> str | None:
        """The Ref of the newest removal not undone (made after record ``since``) that took this file or this
        book: what its undo waits for, to name to the person."""
        rows = self.session.execute(select(Removal.correlation_id, Removal.snapshot_json)
                                    .where(Removal.undone_at.is_(None), Removal.id > since)
                                    .order_by(Removal.id.desc())).all()
        for correlation_id, text in rows:
            snapshot = work_snapshot.decode(text)
            if (path is not None and path in work_snapshot.file_paths(snapshot)) or \
                    (work_id is not None and work_id in work_snapshot.titles(snapshot)):
                return correlation_id
        return None
