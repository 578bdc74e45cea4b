"""The Settings dialog's Scheduler page: every job with its interval and times, switched and
rescheduled on save, paused from the tray, run now, and the real scheduler driven through it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from bookdesk.core.scheduler import JobNotReadyError, Scheduler, SchedulerContext
from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.timing import check_interval
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import Settings
from bookdesk.ui.settings.schedule_text import interval_parts, last_run_text, next_run_text, state_text
from bookdesk.ui.settings.settings_dialog import SettingsDialog
from tests.ui import settings_dialog_harness
from tests.ui.settings_dialog_harness import save

# the dialog tests' fixtures (make_dialog finds the secret store by name, so it comes too)
secrets, make_dialog = settings_dialog_harness.secrets, settings_dialog_harness.make_dialog


NOW = datetime(2026, 3, 1, 12, 0, 0)


class FakeScheduler:
    """The scheduler's face to the page, in memory; records what it was asked."""

    def __init__(self) -> None:
        self._entries = {
            "rescan": ScheduleEntry("rescan", "Rescan the library and the watch folder", True, 3600,
                                    NOW - timedelta(minutes=20), NOW + timedelta(minutes=40), False),
            "search-wanted": ScheduleEntry("search-wanted", "Search for wanted books", True, 6 * 3600, None, None,
                                           False, needs_network=True),
            "backup-catalog": ScheduleEntry("backup-catalog", "Back up the catalog", False, 7 * 86400, None, None,
                                            False),
        }
        self.paused = False
        self.calls: list[tuple] = []

    def entries(self) -> list[ScheduleEntry]:
        return list(self._entries.values())

    def moved_on(self, kind: str, **changes: object) -> None:
        """As if the real scheduler had moved on meanwhile (a run happened, a time changed)."""
        self._entries[kind] = replace(self._entries[kind], **changes)

    def set_enabled(self, kind: str, enabled: bool) -> None:
        self.calls.append(("enabled", kind, enabled))
        self._entries[kind] = replace(self._entries[kind], enabled=enabled)

    def set_interval(self, kind: str, seconds: int) -> None:
        check_interval(seconds)
        self.calls.append(("interval", kind, seconds))
        self._entries[kind] = replace(self._entries[kind], interval_seconds=seconds)

    def run_now(self, kind: str) -> str:
        if kind == "search-wanted":
            raise JobNotReadyError("Search for wanted books: no indexer is set up yet.")
        self.calls.append(("run", kind))
        self._entries[kind] = replace(self._entries[kind], running=True, correlation_id="BD-RUN01")
        return "BD-RUN01"


def scheduler_dialog(make_dialog, scheduler, **options) -> SettingsDialog:
    dialog = make_dialog(scheduler=scheduler, page="scheduler", **options)
    dialog.scheduler_page._now = lambda: NOW
    dialog.scheduler_page.refresh()
    return dialog


def row_texts(page, kind: str) -> dict[str, str]:
    row = page.kinds.index(kind)
    return {name: page.table.item(row, column).text() for name, column in
            (("job", 0), ("last", 2), ("next", 3), ("state", 4))}


def test_the_scheduler_page_lists_every_job_with_its_interval_and_times(qtbot, make_dialog):
    scheduler = FakeScheduler()
    page = scheduler_dialog(make_dialog, scheduler).scheduler_page
    assert page.table.rowCount() == 3
    assert row_texts(page, "rescan") == {"job": "Rescan the library and the watch folder", "last": "20 min ago",
                                         "next": "in 40 min", "state": "Scheduled"}
    assert row_texts(page, "search-wanted")["last"] == "Never"
    assert row_texts(page, "search-wanted")["next"] == "due now"
    assert row_texts(page, "backup-catalog")["state"] == "Off"
    job = page.table.item(page.kinds.index("backup-catalog"), 0)
    assert job.checkState() == Qt.CheckState.Unchecked
    every = page.interval_edits["search-wanted"]
    assert (every.count.value(), every.unit.currentText()) == (6, "hours")
    # It reads the schedule again while shown: a run that happened meanwhile shows without reopening.
    scheduler.moved_on("rescan", last_run=NOW - timedelta(minutes=5))
    qtbot.waitUntil(lambda: row_texts(page, "rescan")["last"] == "5 min ago", timeout=15_000)


def test_switching_and_rescheduling_jobs_takes_effect_on_save(make_dialog):
    scheduler = FakeScheduler()
    saved: list[Settings] = []
    dialog = scheduler_dialog(make_dialog, scheduler, on_save=saved.append)
    page = dialog.scheduler_page
    page.table.item(page.kinds.index("backup-catalog"), 0).setCheckState(Qt.CheckState.Checked)
    every = page.interval_edits["rescan"]
    every.unit.setCurrentIndex(every.unit.findData(60))
    every.count.setValue(30)
    page.pause_box.setChecked(True)
    assert row_texts(page, "rescan")["state"] == "Paused"
    page.refresh()  # a refresh in between keeps what the person changed
    assert every.seconds() == 1800
    assert scheduler.calls == []  # nothing yet: Cancel would leave the schedule as it was
    save(dialog)
    assert ("enabled", "backup-catalog", True) in scheduler.calls
    assert ("interval", "rescan", 1800) in scheduler.calls
    assert saved[0].automation_paused  # a setting: whoever saves it pauses the scheduler, as the tray's Pause does


def test_a_pause_from_the_tray_shows_on_the_open_page(make_dialog):
    scheduler = FakeScheduler()
    page = scheduler_dialog(make_dialog, scheduler).scheduler_page
    assert not page.pause_box.isChecked()
    scheduler.paused = True
    page.refresh()
    assert page.pause_box.isChecked() and row_texts(page, "rescan")["state"] == "Paused"


def test_run_now_starts_a_job_and_says_its_reference_or_why_it_cannot(make_dialog, qtbot):
    scheduler = FakeScheduler()
    dialog = scheduler_dialog(make_dialog, scheduler)
    page = dialog.scheduler_page
    with qtbot.waitSignal(dialog.run_started) as started:
        page.run_buttons["rescan"].click()
    assert started.args == ["rescan", "BD-RUN01"]
    assert "Ref BD-RUN01" in page.status.text()
    assert row_texts(page, "rescan")["state"] == "Running (Ref BD-RUN01)"
    page.run_buttons["search-wanted"].click()
    assert page.status.text() == "Search for wanted books: no indexer is set up yet."


def test_an_interval_the_scheduler_cannot_take_cannot_be_typed(make_dialog):
    page = scheduler_dialog(make_dialog, FakeScheduler()).scheduler_page
    every = page.interval_edits["rescan"]
    every.unit.setCurrentIndex(every.unit.findData(86400))
    every.count.setValue(9999)
    assert every.seconds() == 366 * 86400


def test_without_a_scheduler_the_page_says_automation_is_not_running(make_dialog):
    saved: list[Settings] = []
    dialog = make_dialog(page="scheduler", on_save=saved.append)
    assert dialog.scheduler_page.empty.title.text() == "Automation is not running"
    save(dialog)
    assert len(saved) == 1


def test_the_scheduler_page_drives_the_real_scheduler(make_dialog, service):
    context = SchedulerContext(service, Settings(), InMemorySecretStore())
    try:
        scheduler = Scheduler(context)
        dialog = scheduler_dialog(make_dialog, scheduler, on_save=lambda s: None)
        page = dialog.scheduler_page
        assert page.kinds == [e.kind for e in scheduler.entries()] and len(page.kinds) == 9
        page.table.item(page.kinds.index("prune-jobs"), 0).setCheckState(Qt.CheckState.Unchecked)
        page.interval_edits["backup-catalog"].count.setValue(2)  # days
        save(dialog)
        entries = {e.kind: e for e in scheduler.entries()}
        assert entries["prune-jobs"].enabled is False
        assert entries["backup-catalog"].interval_seconds == 2 * 86400
    finally:
        context.close()


def test_following_the_clients_is_not_paused_and_switched_off_the_page_says_what_goes_undone(make_dialog, service):
    context = SchedulerContext(service, Settings(), InMemorySecretStore())
    try:
        scheduler = Scheduler(context, paused=True)
        dialog = scheduler_dialog(make_dialog, scheduler, on_save=lambda s: None)
        page = dialog.scheduler_page
        assert row_texts(page, "rescan")["state"] == "Paused"
        assert row_texts(page, "poll-clients")["state"] == "Scheduled"  # a grab is followed while paused
        page.table.item(page.kinds.index("poll-clients"), 0).setCheckState(Qt.CheckState.Unchecked)
        page.refresh()
        assert "downloads in the download clients are not followed" in row_texts(page, "poll-clients")["state"]
        save(dialog)
        assert not {e.kind: e for e in scheduler.entries()}["poll-clients"].enabled
        page.refresh()
        assert "not followed" in row_texts(page, "poll-clients")["state"]
    finally:
        context.close()


@pytest.mark.parametrize(("seconds", "parts"), [(60, (1, 60)), (90 * 60, (90, 60)), (7200, (2, 3600)),
                                                (86400, (1, 86400)), (7 * 86400, (7, 86400))])
def test_intervals_are_shown_in_the_largest_whole_unit(seconds, parts):
    assert interval_parts(seconds) == parts


def test_times_and_states_are_said_as_a_person_would():
    entry = ScheduleEntry("rescan", "Rescan", True, 3600, NOW - timedelta(hours=3), NOW + timedelta(days=3),
                          False)
    assert last_run_text(entry.last_run, NOW) == "3 h ago"
    assert last_run_text(None, NOW) == "Never"
    assert next_run_text(entry, NOW, paused=False) == "in 3 days"
    assert next_run_text(replace(entry, next_run=NOW - timedelta(minutes=1)), NOW, paused=True) == "when resumed"
    assert state_text(replace(entry, waiting_for_network=True), paused=False) == "Waiting for the network"
    assert state_text(entry, paused=True) == "Paused"
