"""A scheduled run killed midway (kill -9, a power cut) is due again at the next start, not one
interval later: a watch folder full of books must not wait an hour for the next rescan."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bookdesk.data.catalog import open_catalog
from tests.faults.conftest import KILLED

# The network probe asks the first metadata provider's host: here a port nobody listens on, so only
# the jobs that need no network run.
OFFLINE = {"BOOKDESK_HARDCOVER_URL": "http://127.0.0.1:9/v1/graphql"}


def schedule(bookdesk_process, library: Path) -> dict[str, dict]:
    listed = bookdesk_process("schedule", "--library", library, "--json", env=OFFLINE)
    assert listed.returncode == 0, listed.stderr
    return {job["kind"]: job for job in json.loads(listed.stdout)["jobs"]}


def sync(bookdesk_process, library: Path, kill_at: str | None = None):
    return bookdesk_process("sync", "--library", library, "--json", kill_at=kill_at, env=OFFLINE)


def test_a_scheduled_run_killed_midway_is_due_again_at_the_next_start(bookdesk_process, library_dir):
    open_catalog(library_dir).close()

    killed = sync(bookdesk_process, library_dir, kill_at="scheduler.mid_run")
    assert killed.returncode == KILLED, killed.stderr

    rescan = schedule(bookdesk_process, library_dir)["rescan"]  # the first job that needs no network
    now = datetime.now(UTC)
    assert rescan["last_run"] is None, rescan
    # Due: nothing was recorded. Compared as times, not as text ("…:40Z" sorts after "…:40.8+00:00").
    assert rescan["next_run"] is None or datetime.fromisoformat(rescan["next_run"]) <= now, rescan
    again = sync(bookdesk_process, library_dir)
    assert again.returncode == 0, again.stderr
    ran = {job["kind"]: job["status"] for job in json.loads(again.stdout)["jobs"]}
    assert ran.get("rescan") == "succeeded", ran
    assert schedule(bookdesk_process, library_dir)["rescan"]["last_run"] is not None
