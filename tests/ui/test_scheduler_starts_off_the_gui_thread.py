"""The scheduler starts a moment after the window shows, and what it needs loaded first (its modules,
the worker's HTTP client: httpx and an SSL context) is loaded on the worker: made on the window's thread,
the window waited for the import lock a worker thread held, a stall of 0.3-0.7 s at every start."""

from __future__ import annotations

import threading

from bookdesk.core.net import factory
from bookdesk.ui.acquisition_flow import AcquisitionFlow


def test_the_scheduler_starts_after_its_http_client_is_made_on_the_worker(qtbot, make_window, service,
                                                                           monkeypatch) -> None:
    made_on: list[threading.Thread] = []
    make_http = factory.make_http

    def recording_make_http(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - make_http's own
        made_on.append(threading.current_thread())
        return make_http(*args, **kwargs)

    monkeypatch.setattr(factory, "make_http", recording_make_http)
    # The download queue's start makes the client on the worker too; left out, the scheduler's start is
    # the first to need it, as in a library with no downloads (or when its timer comes first).
    monkeypatch.setattr(AcquisitionFlow, "start_later", lambda _self: None)
    window = make_window(service)

    qtbot.waitUntil(lambda: window.automation.scheduler is not None, timeout=20_000)

    assert made_on, "the scheduler started without the worker's HTTP client"
    assert threading.main_thread() not in made_on
