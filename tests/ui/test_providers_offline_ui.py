"""Providers that cannot be reached are "offline" in the window, never "not found": the identify result, the
status bar, Activity and a series' check history say so, a check is not recorded as done, and the person is
told once. Real HTTP on 127.0.0.1, at ports where nothing listens."""

from __future__ import annotations

import pytest

from bookdesk.core.settings import Settings, save_settings
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.work_repository import WorkRepository
from tests.servers.ports import free_port

ALL = ["openlibrary", "googlebooks", "hardcover", "audnexus"]


@pytest.fixture
def providers_down(user_folders) -> None:  # noqa: ANN001 - the test's own settings folder
    """Every provider at a port of 127.0.0.1 where nothing listens (one host each, as in life)."""
    hosts = {name: f"http://127.0.0.1:{free_port()}" for name in ALL}
    save_settings(Settings(provider_order=ALL, providers_enabled=dict.fromkeys(ALL, True),
                           provider_urls={**hosts, "openlibrary_covers": hosts["openlibrary"]}))


@pytest.fixture
def earthsea(service):  # noqa: ANN001
    """Two books of one series, with what the providers would be asked by (ISBNs, the series' name)."""
    with service.catalog.write() as session:
        repo = WorkRepository(session)
        for position, (title, isbn) in enumerate((("A Wizard of Earthsea", "9780547773742"),
                                                  ("The Tombs of Atuan", "9780689845369")), start=1):
            repo.add(NewWork(title, [Contributor("Ursula K. Le Guin")], identifiers={"isbn": isbn},
                             series=[SeriesRef("Earthsea", str(position))]))
    return service


def _finished(window, kind: str):  # noqa: ANN001, ANN202
    """The Activity row of the last job of ``kind`` once it has ended, else None."""
    jobs = [j for j in window.activity_view.model.records if j.kind == kind]
    return jobs[0] if jobs and jobs[0].state in ("succeeded", "failed") else None


def test_identify_with_every_provider_unreachable_says_offline_once(qtbot, make_window, earthsea,
                                                                     providers_down) -> None:
    window = make_window(earthsea)
    window.library_view.table.selectAll()

    window.identify_action.trigger()

    qtbot.waitUntil(lambda: _finished(window, "identify") is not None, timeout=240_000)
    qtbot.waitUntil(lambda: "Ref" in window.status_label.text())
    status = window.status_label.text()
    assert "2 not looked up (offline" in status and "0 not found" in status, status
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None)
    [told] = window.presenter.dialogs  # told once, not once a book
    assert "No metadata provider could be reached" in told.message and "nothing was changed" in told.message
    assert told.correlation_id in status
    job = _finished(window, "identify")
    assert "offline" in (job.summary or "") and "2 not found" not in (job.summary or "")


def test_checking_a_series_with_every_provider_unreachable_is_not_a_check(qtbot, make_window, earthsea,
                                                                          providers_down) -> None:
    window = make_window(earthsea)
    series_id = window.services.series.series_id("Earthsea")

    window.series_checks.check_series([series_id])

    qtbot.waitUntil(lambda: _finished(window, "series-check") is not None, timeout=240_000)
    job = _finished(window, "series-check")
    assert "offline" in (job.summary or ""), job.summary
    qtbot.waitUntil(lambda: "offline" in window.status_label.text())
    [attempt] = window.services.series.check_history(series_id)  # in the history as offline, not as a check
    assert attempt.offline and set(attempt.sources) >= {"Google Books", "Audnexus"}, attempt
    window.show_view("series")
    view = window.series_view
    qtbot.waitUntil(lambda: not view.loading)
    view.table.selectRow(0)
    detail = view.detail.confidence.text()
    assert "Last checked" not in detail and "offline" in detail, detail
    assert len(window.presenter.dialogs) <= 1
