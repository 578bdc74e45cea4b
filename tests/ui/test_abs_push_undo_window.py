"""The window's Undo of a push to Audiobookshelf (Activity, History): the server's values go back there,
as ``bookdesk undo`` does (tests/servers/audiobookshelf.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.pull import AbsPull
from bookdesk.core.audiobookshelf.push import AbsPush
from bookdesk.core.jobs import JobRunner
from bookdesk.core.secrets import InMemorySecretStore
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def test_undo_of_a_push_in_the_window_puts_the_server_values_back(
        qtbot, make_window, service, abs_server):  # noqa: F811
    _, library_id, _ = abs_server.library([Book("Hal Hart/Haze", "Haze", "Hal Hart")])
    raw = [{"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}]
    config = servers(raw)
    secrets = InMemorySecretStore({config[0].secret: abs_server.api_key})
    runner = JobRunner(service.catalog)
    asyncio.run(runner.run(runner.create("abs-pull", "Pull"), AbsPull(service.catalog, config, secrets).run))
    [work_id] = service.work_ids()
    service.edit(work_id, "title", "Haze Lifts", source="user")
    pushed = asyncio.run(runner.run(runner.create("abs-push", "Push"), AbsPush(service.catalog, config, secrets).run))
    item_id = abs_server.items(library_id)[0]["id"]

    def title() -> str:
        return abs_server.call("GET", f"/api/items/{item_id}").json()["media"]["metadata"]["title"]

    assert title() == "Haze Lifts"
    window = make_window(service)
    window.secrets.set(config[0].secret, abs_server.api_key)
    window.apply_settings(replace(window.settings, audiobookshelf_servers=raw))
    said: list[str] = []
    window.imports.status.connect(said.append)

    window.imports.undo(pushed.correlation_id)

    qtbot.waitUntil(lambda: any(s.startswith("Undone: 1 field set back") for s in said), timeout=60_000)
    assert title() == "Haze"
    assert service.detail(work_id).title == "Haze Lifts"
