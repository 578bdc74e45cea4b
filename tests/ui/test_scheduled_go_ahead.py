"""After a big import, the weekly refresh of recent additions asks in the window before touching the
books; Yes starts it, and a run the person then cancels is shown as cancelled (Activity, Settings →
Scheduler), not as run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtWidgets import QMessageBox

from bookdesk.core.scheduler.recent_metadata import ASK_OVER
from bookdesk.core.settings import PROVIDERS
from bookdesk.data.models import Work
from bookdesk.ui.settings.scheduler_page import LAST


def test_the_refresh_over_a_big_import_asks_and_a_cancelled_run_shows_as_cancelled(qtbot, make_window,
                                                                                     service) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with service.catalog.write() as session:
        session.add_all([Work(title=f"Book {n}", sort_title=f"Book {n}", added_at=now, updated_at=now)
                         for n in range(ASK_OVER + 31)])
    window = make_window(service)
    # One provider, at an address that answers nothing: the run goes on (and can be cancelled) without the internet.
    window.apply_settings(replace(window.settings, providers_enabled={p: p == "openlibrary" for p in PROVIDERS},
                                  provider_urls={"openlibrary": "http://127.0.0.1:9"}))
    scheduler = window.automation.start()
    for entry in scheduler.entries():
        if entry.kind != "refresh-metadata":
            scheduler.set_enabled(entry.kind, False)

    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.automation.go_ahead_box is not None
                    and window.automation.go_ahead_box.isVisible(), timeout=20_000)
    box = window.automation.go_ahead_box
    assert f"{ASK_OVER + 31:,} books" in box.text()
    qtbot.waitUntil(lambda: "waiting for your go-ahead" in window.status_label.text(), timeout=20_000)
    assert not any(e.running for e in scheduler.entries())  # nothing touched while it asks

    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.cancel_button.isVisible(), timeout=20_000)
    window.cancel_button.click()

    def refresh():  # noqa: ANN202 - its schedule entry
        return next(e for e in scheduler.entries() if e.kind == "refresh-metadata")

    qtbot.waitUntil(lambda: refresh().last_outcome == "cancelled", timeout=20_000)
    assert refresh().last_run is None
    dialog = window.edit_settings("scheduler")
    page = dialog.scheduler_page
    row = page.kinds.index("refresh-metadata")
    assert "cancelled" in page.table.item(row, LAST).text()
    dialog.reject()
