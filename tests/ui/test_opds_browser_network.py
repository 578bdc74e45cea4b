"""The catalog browser asks through the net factory: its requests name BookDesk, and it waits its turn
with the worker's one rate limiter, so a catalog that asked for a pause hears nothing until then."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from bookdesk.core.net.factory import USER_AGENT
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import load_settings
from bookdesk.core.worker import Worker
from bookdesk.ui.dialogs.opds_browser import OpdsBrowser
from tests.core.net.local_server import LocalServer, Reply

FEED = ('<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:shelf</id><title>Shelf</title>'
        '<updated>2026-01-01T00:00:00Z</updated></feed>')


@pytest.fixture
def catalog() -> Iterator[LocalServer]:
    server = LocalServer().start()
    server.route("GET", "/opds", Reply(body=FEED, content_type="application/atom+xml"))
    yield server
    server.stop()


@pytest.fixture
def worker(service) -> Iterator[Worker]:  # noqa: ANN001 - the library fixture
    running = Worker(service.catalog)
    running.start()
    yield running
    running.stop()


def browse(qtbot, worker: Worker, catalog: LocalServer) -> OpdsBrowser:  # noqa: ANN001 - pytest-qt's qtbot
    settings = replace(load_settings(), opds_catalogs=[{"name": "Shelf", "url": f"{catalog.url}/opds"}])
    browser = OpdsBrowser(settings, InMemorySecretStore(), worker)
    qtbot.addWidget(browser)
    return browser


def test_a_catalog_is_asked_in_bookdesks_name(qtbot, worker: Worker, catalog: LocalServer) -> None:
    browser = browse(qtbot, worker, catalog)
    qtbot.waitUntil(lambda: browser.status.text().startswith("Shelf"), timeout=10_000)
    assert {r.headers.get("user-agent") for r in catalog.requests} == {USER_AGENT}


def test_a_catalog_held_back_by_the_workers_limiter_is_not_asked(qtbot, worker: Worker,
                                                                 catalog: LocalServer) -> None:
    limiter = worker.net.limiter
    limiter.block(limiter.key_for(catalog.host), 3600)  # as a 429 with Retry-After: 3600 would
    browser = browse(qtbot, worker, catalog)
    qtbot.waitUntil(lambda: "wait 60 min" in browser.status.text(), timeout=10_000)
    assert catalog.requests == []
