"""The app looking after itself, as a person sees it: the tray's menu, closing to the tray, pausing and
syncing the scheduled jobs, and notifications that come one at a time."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from bookdesk.core.jobs import JobEvent
from bookdesk.core.settings import load_settings
from bookdesk.ui.notifier import Notice, Notifier, combined
from bookdesk.ui.tray import Tray
from tests.fakes.clock import FakeClock


@pytest.fixture
def with_tray(monkeypatch):
    """A desktop with a tray: offscreen has none, but its tray icon still shows when asked."""
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    quits = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    yield quits
    QApplication.instance().setQuitOnLastWindowClosed(True)


def test_without_a_tray_the_window_closes_as_any_other(make_window, service):
    window = make_window(service)
    assert not window.tray_flow.in_tray
    assert window.close()
    assert QApplication.quitOnLastWindowClosed()


def test_closing_the_window_keeps_bookdesk_in_the_tray_and_the_tray_brings_it_back(qtbot, make_window, service,
                                                                                   with_tray):
    window = make_window(service)
    assert window.tray_flow.in_tray
    assert not QApplication.quitOnLastWindowClosed()

    window.close()
    assert not window.isVisible()
    assert window.worker.running  # still looking after the library

    window.tray_flow.tray.open_action.trigger()
    assert window.isVisible()

    window.tray_flow.tray.quit_action.trigger()
    assert not window.isVisible() and with_tray == [True]


def test_close_to_tray_can_be_switched_off(make_window, service, with_tray):
    from dataclasses import replace

    window = make_window(service)
    window.apply_settings(replace(window.settings, close_to_tray=False))
    assert window.close()


def test_pausing_from_the_tray_pauses_the_scheduler_and_is_remembered(qtbot, make_window, service, with_tray):
    window = make_window(service)
    scheduler = window.automation.start()
    assert scheduler is not None and not scheduler.paused

    window.tray_flow.tray.pause_action.trigger()

    assert scheduler.paused and window.pause_action.isChecked()
    assert load_settings().automation_paused is True
    window.pause_action.trigger()  # and back, from the Tools menu
    assert not scheduler.paused and not window.tray_flow.tray.pause_action.isChecked()
    assert load_settings().automation_paused is False


def test_sync_now_runs_the_due_jobs_which_show_in_activity_and_the_tray(qtbot, make_window, service, with_tray):
    window = make_window(service)
    with qtbot.waitSignal(window.automation.synced, timeout=30_000) as done:
        window.sync_action.trigger()
    results = {r.kind: r for r in done.args[0]}
    assert results["rescan"].status == "succeeded"
    assert results["backup-catalog"].status == "succeeded"
    qtbot.waitUntil(lambda: window.tray_flow.tray.recent_menu.isEnabled(), timeout=10_000)
    recent = [a.text() for a in window.tray_flow.tray.recent_menu.actions()]
    assert any(text.startswith("Back up the catalog") for text in recent)
    window.show_view("activity")
    window.activity_view.refresh()
    shown = [window.activity_view.model.index(r, c).data() for r in range(window.activity_view.model.rowCount())
             for c in range(window.activity_view.model.columnCount())]
    assert "Rescan the library and the watch folder" in shown


def test_a_scheduled_job_that_fails_is_told_quietly_not_in_a_dialog(make_window, service):
    window = make_window(service)
    told = []
    window.tray_flow.notifier.notify = told.append
    window.bridge.job_event.emit(JobEvent("BD-TEST1", "search-wanted", "Search for wanted books", "failed",
                                          error="Prowlarr refused the API key"))
    assert window.presenter.last_dialog is None
    assert "BD-TEST1" in window.status_label.text()
    assert told == [Notice("job-failed", "Search for wanted books (Ref BD-TEST1)")]
    window.bridge.job_event.emit(JobEvent("BD-TEST2", "import", "Import of 3 books", "failed", error="disk full"))
    assert window.presenter.last_dialog is not None  # what the person started gets a dialog


def test_the_tray_menu_lists_recent_activity_and_its_tooltip_what_runs(qtbot):
    tray = Tray()
    asked = []
    tray.activity_requested.connect(asked.append)
    tray.set_recent([("BD-AAAAA", "Import of 3 books: 3 added"), ("BD-BBBBB", "Back up the catalog: done")])
    actions = tray.recent_menu.actions()
    assert [a.text() for a in actions] == ["Import of 3 books: 3 added", "Back up the catalog: done"]
    actions[1].trigger()
    assert asked == ["BD-BBBBB"]
    tray.set_running(["Import of 3 books", "Search for wanted books"])
    assert tray.icon.toolTip() == "BookDesk: Import of 3 books; Search for wanted books"
    tray.set_running([])
    assert tray.icon.toolTip() == "BookDesk"


def test_a_burst_of_news_is_one_notification_and_the_next_waits_its_turn(qtbot):
    shown = []
    clock = FakeClock()
    notifier = Notifier(lambda title, body: shown.append((title, body)), clock=clock, gather_ms=10, min_gap_s=20)
    for n in range(300):
        notifier.notify(Notice("imported", f"Book {n}"))
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2_000)
    assert shown == [("Books imported", "300 books imported")]

    notifier.notify(Notice("download-failed", "The Dispossessed"))
    notifier.flush()  # too soon after the last: held back
    assert len(shown) == 1
    clock.advance(21)
    notifier.flush()
    assert shown[1] == ("A download failed", "Download failed: The Dispossessed")


def test_mixed_news_reads_as_one_message():
    title, body = combined([Notice("imported", "A"), Notice("new-release", "2 books in your monitored series", 2),
                            Notice("download-failed", "X"), Notice("download-failed", "Y")])
    assert title == "BookDesk"
    assert body.splitlines() == ["1 book imported", "New: 2 books in your monitored series",
                                 "Download failed: X and 1 more"]


def test_start_at_login_adds_and_removes_an_autostart_entry_that_starts_in_the_tray(make_window, service,
                                                                                    user_folders):
    from dataclasses import replace

    window = make_window(service)
    entry = user_folders / "xdg-config" / "autostart" / "bookdesk.desktop"
    window.apply_settings(replace(window.settings, start_at_login=True))
    assert entry.is_file() and "--in-tray" in entry.read_text()
    window.apply_settings(replace(window.settings, start_at_login=False))
    assert not entry.exists() or "Hidden=true" in entry.read_text()


def test_the_first_start_welcomes_and_remembers_the_library_chosen(qtbot, monkeypatch, tmp_path, user_folders):
    from bookdesk.app import _settings_library
    from bookdesk.core.paths import default_library
    from bookdesk.ui import application
    from bookdesk.ui.first_run import FirstRunWizard

    chosen = tmp_path / "My Books"

    def finish(wizard) -> int:  # the person picks another folder and presses Finish
        wizard.library_page.use_other.setChecked(True)
        wizard.library_page.folder.setText(str(chosen))
        return FirstRunWizard.DialogCode.Accepted

    monkeypatch.setattr(FirstRunWizard, "exec", finish)
    monkeypatch.delenv("BOOKDESK_LIBRARY")
    assert application.welcome(tmp_path / "Default") == chosen
    assert _settings_library() == chosen and default_library(_settings_library()) == chosen

    shown = []
    monkeypatch.setattr(FirstRunWizard, "exec", lambda wizard: shown.append(wizard) or 0)
    assert application.welcome(tmp_path / "Default") == tmp_path / "Default"  # once only
    assert shown == []
