"""An audiobook that arrives through a download, sent on by itself to the Audiobookshelf library a server's
settings name under "Send downloaded audiobooks to" (the real server of tests/servers/audiobookshelf.py, the
download from a real HTTP server on 127.0.0.1): once imported, a job of its own naming the download's Ref
sends it; a server that cannot take it is said, and the book stays in the library."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.core.net.local_server import LocalServer, Reply
from tests.servers.audiobookshelf import Book, abs_server, lay  # noqa: F401 - the session fixture


@pytest.fixture
def audio_server(tmp_path):
    mp3 = lay(tmp_path / "served", Book("dusk", "Dusk", "Di Dale", fmt="mp3"))
    server = LocalServer().start()
    server.route("GET", "/books/dusk.mp3", Reply(body=mp3.read_bytes(), content_type="audio/mpeg"))
    yield server
    server.stop()


def _set_up(window, url: str, library: str, key: str) -> None:  # noqa: ANN001 - the main window
    window.secrets.set("audiobookshelf:Home NAS", key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=[
        {"name": "Home NAS", "url": url, "libraries": [library], "send_downloads_to": library}]))


def test_a_downloaded_audiobook_goes_on_to_the_server_under_a_job_naming_the_download(
        qtbot, make_window, service, abs_server, audio_server):  # noqa: F811
    library_name, library_id, _ = abs_server.library([])
    window = make_window(service)
    _set_up(window, abs_server.url, library_name, abs_server.api_key)

    window.acquisition.fetch([f"{audio_server.url}/books/dusk.mp3"])

    qtbot.waitUntil(lambda: any("Dusk" in item["relPath"] for item in abs_server.items(library_id)), timeout=120_000)
    qtbot.waitUntil(lambda: "1 book sent to Home NAS" in window.jobs.label.text(), timeout=120_000)
    (work_id,) = service.work_ids()
    assert service.rows([work_id])[0].on_server == "Home NAS"
    download = window.acquisition.records()[0]
    jobs = {job.kind: job for job in service.jobs()}
    assert jobs["abs-send"].title == f"Send “Dusk” to Home NAS (downloaded, Ref {download.correlation_id})"
    assert jobs["abs-send"].state == "succeeded"


def test_a_server_that_cannot_take_it_is_said_and_the_book_stays(
        qtbot, make_window, service, audio_server):
    window = make_window(service)
    _set_up(window, "http://127.0.0.1:9", "Audiobooks", "a-key")

    window.acquisition.fetch([f"{audio_server.url}/books/dusk.mp3"])

    qtbot.waitUntil(lambda: any(job.kind == "abs-send" and job.state == "failed" for job in service.jobs()),
                    timeout=120_000)
    failed = next(job for job in service.jobs() if job.kind == "abs-send")
    assert "Audiobookshelf server Home NAS cannot be reached" in (failed.error or "")
    (work_id,) = service.work_ids()
    assert service.rows([work_id])[0].title == "Dusk"
    assert window.acquisition.records()[0].state == "imported"
