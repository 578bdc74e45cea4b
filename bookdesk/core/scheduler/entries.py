"""What the scheduler tells the settings page, the tray and ``bookdesk schedule``/``sync``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    kind: str
    title: str
    enabled: bool
    interval_seconds: int
    last_run: datetime | None  # naive UTC, as every time here
    next_run: datetime | None  # None: never planned, due at the first chance
    running: bool
    needs_network: bool = False
    correlation_id: str | None = None  # the running job's
    waiting_for_network: bool = False  # due, and held back because the network is down
    follows_requests: bool = False  # runs while paused: it carries on what the person asked for
    when_off: str | None = None  # what switching it off leaves undone, in words
    last_outcome: str | None = None  # how its newest finished job ended: succeeded, failed or cancelled


@dataclass(frozen=True, slots=True)
class StartedRun:
    kind: str
    correlation_id: str


@dataclass(frozen=True, slots=True)
class SyncResult:
    kind: str
    status: str  # succeeded, failed, cancelled; skipped (not set up), offline, running (already),
    # waiting (for the person's go-ahead: it would touch many books; the summary is the question)
    correlation_id: str | None
    summary: str | None
