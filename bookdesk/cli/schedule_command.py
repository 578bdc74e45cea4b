"""``bookdesk schedule [--library DIR] [--json]``: the scheduled jobs and when they run next.

It only reads, so it shares the library with a running BookDesk.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from bookdesk.cli.output import add_json_option, emit_json, say
from bookdesk.core.library_service import LibraryService
from bookdesk.core.scheduler.context import SchedulerContext
from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.scheduler import Scheduler
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import load_settings

add_arguments = add_json_option  # --json is its one option


def main(args: argparse.Namespace, library: Path) -> int:
    service = LibraryService.open(library, exclusive=False, create=False)
    try:
        # Listing needs no secrets: the keyring is not asked.
        entries = Scheduler(SchedulerContext(service, load_settings(), InMemorySecretStore())).entries()
    finally:
        service.close()
    if args.json:
        emit_json({"jobs": [entry_json(e) for e in entries]})
        return 0
    for entry in entries:
        say(entry_text(entry))
    return 0


def entry_json(entry: ScheduleEntry) -> dict:
    return {"kind": entry.kind, "title": entry.title, "enabled": entry.enabled, "interval": entry.interval_seconds,
            "last_run": iso(entry.last_run), "next_run": iso(entry.next_run), "running": entry.running}


def entry_text(entry: ScheduleEntry) -> str:
    state = "running" if entry.running else ("on" if entry.enabled else "off")
    last = _when(entry.last_run) or "never"
    upcoming = (_when(entry.next_run) or "when next synced") if entry.enabled else "-"
    return (f"{entry.kind:<17} {state:<8} every {duration(entry.interval_seconds):<9} "
            f"last {last:<17} next {upcoming}   {entry.title}")


def iso(when: datetime | None) -> str | None:
    """ISO 8601 in UTC (the catalog keeps naive UTC times)."""
    return None if when is None else when.replace(microsecond=0).isoformat() + "Z"


def _when(when: datetime | None) -> str | None:
    return None if when is None else when.strftime("%Y-%m-%d %H:%M") + "Z"


def duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
