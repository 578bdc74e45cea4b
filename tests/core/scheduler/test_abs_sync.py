""""Sync with Audiobookshelf" as the scheduler runs it (``bookdesk sync``, the window's schedule): a pull
from every server switched on against the real server (tests/servers/audiobookshelf.py), the books it
changed told to the window; with no server set up it does not run."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bookdesk.core.scheduler import kinds
from bookdesk.core.settings import Settings
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def test_the_sync_pulls_from_the_servers_and_tells_which_books_changed(
        make_scheduler, context, service, abs_server):  # noqa: F811
    _, library_id, _ = abs_server.library([Book("Ann Archer/Ash", "Ash", "Ann Archer")])
    context.settings = replace(Settings(), audiobookshelf_servers=[
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]},
        {"name": "Off", "url": "http://127.0.0.1:9", "enabled": False}])
    context.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)
    told: list[int] = []
    context.books_changed = told.extend

    [result] = asyncio.run(make_scheduler([kinds.ABS_SYNC]).sync())

    assert (result.status, result.summary) == ("succeeded", "1 item on Home NAS: 0 linked, 1 new, 0 updated, "
                                                            "0 removed")
    assert told == service.work_ids()
    assert [row.title for row in service.rows(told)] == ["Ash"]


def test_with_no_server_switched_on_the_sync_is_skipped_saying_why(make_scheduler, context):
    context.settings = replace(Settings(), audiobookshelf_servers=[
        {"name": "Off", "url": "http://127.0.0.1:9", "enabled": False}])

    [result] = asyncio.run(make_scheduler([kinds.ABS_SYNC]).sync())

    assert (result.status, result.summary, result.correlation_id) == (
        "skipped", "No Audiobookshelf server is set up", None)


def test_a_server_without_its_key_is_said_and_the_others_are_pulled(
        make_scheduler, context, service, abs_server):  # noqa: F811
    _, library_id, _ = abs_server.library([Book("Bo Baker/Bone", "Bone", "Bo Baker")])
    context.settings = replace(Settings(), audiobookshelf_servers=[
        {"name": "Keyless", "url": abs_server.url, "libraries": [library_id]},
        {"name": "Home NAS", "url": abs_server.url, "libraries": [library_id]}])
    context.secrets.set("audiobookshelf:Home NAS", abs_server.api_key)

    [result] = asyncio.run(make_scheduler([kinds.ABS_SYNC]).sync())

    assert result.status == "succeeded"
    assert result.summary.startswith("1 item on Home NAS: 0 linked, 1 new, 0 updated, 0 removed; not pulled: "
                                     "Audiobookshelf server Keyless has no API key.")
    assert [row.title for row in service.rows(service.work_ids())] == ["Bone"]
