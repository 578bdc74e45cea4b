"""Browsing a real calibre content server from the window: its sections, a book's formats, Download
into the queue, and the book in the library."""

from __future__ import annotations

from dataclasses import replace

from bookdesk.core.secrets import source_secret
from tests.servers.calibre_server import (  # noqa: F401 - session fixtures
    PASSWORD,
    USER,
    calibre_digest_server_fixture,
    calibre_library_fixture,
    calibre_server_fixture,
)
from tests.ui.test_downloads_view import read_again


def titles(browser) -> list[str]:
    return [browser.entries.item(r).text().split("\n")[0] for r in range(browser.entries.count())]


def open_browser(qtbot, window, name: str, url: str, username: str = ""):
    window.apply_settings(replace(window.settings, opds_catalogs=[{"name": name, "url": url, "username": username}]))
    browser = window.browse_catalogs()
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: browser.entries.count() > 0, timeout=20_000)
    return browser


def open_section(qtbot, browser, title_start: str) -> None:
    row = next(r for r, t in enumerate(titles(browser)) if t.startswith(title_start))
    before = browser.feed
    browser._activated(browser.entries.item(row))
    qtbot.waitUntil(lambda: browser.feed is not before and browser.entries.count() > 0, timeout=20_000)


def test_a_book_from_a_calibre_catalog_is_browsed_paged_downloaded_and_imported(qtbot, make_window, service,
                                                                               calibre_server, calibre_library):
    _, truth = calibre_library
    window = make_window(service)
    browser = open_browser(qtbot, window, "Home calibre", calibre_server.opds_url)
    assert not browser.address.isVisible()
    open_section(qtbot, browser, "By Title")
    assert browser.more_button.isVisible()  # two books a page: five need three
    while browser.more_button.isVisible():
        shown = browser.entries.count()
        browser.more_button.click()
        qtbot.waitUntil(lambda n=shown: browser.entries.count() > n, timeout=20_000)
    assert sorted(titles(browser)) == sorted(t["title"] for t in truth)

    browser.entries.setCurrentRow(0)
    assert browser.download_button.isEnabled()
    assert browser.formats.currentText().startswith("EPUB")
    wanted = titles(browser)[0]
    browser.download_button.click()
    assert "Queued" in browser.status.text()

    def imported() -> bool:
        return [r.title for r in service.rows(service.work_ids())] == [wanted]

    qtbot.waitUntil(imported, timeout=30_000)
    read_again(qtbot, window.downloads_view)
    assert window.downloads_view.model.records[0].source == "Home calibre"


def test_search_and_back(qtbot, make_window, service, calibre_server, calibre_library):
    _, truth = calibre_library
    window = make_window(service)
    browser = open_browser(qtbot, window, "Home calibre", calibre_server.opds_url)
    root = titles(browser)
    assert browser.search.isEnabled()
    browser.search.setText(truth[0]["title"])
    browser.run_search()
    qtbot.waitUntil(lambda: titles(browser) != root, timeout=20_000)
    assert truth[0]["title"] in titles(browser)
    browser.back_button.click()
    qtbot.waitUntil(lambda: titles(browser) == root, timeout=20_000)


def test_a_catalog_that_wants_a_password_says_so_and_opens_with_the_one_in_the_keyring(
        qtbot, make_window, service, calibre_digest_server):
    window = make_window(service)
    window.apply_settings(replace(window.settings, opds_catalogs=[
        {"name": "Locked", "url": calibre_digest_server.opds_url, "username": USER}]))
    browser = window.browse_catalogs()
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: "password" in browser.problem.hint.text().lower(), timeout=20_000)  # in place of the list
    assert browser.entries.count() == 0
    browser.close()

    window.secrets.set(source_secret("opds", "Locked"), PASSWORD)
    browser = open_browser(qtbot, window, "Locked", calibre_digest_server.opds_url, USER)
    open_section(qtbot, browser, "By Title")
    browser.entries.setCurrentRow(0)
    wanted = titles(browser)[0]
    browser.download_button.click()  # the download answers the same challenge with the same login

    qtbot.waitUntil(lambda: [r.title for r in service.rows(service.work_ids())] == [wanted], timeout=30_000)
