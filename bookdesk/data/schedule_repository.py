"""Schedule rows: for each kind of scheduled job, whether it is on, how often it runs, when it ran
and when it runs next. Times are naive UTC, as everywhere in the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bookdesk.data.models import Schedule


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    kind: str
    interval_seconds: int
    enabled: bool
    last_run: datetime | None
    next_run: datetime | None  # None: never planned yet, so due at once


class ScheduleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(self) -> dict[str, ScheduleRow]:
        """Every stored row by kind; kinds this BookDesk no longer knows are the caller's to ignore."""
        found = self.session.execute(select(Schedule)).scalars()
        return {row.job_kind: _record(row) for row in found}

    def get(self, kind: str) -> ScheduleRow | None:
        row = self.session.execute(select(Schedule).where(Schedule.job_kind == kind)).scalar()
        return _record(row) if row else None

    def seed(self, defaults: Mapping[str, int], next_run: datetime) -> list[str]:
        """Add a row, on and due at ``next_run``, for each kind in ``defaults`` (kind -> interval in
        seconds) that has none; rows already there keep what the person chose. The kinds added."""
        have = set(self.session.execute(select(Schedule.job_kind)).scalars())
        added = [kind for kind in defaults if kind not in have]
        for kind in added:
            self.session.add(Schedule(job_kind=kind, interval_seconds=defaults[kind], enabled=True,
                                      last_run=None, next_run=next_run))
        self.session.flush()
        return added

    def update(self, kind: str, **values: object) -> None:
        """Change ``interval_seconds``, ``enabled``, ``last_run`` or ``next_run`` of a seeded row."""
        unknown = set(values) - {"interval_seconds", "enabled", "last_run", "next_run"}
        if unknown:
            raise ValueError(f"not a schedule field: {sorted(unknown)[0]}")
        result = self.session.execute(update(Schedule).where(Schedule.job_kind == kind).values(**values))
        if not result.rowcount:
            raise LookupError(f"no schedule row for {kind!r}; seed it first")


def _record(row: Schedule) -> ScheduleRow:
    return ScheduleRow(kind=row.job_kind, interval_seconds=row.interval_seconds or 0, enabled=bool(row.enabled),
                       last_run=row.last_run, next_run=row.next_run)
