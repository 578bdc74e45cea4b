"""Download rows: what the queue and the download clients fetch, and what became of it.

The download queue (kind "http") and the torrent/usenet clients share this table, so the
Downloads view lists every source in one place. Rows leave as ``DownloadRecord``s.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.data.models import Download
from bookdesk.errors import NotFoundError
from bookdesk.redaction import redact_text, storable_url

# A row in one of these is still somebody's business: the queue resumes it at start.
ACTIVE_STATES = ("queued", "running", "paused")
# A row in one of these is done with; retrying one starts it again.
FINISHED_STATES = ("completed", "failed", "imported", "cancelled")
STATES = ACTIVE_STATES + FINISHED_STATES


@dataclass(slots=True)
class DownloadDraft:
    """A download about to be added: what is known before anything is fetched."""

    url: str
    source: str
    kind: str = "http"
    title: str | None = None
    work_id: int | None = None
    expected_format: str | None = None
    media_kind: str | None = None
    import_after: bool = True
    indexer: str | None = None
    guid: str | None = None
    client: str | None = None
    client_id: str | None = None
    save_path: str | None = None
    correlation_id: str | None = None
    state: str = "queued"
    file_name: str | None = None


# Columns ``update`` may change; id and created_at never change once written.
_UPDATABLE = frozenset(c.name for c in Download.__table__.columns) - {"id", "created_at"}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class DownloadRepository:
    """Reads and writes download rows within the caller's session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ----- writing ---------------------------------------------------------------------

    def add(self, draft: DownloadDraft) -> int:
        """Insert a row for ``draft``; returns its id."""
        if draft.state not in STATES:
            raise ValueError(f"Unknown download state {draft.state!r}.")
        now = _now()
        values = _storable({f.name: getattr(draft, f.name) for f in fields(draft)})
        row = Download(**values, bytes_done=0, attempts=0, created_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return row.id

    def update(self, download_id: int, **values: object) -> None:
        """Set the given columns of one row (and its updated_at)."""
        unknown = set(values) - _UPDATABLE
        if unknown:
            raise ValueError(f"Downloads have no column(s) {', '.join(sorted(unknown))}.")
        if "state" in values and values["state"] not in STATES:
            raise ValueError(f"Unknown download state {values['state']!r}.")
        row = self._row(download_id)
        for name, value in _storable(values).items():
            setattr(row, name, value)
        row.updated_at = _now()
        self.session.flush()

    def set_state(self, download_id: int, state: str, error: str | None = None) -> None:
        """Move a row to ``state``; ``error`` replaces last_error (None clears it)."""
        self.update(download_id, state=state, last_error=error)

    def delete(self, download_id: int) -> None:
        self.session.execute(delete(Download).where(Download.id == download_id))

    # ----- reading ---------------------------------------------------------------------

    def get(self, download_id: int) -> DownloadRecord:
        return _record(self._row(download_id))

    def find(self, download_id: int) -> DownloadRecord | None:
        row = self.session.get(Download, download_id)
        return None if row is None else _record(row)

    def active(self, kind: str | None = None) -> list[DownloadRecord]:
        """Rows still queued, running or paused (of one kind, when given), oldest first."""
        query = select(Download).where(Download.state.in_(ACTIVE_STATES))
        if kind is not None:
            query = query.where(Download.kind == kind)
        return [_record(d) for d in self.session.execute(query.order_by(Download.id)).scalars()]

    def uses_url(self, url: str) -> bool:
        """Whether any row, in any state, is of ``url``."""
        return self.session.execute(select(Download.id).where(Download.url == url).limit(1)).first() is not None

    def recent(self, limit: int = 500) -> list[DownloadRecord]:
        """The most recently changed rows first, as the Downloads view lists them."""
        rows = self.session.execute(
            select(Download).order_by(Download.updated_at.desc(), Download.id.desc()).limit(limit)).scalars()
        return [_record(d) for d in rows]

    def others_with_ref(self, correlation_id: str, besides: int) -> bool:
        """Whether a download other than ``besides`` carries ``correlation_id`` (one job queues many)."""
        query = select(Download.id).where(Download.correlation_id == correlation_id, Download.id != besides)
        return self.session.execute(query.limit(1)).first() is not None

    def by_guid(self, indexer: str | None, guid: str) -> list[DownloadRecord]:
        """Rows for one release (newest first), so it is not grabbed twice."""
        query = select(Download).where(Download.guid == guid)
        if indexer is not None:
            query = query.where(Download.indexer == indexer)
        return [_record(d) for d in self.session.execute(query.order_by(Download.id.desc())).scalars()]

    def _row(self, download_id: int) -> Download:
        row = self.session.get(Download, download_id)
        if row is None:
            raise NotFoundError(f"There is no download with id {download_id}.")
        return row


def _storable(values: dict[str, object]) -> dict[str, object]:
    """``values`` as they may be written: an address without its credentials (those live in the
    keyring; the queue takes them out before it gets here), an error without any secret it quoted."""
    out = dict(values)
    if isinstance(out.get("url"), str):
        out["url"] = storable_url(out["url"])  # type: ignore[arg-type]
    if isinstance(out.get("last_error"), str):
        out["last_error"] = redact_text(out["last_error"])  # type: ignore[arg-type]
    return out


def _record(d: Download) -> DownloadRecord:
    return DownloadRecord(
        id=d.id, work_id=d.work_id, source=d.source, url=d.url, state=d.state,
        bytes_total=d.bytes_total, bytes_done=d.bytes_done or 0, last_error=d.last_error,
        correlation_id=d.correlation_id, updated_at=d.updated_at, kind=d.kind or "http", title=d.title,
        file_name=d.file_name, expected_format=d.expected_format, media_kind=d.media_kind,
        part_path=d.part_path, path=d.path, validator=d.validator,
        import_after=True if d.import_after is None else bool(d.import_after), attempts=d.attempts or 0,
        next_retry_at=d.next_retry_at, client=d.client, client_id=d.client_id, indexer=d.indexer,
        guid=d.guid, save_path=d.save_path, created_at=d.created_at)
