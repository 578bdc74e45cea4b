"""The catalog browser asks through the net factory: its requests name BookDesk, and it waits its turn
with the worker's one rate limiter, so a catalog that asked for a pause hears nothing until then."""

from __future__ import annotations

import logging
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
    qtbot.waitUntil(lambda: "wait 60 min" in browser.problem.hint.text(), timeout=10_000)
    assert catalog.requests == []


def shelf_with_thumbnails(base: str, count: int) -> str:
    entries = "".join(
        f'<entry><id>urn:b{i}</id><title>Book {i}</title><updated>2026-01-01T00:00:00Z</updated>'
        f'<link rel="http://opds-spec.org/image/thumbnail" type="image/png" href="{base}/t{i}.png"/>'
        f'<link rel="http://opds-spec.org/acquisition" type="application/epub+zip" href="{base}/b{i}.epub"/></entry>'
        for i in range(count))
    return ('<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:shelf</id><title>Shelf</title>'
            f'<updated>2026-01-01T00:00:00Z</updated>{entries}</feed>')


def test_closing_the_browser_while_thumbnails_load_is_no_failure_of_the_catalog(
        qtbot, worker: Worker, catalog: LocalServer, caplog) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    catalog.route("GET", "/opds", Reply(body=shelf_with_thumbnails(catalog.url, 30),
                                        content_type="application/atom+xml"))
    for i in range(30):  # more than the limiter lets go at once: some wait their turn, some are on their way
        catalog.route("GET", f"/t{i}.png", Reply(body=png, content_type="image/png", delay=0.5))
    limiter = worker.net.limiter
    unanswered = []
    observe = limiter.observe
    limiter.observe = lambda key, status, headers=None: (status is None and unanswered.append(key),
                                                         observe(key, status, headers))
    first = browse(qtbot, worker, catalog)
    qtbot.waitUntil(lambda: first.entries.count() == 30 and bool(catalog.requests_to("/t0.png")), timeout=10_000)
    first.reject()  # the person closes it while thumbnails are on their way
    again = browse(qtbot, worker, catalog)  # and opens it again: asked after whatever was left waiting
    qtbot.waitUntil(lambda: again.status.text().startswith("Shelf"), timeout=20_000)
    assert unanswered == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_more_asked_twice_while_the_next_page_is_on_its_way_adds_that_page_once(
        qtbot, worker: Worker, catalog: LocalServer) -> None:
    def shelf(books: range, more: str = "") -> Reply:
        entries = "".join(f'<entry><id>urn:b{i}</id><title>Book {i}</title><updated>2026-01-01T00:00:00Z</updated>'
                          f'<link rel="http://opds-spec.org/acquisition" type="application/epub+zip" '
                          f'href="{catalog.url}/b{i}.epub"/></entry>' for i in books)
        return Reply(body='<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:shelf</id><title>Shelf</title>'
                          f'<updated>2026-01-01T00:00:00Z</updated>{more}{entries}</feed>',
                     content_type="application/atom+xml")

    page = shelf(range(5, 10))
    catalog.route("GET", "/opds", shelf(range(5), f'<link rel="next" type="application/atom+xml" '
                                                   f'href="{catalog.url}/opds/2"/>'))
    catalog.route("GET", "/opds/2", replace(page, delay=1.0), page)  # the first answer is slow
    browser = browse(qtbot, worker, catalog)
    qtbot.waitUntil(lambda: browser.entries.count() == 5, timeout=10_000)
    browser.more_button.click()
    browser.more_button.click()  # again, while the page is on its way
    qtbot.waitUntil(lambda: browser.status.text() == "Shelf · 10 entries", timeout=10_000)
    assert len(catalog.requests_to("/opds/2")) == 1
    assert browser.entries.count() == 10
