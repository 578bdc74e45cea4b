"""Download rows, as the Downloads view lists them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookdesk.data.models import Download
from bookdesk.data.records import DownloadRecord


class DownloadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def recent(self, limit: int = 500) -> list[DownloadRecord]:
        rows = self.session.execute(
            select(Download).order_by(Download.updated_at.desc(), Download.id.desc()).limit(limit)).scalars()
        return [
            DownloadRecord(id=d.id, work_id=d.work_id, source=d.source, url=d.url, state=d.state,
                           bytes_total=d.bytes_total, bytes_done=d.bytes_done, last_error=d.last_error,
                           correlation_id=d.correlation_id, updated_at=d.updated_at)
            for d in rows
        ]
