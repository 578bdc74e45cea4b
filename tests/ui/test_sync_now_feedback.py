"""Sync Now says that it runs (status bar, tray tooltip) and, at the end, what it did: the jobs that ran
and what they found, or that nothing was due."""

from __future__ import annotations

from tests.ui.test_tray_and_automation import with_tray  # noqa: F401 - the fixture


def test_sync_now_says_it_runs_then_which_jobs_ran_and_what_they_found(qtbot, make_window, service,
                                                                      with_tray) -> None:  # noqa: F811
    window = make_window(service)
    tray = window.tray_flow.tray
    window.sync_action.trigger()
    assert "Sync Now" in window.status_label.text()
    assert "Sync Now" in tray.icon.toolTip()
    qtbot.waitUntil(lambda: "Sync Now ran" in window.status_label.text(), timeout=30_000)
    said = window.status_label.text()
    assert "Back up the catalog" in said
    assert "Rescan the library and the watch folder" in said
    assert "Check monitored series and authors for new books: skipped" in said  # and why, after it
    qtbot.waitUntil(lambda: "Sync Now" not in tray.icon.toolTip(), timeout=10_000)


def test_sync_now_with_nothing_due_says_so(qtbot, make_window, service, with_tray) -> None:  # noqa: F811
    window = make_window(service)
    scheduler = window.automation.start()
    for entry in scheduler.entries():
        scheduler.set_enabled(entry.kind, False)
    tray = window.tray_flow.tray
    tray.sync_action.trigger()  # from the tray this time
    qtbot.waitUntil(lambda: "nothing was due" in window.status_label.text(), timeout=30_000)
    assert "Sync Now" not in tray.icon.toolTip()


def test_a_sync_that_fails_says_so_and_stops_saying_it_runs(qtbot, make_window, service, with_tray,  # noqa: F811
                                                          monkeypatch) -> None:
    from bookdesk.core.scheduler import Scheduler
    from bookdesk.errors import BookDeskError

    async def busy(_self, **_options):  # noqa: ANN001, ANN202 - Scheduler.sync's
        raise BookDeskError("The catalog is busy with another program.")

    monkeypatch.setattr(Scheduler, "sync", busy)
    window = make_window(service)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: "Sync Now failed" in window.status_label.text(), timeout=20_000)
    assert "The catalog is busy" in window.status_label.text()
    assert "Sync Now" not in window.tray_flow.tray.icon.toolTip()
