"""How the Scheduler page words intervals, times and states (plain functions, tested apart)."""

from __future__ import annotations

from datetime import UTC, datetime

from bookdesk.core.scheduler.entries import ScheduleEntry

UNITS: tuple[tuple[str, int], ...] = (("minutes", 60), ("hours", 3600), ("days", 86400))


def interval_parts(seconds: int) -> tuple[int, int]:
    """(count, unit seconds) in the largest unit that divides ``seconds`` evenly: 7200 -> (2, 3600)."""
    for _name, unit in reversed(UNITS):
        if seconds >= unit and seconds % unit == 0:
            return seconds // unit, unit
    return max(1, round(seconds / 60)), 60


def utc_now() -> datetime:
    """Now as the scheduler keeps times: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_text(moment: datetime) -> str:
    """A naive-UTC moment in this computer's time zone, e.g. "Tue 14 Jan, 09:30"."""
    return moment.replace(tzinfo=UTC).astimezone().strftime("%a %d %b %Y, %H:%M")


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        rest = minutes % 60
        return f"{hours} h {rest} min" if rest and hours < 6 else f"{hours} h"
    return f"{hours // 24} days"


def last_run_text(moment: datetime | None, now: datetime, outcome: str | None = None) -> str:
    """When it last ran; and, when its newest job was cancelled, that too (a cancelled try is no run)."""
    if moment is None:
        text = "Never"
    else:
        ago = (now - moment).total_seconds()
        text = "just now" if ago < 60 else f"{_span(ago)} ago"
    return f"{text}; last try cancelled" if outcome == "cancelled" else text


def next_run_text(entry: ScheduleEntry, now: datetime, paused: bool) -> str:
    if not entry.enabled:
        return "—"
    if entry.running:
        return "now"
    if entry.next_run is None or entry.next_run <= now:
        return "when resumed" if paused and not entry.follows_requests else "due now"
    return f"in {_span((entry.next_run - now).total_seconds())}"


def state_text(entry: ScheduleEntry, paused: bool) -> str:
    if entry.running:
        return f"Running (Ref {entry.correlation_id})" if entry.correlation_id else "Running"
    if not entry.enabled:
        return off_text(entry)
    if entry.waiting_for_network:
        return "Waiting for the network"
    if paused and not entry.follows_requests:  # it carries on what the person asked for: not paused
        return "Paused"
    return "Scheduled"


def off_text(entry: ScheduleEntry) -> str:
    """A job switched off, with what that leaves undone when it matters (no download client followed)."""
    return entry.when_off or "Off"
