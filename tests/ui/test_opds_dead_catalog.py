"""Browse Catalogs on a catalog that cannot be browsed: a port where nothing listens, a server that
answers garbage. The browser says what went wrong with its Ref, and offers nothing that cannot work."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.core.settings import load_settings
from bookdesk.core.worker import Worker
from bookdesk.ui.dialogs.opds_browser import OpdsBrowser
from tests.core.net.local_server import LocalServer, Reply


@pytest.fixture
def worker(service) -> Iterator[Worker]:  # noqa: ANN001 - the library fixture
    running = Worker(service.catalog)
    running.start()
    yield running
    running.stop()


def nobody_listening() -> str:
    """An address on this machine where nothing listens (a port just let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/opds"


def browse(qtbot, worker: Worker, url: str) -> OpdsBrowser:  # noqa: ANN001 - pytest-qt's qtbot
    settings = replace(load_settings(), opds_catalogs=[{"name": "Shelf", "url": url}])
    browser = OpdsBrowser(settings, InMemorySecretStore(), worker)
    qtbot.addWidget(browser)
    browser.show()
    qtbot.waitExposed(browser)
    return browser


def offers_nothing_that_cannot_work(browser: OpdsBrowser) -> None:
    assert not browser.back_button.isEnabled()
    assert not (browser.more_button.isVisible() and browser.more_button.isEnabled())
    assert not browser.download_button.isEnabled()
    assert not browser.search.isEnabled()


def test_a_catalog_where_nothing_listens_says_so_with_its_ref(qtbot, worker: Worker) -> None:  # noqa: ANN001
    browser = browse(qtbot, worker, nobody_listening())
    offers_nothing_that_cannot_work(browser)  # while it is asked, too
    qtbot.waitUntil(lambda: browser.problem.isVisible(), timeout=30_000)
    said = browser.problem.hint.text()
    assert "Ref BD-" in said
    assert "Shelf" in browser.problem.title.text()
    assert not browser.entries.isVisible()
    offers_nothing_that_cannot_work(browser)


def test_a_catalog_that_answers_garbage_says_so_and_can_be_asked_again(qtbot, worker: Worker) -> None:  # noqa: ANN001
    server = LocalServer().start()
    try:
        server.route("GET", "/opds", Reply(body="<html><body>Under maintenance", content_type="text/html"))
        browser = browse(qtbot, worker, f"{server.url}/opds")
        qtbot.waitUntil(lambda: browser.problem.isVisible(), timeout=30_000)
        assert "Ref BD-" in browser.problem.hint.text()
        offers_nothing_that_cannot_work(browser)
        asked = len(server.requests)
        feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:s</id><title>Shelf</title>'
                '<updated>2026-01-01T00:00:00Z</updated><entry><id>urn:b</id><title>A Book</title>'
                '<updated>2026-01-01T00:00:00Z</updated></entry></feed>')
        server.route("GET", "/opds", Reply(body=feed, content_type="application/atom+xml"))
        browser.try_again_button.click()  # the catalog is back: Try Again shows it
        qtbot.waitUntil(lambda: browser.entries.isVisible() and browser.entries.count() == 1, timeout=30_000)
        assert len(server.requests) > asked
        assert not browser.problem.isVisible()
    finally:
        server.stop()
