"""Views whose rows take long to read on a big library read them on the worker: the window says it is
loading and stays responsive, and the rows land when the worker answers."""

from __future__ import annotations

import contextlib
import threading

from bookdesk.core import logging_setup
from bookdesk.data.catalog import Catalog
from bookdesk.data.download_repository import DownloadDraft, DownloadRepository
from bookdesk.data.work_repository import WorkRepository
from tests.conftest import simple_metadata, write_epub
from tests.core.net.local_server import LocalServer, Reply
from tests.ui.test_series_views import add_book

HELD = 30  # seconds the worker is held at most, should the test fail before it lets go


def held(fn, gate: threading.Event):  # noqa: ANN001, ANN201 - any function
    """``fn`` that waits, on the worker, until the test lets it go."""

    def wait_then_call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        gate.wait(HELD)
        return fn(*args, **kwargs)

    return wait_then_call


def shown_once_read(qtbot, window, monkeypatch, holder: object, read: str, name: str, rows: int):  # noqa: ANN001, ANN201
    """Show the view ``name`` while ``holder.read`` is held on the worker: it shows no rows then (what
    its note says is returned, with the view); let go, its ``rows`` rows come."""
    gate = threading.Event()
    monkeypatch.setattr(holder, read, held(getattr(holder, read), gate))
    window.show_view(name)  # returns at once: the worker is still held
    view = getattr(window, f"{name}_view")
    assert view.model.rowCount() == 0
    said = view.note.text()
    gate.set()
    qtbot.waitUntil(lambda: view.model.rowCount() == rows)
    return view, said


def sessions_on_the_main_thread(catalog: Catalog, monkeypatch) -> list[str]:  # noqa: ANN001 - pytest's
    """From now on, each catalog session ("read" or "write") opened on the GUI thread, in order."""
    seen: list[str] = []

    def watched(name: str):  # noqa: ANN202
        opened = getattr(catalog, name)

        @contextlib.contextmanager
        def session(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if threading.current_thread() is threading.main_thread():
                seen.append(name)
            with opened(*args, **kwargs) as s:
                yield s
        return session

    monkeypatch.setattr(catalog, "read", watched("read"))
    monkeypatch.setattr(catalog, "write", watched("write"))
    return seen


def test_the_series_view_says_it_is_loading_until_the_worker_has_read_the_series(qtbot, make_window, service,
                                                                                 monkeypatch):
    with service.catalog.write() as session:
        add_book(WorkRepository(session), "A Wizard of Earthsea", "1")
        add_book(WorkRepository(session), "Dune", "1", series="Dune", author="Frank Herbert")
    window = make_window(service)
    view, said_while_held = shown_once_read(qtbot, window, monkeypatch, window.series, "summaries", "series", 2)
    assert said_while_held == "Loading series…"
    assert view.note.text() == "2 series"
    assert {view.model.index(r, 0).data() for r in range(2)} == {"Dune", "Earthsea Cycle"}


def test_the_activity_view_reads_a_jobs_log_on_the_worker(qtbot, make_window, service, monkeypatch):
    window = make_window(service)
    handle = window.worker.submit("bench", "A job that logs", _logs_a_line)
    handle.result(30)
    gate = threading.Event()
    monkeypatch.setattr(logging_setup, "lines_for", held(logging_setup.lines_for, gate))

    window.show_job(handle.correlation_id)
    activity = window.activity_view
    assert activity.log.toPlainText() == "Reading the log…"
    gate.set()
    qtbot.waitUntil(lambda: "a line of the job" in activity.log.toPlainText())
    assert handle.correlation_id in activity.log_title.text()


async def _logs_a_line(_ctx) -> None:  # noqa: ANN001 - JobContext
    import logging

    logging.getLogger("bookdesk.tests").info("a line of the job")


def test_the_download_queue_is_built_and_started_on_the_worker_and_resumes_the_last_runs_downloads(
        qtbot, make_window, service, monkeypatch, tmp_path):
    epub = write_epub(tmp_path / "served" / "left.epub", simple_metadata("The Left Hand of Darkness", "Le Guin"))
    server = LocalServer().start()
    try:
        server.route("GET", "/left.epub", Reply(body=epub.read_bytes(), content_type="application/epub+zip"))
        with service.catalog.write() as session:  # unfinished when the last run was closed
            DownloadRepository(session).add(DownloadDraft(url=f"{server.url}/left.epub", source="direct",
                                                          title="left.epub"))
        window = make_window(service)
        built_on: list[threading.Thread] = []
        build = window.services.download_queue  # it loads httpx and rich: a stall of up to 1.4 s

        def watched_build():  # noqa: ANN202
            built_on.append(threading.current_thread())
            return build()
        monkeypatch.setattr(window.services, "download_queue", watched_build)
        window.acquisition.start()  # what the window's timer does once it shows
        qtbot.waitUntil(lambda: [d.state for d in service.downloads()] == ["imported"], timeout=20_000)
        assert len(server.requests_to("/left.epub")) == 1
        assert built_on and threading.main_thread() not in built_on
    finally:
        server.stop()


def test_the_downloads_view_says_it_is_loading_until_the_worker_has_read_the_downloads(qtbot, make_window, service,
                                                                                       monkeypatch):
    with service.catalog.write() as session:
        DownloadRepository(session).add(DownloadDraft(url="https://books.invalid/kindred.epub", source="direct",
                                                      title="kindred.epub", state="failed"))
    window = make_window(service)
    on_main = sessions_on_the_main_thread(service.catalog, monkeypatch)
    view, said_while_held = shown_once_read(qtbot, window, monkeypatch, window.acquisition, "records", "downloads", 1)
    assert said_while_held == "Loading downloads…"
    assert view.note.text() == "0 active · 1 failed · 1 in all"
    assert view.model.index(0, 0).data() == "kindred.epub"
    assert on_main == []
