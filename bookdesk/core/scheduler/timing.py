"""When a scheduled job runs next: the rules, apart from any clock or catalog.

A run is planned from the moment the last one started, not from the slot it was meant for:
after a week with the laptop shut, a daily job is due once and then a day after that, never
seven times in a row. A little jitter (a few percent of the interval, only ever later) keeps
several libraries or several jobs from all asking the same server at the same second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bookdesk.errors import UsageError

JITTER_FRACTION = 0.05
MIN_INTERVAL = 60  # seconds; the shortest a person may set (polling the clients every minute)
MAX_INTERVAL = 366 * 24 * 3600

Draw = Callable[[], float]  # a number in [0, 1), as random.random gives


def jitter(interval_seconds: int, draw: Draw) -> timedelta:
    """Somewhere between nothing and ``JITTER_FRACTION`` of the interval."""
    fraction = min(max(draw(), 0.0), 1.0)
    return timedelta(seconds=interval_seconds * JITTER_FRACTION * fraction)


def next_run(started: datetime, interval_seconds: int, draw: Draw) -> datetime:
    """When a job that started at ``started`` runs again."""
    return started + timedelta(seconds=interval_seconds) + jitter(interval_seconds, draw)


def is_due(next_run_at: datetime | None, now: datetime) -> bool:
    return next_run_at is None or next_run_at <= now


def replanned(last_run: datetime | None, planned: datetime | None, interval_seconds: int,
              draw: Draw) -> datetime | None:
    """The next run after the interval changed: one new interval after the last run (so a shorter
    interval can make the job due at once); a job that never ran keeps its plan."""
    return next_run(last_run, interval_seconds, draw) if last_run is not None else planned


def check_interval(seconds: int) -> int:
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        raise UsageError("An interval is a whole number of seconds.")
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise UsageError(f"A job runs at most every {MIN_INTERVAL} seconds and at least once a year.")
    return seconds
