"""The ``downloads`` table in plain SQL over a DB-API connection: the one copy of its queries.

``DownloadRepository`` (data/download_repository.py) runs these over a SQLAlchemy session's own
connection, inside its transaction; ``bookdesk fetch --no-import`` runs them over a plain ``sqlite3``
connection (data/plain_catalog.py), so a small fetch does not import SQLAlchemy and map every model
first (bench/cli_start.py). Values are stored as SQLAlchemy stores them (datetimes as
``YYYY-MM-DD HH:MM:SS.ffffff`` text, booleans as 0/1), so either path reads what the other wrote.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from bookdesk.data.catalog_rows import DownloadRecord
from bookdesk.errors import NotFoundError
from bookdesk.redaction import redact_text, storable_url

# A row in one of these is still somebody's business: the queue resumes it at start.
ACTIVE_STATES = ("queued", "running", "paused")
# A row in one of these is done with; retrying one starts it again.
FINISHED_STATES = ("completed", "failed", "imported", "cancelled")
STATES = ACTIVE_STATES + FINISHED_STATES

# The table's columns, in the order DownloadRecord is made from (models.Download; a test checks both agree).
COLUMNS = ("id", "work_id", "source", "url", "client", "client_id", "state", "bytes_total", "bytes_done",
           "attempts", "next_retry_at", "last_error", "correlation_id", "created_at", "updated_at", "kind",
           "title", "file_name", "expected_format", "media_kind", "part_path", "path", "validator",
           "import_after", "indexer", "guid", "save_path")
# Columns ``update`` may change; id and created_at never change once written.
UPDATABLE = frozenset(COLUMNS) - {"id", "created_at"}
_DATETIMES = frozenset({"next_retry_at", "created_at", "updated_at"})
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM downloads"


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


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class DownloadTable:
    """Reads and writes download rows over ``connection``, in the caller's transaction (the caller commits)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    # ----- writing ---------------------------------------------------------------------

    def add(self, draft: DownloadDraft) -> int:
        """Insert a row for ``draft``; returns its id."""
        if draft.state not in STATES:
            raise ValueError(f"Unknown download state {draft.state!r}.")
        stamp = now()
        values = _storable({f.name: getattr(draft, f.name) for f in fields(draft)})
        values.update(bytes_done=0, attempts=0, created_at=stamp, updated_at=stamp)
        names = list(values)
        cursor = self.connection.execute(
            f"INSERT INTO downloads ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [_stored(n, values[n]) for n in names])
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def update(self, download_id: int, **values: object) -> None:
        """Set the given columns of one row (and its updated_at)."""
        unknown = set(values) - UPDATABLE
        if unknown:
            raise ValueError(f"Downloads have no column(s) {', '.join(sorted(unknown))}.")
        if "state" in values and values["state"] not in STATES:
            raise ValueError(f"Unknown download state {values['state']!r}.")
        changes = {**_storable(values), "updated_at": now()}
        assignments = ", ".join(f"{name} = ?" for name in changes)
        cursor = self.connection.execute(f"UPDATE downloads SET {assignments} WHERE id = ?",
                                         [*(_stored(n, v) for n, v in changes.items()), download_id])
        if cursor.rowcount == 0:
            raise NotFoundError(f"There is no download with id {download_id}.")

    def set_state(self, download_id: int, state: str, error: str | None = None) -> None:
        """Move a row to ``state``; ``error`` replaces last_error (None clears it)."""
        self.update(download_id, state=state, last_error=error)

    def delete(self, download_id: int) -> None:
        self.connection.execute("DELETE FROM downloads WHERE id = ?", (download_id,))

    # ----- reading ---------------------------------------------------------------------

    def get(self, download_id: int) -> DownloadRecord:
        record = self.find(download_id)
        if record is None:
            raise NotFoundError(f"There is no download with id {download_id}.")
        return record

    def find(self, download_id: int) -> DownloadRecord | None:
        row = self.connection.execute(f"{_SELECT} WHERE id = ?", (download_id,)).fetchone()
        return None if row is None else record_of(row)

    def active(self, kind: str | None = None) -> list[DownloadRecord]:
        """Rows still queued, running or paused (of one kind, when given), oldest first."""
        where, params = f"state IN ({', '.join('?' * len(ACTIVE_STATES))})", list(ACTIVE_STATES)
        if kind is not None:
            where, params = where + " AND kind = ?", [*params, kind]
        return self._records(f"{_SELECT} WHERE {where} ORDER BY id", params)

    def uses_url(self, url: str) -> bool:
        """Whether any row, in any state, is of ``url``."""
        return self.connection.execute("SELECT 1 FROM downloads WHERE url = ? LIMIT 1", (url,)).fetchone() is not None

    def recent(self, limit: int = 500) -> list[DownloadRecord]:
        """The most recently changed rows first, as the Downloads view lists them."""
        return self._records(f"{_SELECT} ORDER BY updated_at DESC, id DESC LIMIT ?", [limit])

    def others_with_ref(self, correlation_id: str, besides: int) -> bool:
        """Whether a download other than ``besides`` carries ``correlation_id`` (one job queues many)."""
        row = self.connection.execute("SELECT 1 FROM downloads WHERE correlation_id = ? AND id != ? LIMIT 1",
                                      (correlation_id, besides)).fetchone()
        return row is not None

    def by_guid(self, indexer: str | None, guid: str) -> list[DownloadRecord]:
        """Rows for one release (newest first), so it is not grabbed twice."""
        if indexer is None:
            return self._records(f"{_SELECT} WHERE guid = ? ORDER BY id DESC", [guid])
        return self._records(f"{_SELECT} WHERE guid = ? AND indexer = ? ORDER BY id DESC", [guid, indexer])

    def _records(self, sql: str, params: list[object]) -> list[DownloadRecord]:
        return [record_of(row) for row in self.connection.execute(sql, params)]


def _storable(values: dict[str, object]) -> dict[str, object]:
    """``values`` as they may be written: an address without its credentials (those live in the
    keyring; the queue takes them out before it gets here), an error without any secret it quoted."""
    out = dict(values)
    if isinstance(out.get("url"), str):
        out["url"] = storable_url(out["url"])  # type: ignore[arg-type]
    if isinstance(out.get("last_error"), str):
        out["last_error"] = redact_text(out["last_error"])  # type: ignore[arg-type]
    return out


def _stored(name: str, value: object) -> object:
    """A value as SQLAlchemy's SQLite types store it, so the ORM reads it back the same."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    if name in _DATETIMES and value is not None:
        raise TypeError(f"{name} takes a datetime, not {value!r}.")
    return value


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def record_of(row: tuple) -> DownloadRecord:
    """A row selected as ``COLUMNS`` as the record that leaves the layer."""
    d = dict(zip(COLUMNS, row, strict=True))
    return DownloadRecord(
        id=d["id"], work_id=d["work_id"], source=d["source"], url=d["url"], state=d["state"],
        bytes_total=d["bytes_total"], bytes_done=d["bytes_done"] or 0, last_error=d["last_error"],
        correlation_id=d["correlation_id"], updated_at=_moment(d["updated_at"]),  # type: ignore[arg-type]
        kind=d["kind"] or "http", title=d["title"], file_name=d["file_name"],
        expected_format=d["expected_format"], media_kind=d["media_kind"], part_path=d["part_path"], path=d["path"],
        validator=d["validator"], import_after=True if d["import_after"] is None else bool(d["import_after"]),
        attempts=d["attempts"] or 0, next_retry_at=_moment(d["next_retry_at"]), client=d["client"],
        client_id=d["client_id"], indexer=d["indexer"], guid=d["guid"], save_path=d["save_path"],
        created_at=_moment(d["created_at"]))
