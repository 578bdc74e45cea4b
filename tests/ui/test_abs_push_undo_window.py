"""The window's Undo of a push to Audiobookshelf (Activity, History): the server's values go back there,
as ``bookdesk undo`` does (tests/servers/audiobookshelf.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.pull import AbsPull
from bookdesk.core.audiobookshelf.push import AbsPush
from bookdesk.core.jobs import JobRunner
from bookdesk.core.secrets import InMemorySecretStore
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture
from tests.ui.activity_harness import undo_in_activity


def _pushed(make_window, service, server, book: Book, title: str, kind: str | None = "abs-push"):  # noqa: ANN001, ANN202
    """The book pulled, its title corrected here and pushed by a job of ``kind`` (None: not pushed yet); the
    window set up with the server, that job's Ref and a reader of the server's title."""
    _, library_id, _ = server.library([book])
    raw = [{"name": "Home NAS", "url": server.url, "libraries": [library_id]}]
    config = servers(raw)
    secrets = InMemorySecretStore({config[0].secret: server.api_key})
    runner = JobRunner(service.catalog)
    asyncio.run(runner.run(runner.create("abs-pull", "Pull"), AbsPull(service.catalog, config, secrets).run))
    [work_id] = service.work_ids()
    service.edit(work_id, "title", title, source="user")
    pushed = asyncio.run(runner.run(runner.create(kind, "Push to Home NAS"),
                                    AbsPush(service.catalog, config, secrets).run)) if kind else None
    item_id = server.items(library_id)[0]["id"]

    def server_title() -> str:
        return server.call("GET", f"/api/items/{item_id}").json()["media"]["metadata"]["title"]

    assert server_title() == (title if kind else book.title)
    window = make_window(service)
    window.secrets.set(config[0].secret, server.api_key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=raw))
    return window, work_id, pushed.correlation_id if pushed else None, server_title


def test_undo_of_a_push_in_the_window_puts_the_server_values_back(
        qtbot, make_window, service, abs_server):  # noqa: F811
    window, work_id, ref, title = _pushed(make_window, service, abs_server, Book("Hal Hart/Haze", "Haze", "Hal Hart"),
                                          "Haze Lifts")
    said: list[str] = []
    window.imports.status.connect(said.append)

    window.imports.undo(ref)

    qtbot.waitUntil(lambda: any(s.startswith("Undone: 1 field set back") for s in said), timeout=60_000)
    assert title() == "Haze"
    assert service.detail(work_id).title == "Haze Lifts"


@pytest.mark.parametrize("kind", ["abs-push", "abs-sync"])
def test_undo_this_job_in_activity_sets_a_push_back_on_the_server(
        qtbot, make_window, service, abs_server, monkeypatch, kind):  # noqa: F811
    window, _, ref, title = _pushed(make_window, service, abs_server, Book("Ida Iles/Inlet", "Inlet", "Ida Iles"),
                                    "Inlet Tides", kind)

    activity = undo_in_activity(qtbot, window, ref, monkeypatch)

    qtbot.waitUntil(lambda: title() == "Inlet", timeout=60_000)
    activity.select_job(ref)
    qtbot.waitUntil(lambda: not activity.undo_button.isEnabled(), timeout=60_000)
    assert "undone already" in activity.undo_button.toolTip()


def test_edit_undo_after_sync_now_sets_what_the_sync_pushed_back(qtbot, make_window, service, abs_server):  # noqa: F811
    window, _, _, title = _pushed(make_window, service, abs_server, Book("Jo Jett/Jade", "Jade", "Jo Jett"),
                                  "Jade Moon", kind=None)

    window.sync_action.trigger()

    qtbot.waitUntil(lambda: title() == "Jade Moon", timeout=60_000)
    qtbot.waitUntil(window.undo_action.isEnabled, timeout=60_000)
    assert "Sync with Audiobookshelf" in window.undo_action.text()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: title() == "Jade", timeout=60_000)
