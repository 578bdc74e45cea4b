"""Job rows: what ran, when, how it ended, under which correlation id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bookdesk.data.catalog_rows import JobRecord
from bookdesk.data.job_interruptions import INTERRUPTED, INTERRUPTED_MESSAGE, abandon_unfinished  # noqa: F401
from bookdesk.data.models import Job
from bookdesk.data.work_repository import now
from bookdesk.redaction import redact_text

FINISHED_STATES = ("succeeded", "failed", "cancelled")


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, kind: str, title: str, correlation_id: str) -> JobRecord | None:
        """A new queued job; None when ``correlation_id`` is taken (the caller draws another)."""
        if self.session.execute(select(Job.id).where(Job.correlation_id == correlation_id)).first():
            return None
        job = Job(kind=kind, title=redact_text(title), state="queued", correlation_id=correlation_id,
                  created_at=now(), progress=0.0, message="")
        self.session.add(job)
        self.session.flush()
        return _record(job)

    def started(self, correlation_id: str) -> None:
        self._update(correlation_id, state="running", started_at=now())

    def progressed(self, correlation_id: str, fraction: float, message: str) -> None:
        self._update(correlation_id, progress=fraction, message=message)

    def finished(self, correlation_id: str, state: str, *, summary: str | None = None,
                 error: str | None = None) -> None:
        if state not in FINISHED_STATES:
            raise ValueError(f"not a finished state: {state}")
        values: dict[str, object] = {"state": state, "finished_at": now(), "summary": summary, "error": error}
        if state == "succeeded":
            values["progress"] = 1.0
        self._update(correlation_id, **values)

    def get(self, correlation_id: str) -> JobRecord | None:
        job = self.session.execute(select(Job).where(Job.correlation_id == correlation_id)).scalar()
        return _record(job) if job else None

    def recent(self, limit: int = 200) -> list[JobRecord]:
        jobs = self.session.execute(select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit))
        return [_record(j) for j in jobs.scalars()]

    def abandon_unfinished(self) -> int:
        """Jobs left queued or running by a process that died are marked interrupted on the next start
        (by whoever holds the library, so no live job of another process is touched)."""
        self.session.flush()
        return abandon_unfinished(self.session.connection().connection.driver_connection)

    def prune(self, before: datetime, failed_before: datetime) -> int:
        """Forget finished jobs created before ``before``, failed ones only before ``failed_before`` (their
        errors are kept longer, for whoever comes asking about a reference). Unfinished jobs stay."""
        old = or_(and_(Job.state.in_(("failed", INTERRUPTED)), Job.created_at < failed_before),
                  and_(Job.state.in_(("succeeded", "cancelled")), Job.created_at < before))
        result = self.session.execute(delete(Job).where(old))
        return result.rowcount or 0

    def _update(self, correlation_id: str, **values: object) -> None:
        for name in ("message", "summary", "error"):  # they may quote a server, or an address
            if isinstance(values.get(name), str):
                values[name] = redact_text(values[name])  # type: ignore[arg-type]
        self.session.execute(update(Job).where(Job.correlation_id == correlation_id).values(**values))


def _record(job: Job) -> JobRecord:
    return JobRecord(id=job.id, kind=job.kind, title=job.title, state=job.state,
                     correlation_id=job.correlation_id, created_at=job.created_at, started_at=job.started_at,
                     finished_at=job.finished_at, progress=job.progress, message=job.message,
                     summary=job.summary, error=job.error)
