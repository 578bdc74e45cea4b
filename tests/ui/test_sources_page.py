"""Sources and download clients, as a person sets them up from the window (Tools → Sources and Download
Clients, a page of the Settings dialog): added, edited and checked; secrets only in the keyring."""

from __future__ import annotations

import json

from bookdesk.core.secrets import source_secret
from bookdesk.core.settings import settings_path
from tests.ui.settings_dialog_harness import save


def open_sources(qtbot, window):  # noqa: ANN001, ANN201 - qtbot, the main window; the Settings dialog
    dialog = window.edit_settings("sources")
    qtbot.addWidget(dialog)
    return dialog


def test_a_catalog_an_indexer_and_a_client_are_kept_with_their_secrets_in_the_keyring(qtbot, make_window, service):
    window = make_window(service)
    dialog = open_sources(qtbot, window)

    catalogs = dialog.sources_page.lists["opds"]
    catalogs.add()
    catalogs.editors["name"].setText("Home calibre")
    catalogs.editors["url"].setText("http://192.168.1.5:8080/opds")
    catalogs.editors["username"].setText("reader")
    catalogs.editors["password"].setText("s3cret")
    indexers = dialog.sources_page.lists["indexer"]
    indexers.add()
    indexers.editors["name"].setText("Prowlarr")
    indexers.editors["url"].setText("http://localhost:9696/1/api")
    indexers.editors["password"].setText("apikey123")
    clients = dialog.sources_page.lists["client"]
    clients.add()
    clients.editors["name"].setText("Seedbox")
    clients.editors["kind"].setCurrentText("transmission")
    clients.editors["url"].setText("http://localhost:9091")
    clients.editors["path_mappings"].setPlainText("/data/books => /home/me/books\n")
    dialog.sources_page.concurrency.setValue(4)
    save(dialog)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert window.settings.opds_catalogs == [{"name": "Home calibre", "url": "http://192.168.1.5:8080/opds",
                                              "username": "reader"}]
    assert window.settings.indexers[0]["name"] == "Prowlarr" and window.settings.indexers[0]["kind"] == "torznab"
    client = window.settings.download_clients[0]
    assert client["kind"] == "transmission"
    assert client["path_mappings"] == [{"remote": "/data/books", "local": "/home/me/books"}]
    assert window.settings.download_concurrency == 4
    assert window.secrets.get(source_secret("opds", "Home calibre")) == "s3cret"
    assert window.secrets.get(source_secret("indexer", "Prowlarr")) == "apikey123"
    written = settings_path().read_text()
    assert "s3cret" not in written and "apikey123" not in written
    assert json.loads(written)["download_clients"][0]["name"] == "Seedbox"


def test_a_bad_address_is_said_and_nothing_is_saved(qtbot, make_window, service):
    window = make_window(service)
    dialog = open_sources(qtbot, window)
    clients = dialog.sources_page.lists["client"]
    clients.add()
    clients.editors["url"].setText("localhost:8080")
    save(dialog)
    assert dialog.isVisible()
    assert "http://" in dialog.problem.text()
    assert window.settings.download_clients == []


def test_removing_a_source_and_switching_between_two_keeps_each_ones_values(qtbot, make_window, service):
    window = make_window(service)
    dialog = open_sources(qtbot, window)
    catalogs = dialog.sources_page.lists["opds"]
    catalogs.add()
    catalogs.editors["url"].setText("https://standardebooks.org/feeds/opds")
    catalogs.add()
    catalogs.editors["url"].setText("https://www.gutenberg.org/ebooks.opds/")
    catalogs.names.setCurrentRow(0)
    assert catalogs.editors["url"].text() == "https://standardebooks.org/feeds/opds"
    catalogs.remove()
    save(dialog)
    assert [c["url"] for c in window.settings.opds_catalogs] == ["https://www.gutenberg.org/ebooks.opds/"]


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:home</id><title>Home Books</title><updated>2026-01-01T00:00:00Z</updated>
  <entry><id>urn:1</id><title>The Dispossessed</title><updated>2026-01-01T00:00:00Z</updated>
    <link rel="http://opds-spec.org/acquisition" href="/get/1.epub" type="application/epub+zip"/></entry>
</feed>"""


def test_the_test_button_asks_the_source_and_says_what_it_answered(qtbot, make_window, service):
    from tests.core.net.local_server import LocalServer, Reply

    server = LocalServer().start()
    server.route("GET", "/opds", Reply(body=FEED, content_type="application/atom+xml"))
    try:
        window = make_window(service)
        dialog = open_sources(qtbot, window)
        catalogs = dialog.sources_page.lists["opds"]
        catalogs.add()
        catalogs.editors["url"].setText(f"{server.url}/opds")
        catalogs.test_button.click()
        qtbot.waitUntil(lambda: catalogs.result.text().startswith(("✔", "✘")), timeout=10_000)
        assert catalogs.result.text().startswith("✔") and "Home Books" in catalogs.result.text()

        clients = dialog.sources_page.lists["client"]
        dialog.sources_page.tabs.setCurrentWidget(clients)
        clients.add()
        clients.editors["url"].setText("http://127.0.0.1:9")  # nothing listens there
        clients.test_button.click()
        qtbot.waitUntil(lambda: clients.result.text().startswith(("✔", "✘")), timeout=20_000)
        assert clients.result.text().startswith("✘")
    finally:
        server.stop()
