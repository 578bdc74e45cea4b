"""Download rows: what the queue and the download clients fetch, and what became of it.

The download queue (kind "http") and the torrent/usenet clients share this table, so the
Downloads view lists every source in one place. Rows leave as ``DownloadRecord``s. The queries are
data/download_table.py's, run here over the session's own connection and inside its transaction,
so ``bookdesk fetch --no-import`` runs the very same SQL without SQLAlchemy.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bookdesk.data.download_table import (  # noqa: F401 - known by these names here too
    ACTIVE_STATES,
    FINISHED_STATES,
    STATES,
    DownloadDraft,
    DownloadTable,
)


class DownloadRepository(DownloadTable):
    """Reads and writes download rows within the caller's session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        session.flush()  # what the session holds unwritten (a new work a row points at) is in the file first
        super().__init__(session.connection().connection.driver_connection)
