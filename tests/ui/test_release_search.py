"""Search for This Book, as a person does it from the Wanted list: the indexer asked, the releases
ranked with the reasons of their scores, Grab, and the torrent in the Downloads view until its client
has it complete and the book is in the library."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bookdesk.core.scheduler.scheduler import JobNotReadyError
from bookdesk.core.secrets import source_secret
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.wanted_repository import WantedRepository
from tests.core.acquisition.torrents.helpers import book_epub
from tests.core.acquisition.torrents.make_torrent import make_torrent
from tests.servers.torrent_daemons import Daemon, qbittorrent_daemon_fixture  # noqa: F401
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer, torznab_fixture  # noqa: F401
from tests.ui.test_downloads_view import read_again


def want(service, title: str, author: str) -> int:
    with service.catalog.write() as session:
        repo = WantedRepository(session)
        [work_id] = repo.add_placeholders([NewWork(title, [Contributor(author)], status="wanted")], [None],
                                          ["ebook"], datetime.now(UTC).replace(tzinfo=None))
        repo.refresh_search([work_id])
    return work_id


def test_search_for_this_book_ranks_the_releases_and_grab_brings_the_book_in(
        qtbot, make_window, service, torznab: TorznabServer, qbittorrent_daemon: Daemon, tmp_path: Path, loaded):
    work_id = want(service, "Kindred", "Octavia E. Butler")
    seed = tmp_path / "seed"
    data, _ = make_torrent(book_epub(seed / "Kindred.epub", "Kindred", "Octavia E. Butler"))
    torznab.serve_file("k.torrent", data)
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred [PDF]", file="k2.torrent", seeders=3),
                        FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent")]
    window = make_window(service)
    window.apply_settings(replace(
        window.settings, indexers=[{"name": "Prowlarr", "url": torznab.api}],
        download_clients=[{"name": "Seedbox", "kind": "qbittorrent", "url": qbittorrent_daemon.url,
                           "username": qbittorrent_daemon.username, "save_path": str(seed)}]))
    window.secrets.set(source_secret("indexer", "Prowlarr"), API_KEY)
    window.secrets.set(source_secret("client", "Seedbox"), qbittorrent_daemon.password)

    window.show_view("wanted")
    wanted = window.wanted_view
    wanted.refresh()
    loaded(wanted)
    assert not wanted.search_button.isEnabled()
    wanted.table.selectRow(0)
    assert wanted.search_button.isEnabled()
    wanted.search_button.click()
    dialog = window.acquisition_dialogs.release_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=20_000)

    first = [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())]
    assert first[1] == "Octavia E. Butler - Kindred (1979) [Retail EPUB]" and first[2] == "EPUB"
    assert dialog.why.text().startswith("Why ") and "EPUB" in dialog.why.text()
    assert "2 releases found" in dialog.status.text()

    dialog.grab_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith(("Grabbed", "Not grabbed")), timeout=20_000)
    assert dialog.status.text().startswith("Grabbed"), dialog.status.text()

    # The torrent's file was in place already: the client finds it complete, and the scheduled job that
    # follows the clients imports it (asked for with Run Now, as from Settings → Scheduler, rather than
    # waiting out its schedule). Wait for both things asserted below (the book owned, its download
    # imported), not for one standing in for the other.
    scheduler = window.automation.start()
    told: list[str] = []
    window.acquisition.imported.connect(told.append)  # what the tray turns into "imported" notices

    def brought_in() -> bool:
        try:
            scheduler.run_now("poll-clients")  # the run going on, if there is one
        except JobNotReadyError as exc:  # the scheduler's own loop is starting it: as it says, ask again
            assert exc.retryable, exc
        states = [d.state for d in service.downloads()]
        return states == ["imported"] and service.detail(work_id).status == "owned"

    qtbot.waitUntil(brought_in, timeout=60_000)
    qtbot.waitUntil(lambda: told != [])  # heard from the poller on the worker, once
    assert told == ["Octavia E. Butler - Kindred (1979) [Retail EPUB]"]
    window.show_view("downloads")
    read_again(qtbot, window.downloads_view)
    [row] = window.downloads_view.model.records
    assert (row.title, row.state) == ("Octavia E. Butler - Kindred (1979) [Retail EPUB]", "imported")


def test_without_an_indexer_the_search_says_what_to_set_up(qtbot, make_window, service, loaded):
    want(service, "Kindred", "Octavia E. Butler")
    window = make_window(service)
    window.show_view("wanted")
    window.wanted_view.refresh()
    loaded(window.wanted_view).table.selectRow(0)
    window.wanted_view.search_button.click()
    dialog = window.acquisition_dialogs.release_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "No indexer is set up" in dialog.status.text(), timeout=10_000)
    assert dialog.model.rowCount() == 0 and not dialog.grab_button.isEnabled()
