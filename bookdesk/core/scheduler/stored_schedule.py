"""The schedule as the catalog keeps it: for each kind, switched on or not, its interval, when it ran
and when it runs next; with the defaults of kinds never stored (due at once), and the next run
planned from the interval and the jitter."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from bookdesk.core.scheduler import timing
from bookdesk.core.scheduler.clock import Clock
from bookdesk.core.scheduler.kinds import JobKind
from bookdesk.data.catalog import Catalog
from bookdesk.data.models import Job
from bookdesk.data.schedule_repository import ScheduleRepository, ScheduleRow

log = logging.getLogger(__name__)

FINISHED = ("succeeded", "failed", "cancelled")


class StoredSchedule:
    def __init__(self, catalog: Catalog, kinds: Sequence[JobKind], clock: Clock, draw: timing.Draw) -> None:
        self.catalog, self.kinds, self.clock, self.draw = catalog, tuple(kinds), clock, draw
        self._lock = threading.Lock()
        self._seeded = False

    def rows(self) -> dict[str, ScheduleRow]:
        """The stored rows, with the defaults of kinds not stored yet (never run: due at once)."""
        with self.catalog.read() as session:
            stored = ScheduleRepository(session).rows()
        return {kind.name: stored.get(kind.name) or ScheduleRow(kind.name, kind.interval_seconds, True, None, None)
                for kind in self.kinds}

    def seed(self) -> None:
        """Store the default row of every kind that has none, due now (first use of a library)."""
        with self._lock:
            if self._seeded:
                return
            with self.catalog.write() as session:
                added = ScheduleRepository(session).seed({k.name: k.interval_seconds for k in self.kinds},
                                                         next_run=self.clock.now())
            if added:
                log.info("scheduled jobs added: %s", ", ".join(added))
            self._seeded = True

    def ran(self, kind: JobKind, started: datetime, *, cancelled: bool = False) -> None:
        """Record a run once it has ended (done or failed), planned on from when it started; one the
        person cancelled is planned on the same way but is no run (its last run stays as it was). Nothing
        is recorded at the start: a run killed midway leaves the schedule as it was, so the job is due
        again at the next start rather than one interval later."""
        try:
            interval = self.rows()[kind.name].interval_seconds
            ran = {} if cancelled else {"last_run": started}
            with self.catalog.write() as session:
                ScheduleRepository(session).update(kind.name, next_run=timing.next_run(started, interval, self.draw),
                                                   **ran)
        except Exception:  # the run's own outcome is what its job reports; this only costs a run too many
            log.exception("the end of a scheduled run could not be recorded", extra={"kind": kind.name})

    def last_outcomes(self) -> dict[str, str]:
        """How the newest finished job of each kind ended (succeeded, failed, cancelled), by kind."""
        names = [kind.name for kind in self.kinds]
        newest = (select(func.max(Job.id)).where(Job.kind.in_(names), Job.state.in_(FINISHED))
                  .group_by(Job.kind))
        with self.catalog.read() as session:
            rows = session.execute(select(Job.kind, Job.state).where(Job.id.in_(newest))).all()
        return {kind: state for kind, state in rows}

    def skip(self, kind: JobKind, now: datetime, reason: str) -> None:
        """Not set up, or nothing to do: no Job row, and no asking again until one interval later."""
        log.info("scheduled job skipped: %s", reason, extra={"kind": kind.name})
        interval = self.rows()[kind.name].interval_seconds
        with self.catalog.write() as session:
            ScheduleRepository(session).update(kind.name, next_run=timing.next_run(now, interval, self.draw))

    def set_enabled(self, kind: JobKind, enabled: bool) -> None:
        self.seed()
        with self.catalog.write() as session:
            ScheduleRepository(session).update(kind.name, enabled=bool(enabled))

    def set_interval(self, kind: JobKind, seconds: int) -> None:
        timing.check_interval(seconds)
        self.seed()
        with self.catalog.write() as session:
            repo = ScheduleRepository(session)
            row = repo.get(kind.name)
            assert row is not None  # seeded above
            planned = timing.replanned(row.last_run, row.next_run, seconds, self.draw)
            repo.update(kind.name, interval_seconds=seconds, next_run=planned)
