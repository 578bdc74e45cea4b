"""Checking series with the providers from the window: the Series view's Check Providers and Book → Check
Monitored Series run a check job, and the status bar says how it ended."""

from __future__ import annotations

from dataclasses import replace

from bookdesk.core.settings import PROVIDERS
from bookdesk.data.work_repository import WorkRepository
from tests.ui.test_series_views import add_book


def test_check_providers_in_the_series_view_runs_a_check_and_says_how_it_ended(qtbot, make_window, service):
    with service.catalog.write() as session:
        add_book(WorkRepository(session), "A Wizard of Earthsea", "1")
    window = make_window(service)
    # No provider is asked: the check runs and ends without the network.
    window.apply_settings(replace(window.settings, providers_enabled=dict.fromkeys(PROVIDERS, False)))
    window.show_view("series")
    qtbot.waitUntil(lambda: window.series_view.model.rowCount() == 1)  # the rows are read on the worker
    window.series_view.select(window.series.series_id("Earthsea Cycle"))
    window.series_view.detail.check_button.click()
    qtbot.waitUntil(lambda: window.status_label.text().startswith("Check 1 series with the providers: "),
                    timeout=10_000)


def test_check_monitored_series_says_when_none_is_monitored(make_window, service):
    window = make_window(service)
    window.check_monitored_action.trigger()
    assert "No series is monitored yet" in window.status_label.text()
