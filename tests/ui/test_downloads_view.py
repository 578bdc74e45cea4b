"""The Downloads view as a person uses it: addresses in, progress shown, books imported, failures
explained with their reference, and Pause, Resume, Cancel, Retry and Remove on the selection."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from bookdesk.ui.models.downloads_model import BAR_ROLE, PROGRESS_COLUMN
from tests.conftest import simple_metadata, write_epub
from tests.core.net.local_server import LocalServer, Reply


@pytest.fixture
def books_server(tmp_path):
    epub = write_epub(tmp_path / "served" / "dispossessed.epub", simple_metadata("The Dispossessed", "Ursula K. Le Guin"))
    server = LocalServer().start()
    server.route("GET", "/books/dispossessed.epub", Reply(body=epub.read_bytes(), content_type="application/epub+zip"))
    server.route("GET", "/books/broken.epub",
                 Reply(body="<html><body>Sign in to download</body></html>", content_type="text/html"))
    yield server
    server.stop()


def rows(view) -> dict[str, list[str]]:
    model = view.model
    return {model.index(r, 0).data(): [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())}


def read_again(qtbot, view) -> None:  # noqa: ANN001 - pytest-qt's fixture, the Downloads view
    """Ask the Downloads view to read the downloads again (on the worker), and wait until it shows them."""
    view.refresh()
    qtbot.waitUntil(lambda: not view.loading)


def select(view, title: str) -> None:
    for row in range(view.model.rowCount()):
        if view.model.index(row, 0).data() == title:
            view.table.selectRow(row)
            return
    raise AssertionError(f"{title} is not listed")


def test_an_empty_downloads_view_says_what_to_do(qtbot, make_window, service):
    window = make_window(service)
    window.show_view("downloads")
    view = window.downloads_view
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.empty)
    assert {b.text() for b in view.empty.findChildren(type(view.buttons["pause"]))} >= {"Add Address…",
                                                                                        "Browse Catalogs…"}


def test_a_book_fetched_by_address_shows_its_progress_and_lands_in_the_library(qtbot, make_window, service,
                                                                               books_server):
    window = make_window(service)
    dialog = window.download_from_addresses()
    qtbot.addWidget(dialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.addresses.setPlainText(f"{books_server.url}/books/dispossessed.epub\n\n"
                                  f"{books_server.url}/books/broken.epub\n")
    dialog.accept()
    assert window.current_view() == "downloads"
    view = window.downloads_view

    def settled() -> bool:
        read_again(qtbot, view)
        states = {title: row[1] for title, row in rows(view).items()}
        return states.get("dispossessed.epub") == "Imported" and states.get("broken.epub") == "Failed"

    qtbot.waitUntil(settled, timeout=20_000)
    shown = rows(view)
    assert "not an EPUB" in shown["broken.epub"][8] or "HTML" in shown["broken.epub"][8]
    assert shown["broken.epub"][7].startswith("BD-")  # the reference to quote
    done = next(r for r in range(view.model.rowCount()) if view.model.index(r, 0).data() == "dispossessed.epub")
    assert view.model.index(done, PROGRESS_COLUMN).data(BAR_ROLE)[:2] == (1.0, "100%")
    assert [r.title for r in service.rows(service.work_ids())] == ["The Dispossessed"]

    select(view, "broken.epub")
    assert view.buttons["retry"].isEnabled() and view.buttons["remove"].isEnabled()
    assert not view.buttons["pause"].isEnabled()
    [broken] = [p.id for p in view.model.records if p.title == "broken.epub"]
    heard = []
    window.acquisition.progressed.connect(heard.append)
    view.buttons["remove"].click()
    qtbot.waitUntil(lambda: "broken.epub" not in rows(view))
    # The queue's last word on it ("removed") must not bring the row back, however late it comes:
    # it is said once more after the removal here. The view shows what it hears in batches, so a
    # word said after it shows only once "removed" was applied too.
    qtbot.waitUntil(lambda: any((p.id, p.state) == (broken, "removed") for p in heard), timeout=10_000)
    [last_word] = [p for p in heard if (p.id, p.state) == (broken, "removed")]
    [kept] = [p for p in view.model.records if p.title == "dispossessed.epub"]
    window.acquisition.progressed.emit(last_word)
    window.acquisition.progressed.emit(dataclasses.replace(kept, id=kept.id + 1000, title="later.epub"))
    qtbot.waitUntil(lambda: "later.epub" in rows(view), timeout=10_000)
    assert broken not in [p.id for p in view.model.records] and "broken.epub" not in rows(view)


def test_pause_resume_and_cancel_follow_the_selection(qtbot, make_window, service, books_server):
    window = make_window(service)
    # The first answer is held back (until the test is over), the next is at once: the download is
    # running and stays so until paused, whenever the window's own start of the queue comes.
    served = books_server.routes[("GET", "/books/dispossessed.epub")][0]
    books_server.route("GET", "/books/dispossessed.epub", Reply(body=served.body, content_type=served.content_type,
                                                                delay=600), served)
    window.acquisition.start()
    window.acquisition.queue.enqueue(f"{books_server.url}/books/dispossessed.epub")
    qtbot.waitUntil(lambda: len(books_server.requests_to("/books/dispossessed.epub")) == 1, timeout=20_000)
    window.show_view("downloads")
    view = window.downloads_view
    read_again(qtbot, view)
    select(view, "dispossessed.epub")
    assert view.buttons["pause"].isEnabled() and not view.buttons["resume"].isEnabled()

    view.buttons["pause"].click()
    qtbot.waitUntil(lambda: rows(view)["dispossessed.epub"][1] == "Paused")
    select(view, "dispossessed.epub")
    assert view.buttons["resume"].isEnabled() and not view.buttons["pause"].isEnabled()

    view.show_only.setCurrentIndex(view.show_only.findData("failed"))
    assert rows(view) == {}
    view.show_only.setCurrentIndex(view.show_only.findData("active"))
    select(view, "dispossessed.epub")
    view.buttons["cancel"].click()
    view.show_only.setCurrentIndex(view.show_only.findData("all"))
    qtbot.waitUntil(lambda: rows(view)["dispossessed.epub"][1] == "Cancelled")
    select(view, "dispossessed.epub")
    view.buttons["retry"].click()

    def imported() -> bool:
        read_again(qtbot, view)
        return rows(view)["dispossessed.epub"][1] == "Imported"

    qtbot.waitUntil(imported, timeout=20_000)


def test_a_torrent_is_followed_in_its_client_so_only_remove_and_retry_are_offered(qtbot, make_window, service):
    from datetime import UTC, datetime

    from bookdesk.data.download_repository import DownloadDraft, DownloadRepository

    with service.catalog.write() as session:
        repo = DownloadRepository(session)
        torrent = repo.add(DownloadDraft(url="magnet:?xt=urn:btih:" + "a" * 40, source="indexer:Prowlarr",
                                         kind="torrent", title="Kindred [EPUB]", client="Seedbox",
                                         client_id="a" * 40, state="running"))
        repo.update(torrent, bytes_total=2_000_000, bytes_done=500_000,
                    updated_at=datetime.now(UTC).replace(tzinfo=None))
    window = make_window(service)
    window.show_view("downloads")
    view = window.downloads_view
    read_again(qtbot, view)
    select(view, "Kindred [EPUB]")
    assert rows(view)["Kindred [EPUB]"][1] == "Downloading"
    assert {a for a, b in view.buttons.items() if b.isEnabled()} == {"remove"}
    view.buttons["remove"].click()
    qtbot.waitUntil(lambda: rows(view) == {})


def test_retry_asked_twice_for_a_failed_torrent_looks_for_another_release_once(qtbot, make_window, service):
    import asyncio
    import threading
    from types import SimpleNamespace

    from bookdesk.data.download_repository import DownloadDraft, DownloadRepository
    from bookdesk.ui import bridge

    with service.catalog.write() as session:
        failed = DownloadRepository(session).add(DownloadDraft(
            url="magnet:?xt=urn:btih:" + "b" * 40, source="indexer:Prowlarr", kind="torrent",
            title="Kindred [EPUB]", client="Seedbox", client_id="b" * 40, state="failed"))
    window = make_window(service)
    asked, answered, said, passed = [], threading.Event(), [], []

    async def retry_download(record) -> str:  # noqa: ANN001 - the failed DownloadRecord
        asked.append(record.id)
        while not answered.is_set():  # the indexers take their time
            await asyncio.sleep(0.01)
        return "grabbed another"

    async def current_sources():
        return SimpleNamespace(search=SimpleNamespace(retry_download=retry_download))

    async def after_what_was_started() -> None:
        # Started after the retries, on the same loops: once this is back, a retry started would have asked.
        passed.append(await window.services.worker.call(len, asked))

    window.acquisition.current_sources = current_sources
    window.acquisition.status.connect(said.append)
    window.acquisition.records()  # as the Downloads view reads them: the torrent is followed in a client
    window.acquisition.act("retry", [failed])
    qtbot.waitUntil(lambda: asked == [failed])
    window.acquisition.act("retry", [failed])  # Retry clicked again while the first is on its way
    bridge.start(after_what_was_started(), what="Look")
    qtbot.waitUntil(lambda: passed != [])
    assert asked == [failed]
    answered.set()
    qtbot.waitUntil(lambda: any("grabbed another" in s for s in said))
    window.acquisition.act("retry", [failed])  # answered: Retry may be asked again
    qtbot.waitUntil(lambda: len(asked) == 2)
