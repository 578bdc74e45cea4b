"""What the local API reads, in plain SQL over a read-only DB-API connection: a page of the library list
(the window's own query, ``work_listing.ids_sql``, with its searches, shelves and sorts), one book's
file, and the state of a job by its correlation id."""

from __future__ import annotations

from dataclasses import dataclass

from bookdesk.data.catalog_rows import WorkDetail
from bookdesk.data.work_details import work_details
from bookdesk.data.work_listing import Connection, ids_sql

MAX_PAGE = 200  # books one page may hold; a client asking for more is refused, not trimmed


@dataclass(frozen=True, slots=True)
class BookPage:
    total: int  # books matching, on every page
    books: tuple[WorkDetail, ...]


@dataclass(frozen=True, slots=True)
class JobState:
    correlation_id: str
    kind: str
    title: str
    state: str  # queued, running, succeeded, failed, cancelled, interrupted
    progress: float
    message: str
    summary: str | None
    error: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None


def book_page(connection: Connection, *, search: str | None, sort: str, descending: bool, shelf: str | None,
              offset: int, limit: int) -> BookPage:
    """Books ``offset`` to ``offset + limit`` of the list the window would show with these choices."""
    if not 0 < limit <= MAX_PAGE or offset < 0:
        raise ValueError(f"a page is 1 to {MAX_PAGE} books from an offset of 0 or more")
    sql, params = ids_sql(search, sort, descending, shelf)
    total = connection.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]  # type: ignore[attr-defined]
    ids = [r[0] for r in connection.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset])]  # type: ignore[attr-defined]
    return BookPage(total, tuple(work_details(connection, ids)))


def book(connection: Connection, work_id: int) -> WorkDetail | None:
    found = work_details(connection, [work_id])
    return found[0] if found else None


def job_state(connection: Connection, correlation_id: str) -> JobState | None:
    row = connection.execute(  # type: ignore[attr-defined]
        "SELECT correlation_id, kind, title, state, progress, message, summary, error, created_at, started_at, "
        "finished_at FROM jobs WHERE correlation_id = ?", [correlation_id]).fetchone()
    return None if row is None else JobState(*row[:4], float(row[4] or 0), row[5] or "", *row[6:])


_FINISHED = ("completed", "imported", "failed", "cancelled")


def download_state(connection: Connection, correlation_id: str) -> JobState | None:
    """A download in the queue followed as a job: its state, and its bytes as progress."""
    row = connection.execute(  # type: ignore[attr-defined]
        "SELECT correlation_id, state, title, bytes_total, bytes_done, last_error, created_at, updated_at "
        "FROM downloads WHERE correlation_id = ? ORDER BY id DESC LIMIT 1", [correlation_id]).fetchone()
    if row is None:
        return None
    ref, state, title, total, done, error, created, updated = row
    finished = updated if state in _FINISHED else None
    return JobState(ref, "download", title or "", state,
                    (done or 0) / total if total else 0.0, "", None, error, created, None, finished)
