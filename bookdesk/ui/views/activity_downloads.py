"""Downloads as rows of the Activity view. A download runs under its own Ref, outside any job, and the
Downloads view shows that Ref: a person who looks it up in Activity must find it there, with its log, as
they would a job's. A download started by a job (a grab of a wanted book) shares that job's Ref, and the
job's row stands for it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bookdesk.data.catalog_rows import DownloadRecord, JobRecord

KIND = "download"
# A download's states as the job states Activity knows; "paused" is its own.
STATES = {"completed": "succeeded", "imported": "succeeded"}
RESULTS = {"completed": "Downloaded", "imported": "Downloaded and imported"}


def with_downloads(jobs: Sequence[JobRecord], downloads: Sequence[DownloadRecord]) -> list[JobRecord]:
    """``jobs`` and the downloads no job stands for, newest first."""
    known = {job.correlation_id for job in jobs}
    rows = list(jobs) + [as_job(d) for d in downloads if d.correlation_id and d.correlation_id not in known]
    return sorted(rows, key=lambda job: job.started_at or job.created_at or datetime.min, reverse=True)


def as_job(download: DownloadRecord) -> JobRecord:
    finished = download.state in ("completed", "imported", "failed", "cancelled")
    if download.bytes_total:
        progress = min(download.bytes_done / download.bytes_total, 1.0)
    else:
        progress = 1.0 if download.state in RESULTS else 0.0
    name = download.title or download.file_name or download.url
    return JobRecord(id=-download.id, kind=KIND, title=f"Download {name}",
                     state=STATES.get(download.state, download.state), correlation_id=download.correlation_id or "",
                     created_at=download.created_at or download.updated_at, started_at=None,
                     finished_at=download.updated_at if finished else None, progress=progress, message="",
                     summary=RESULTS.get(download.state), error=download.last_error if download.state == "failed"
                     else None)
