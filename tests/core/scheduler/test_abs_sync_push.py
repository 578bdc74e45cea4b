""""Sync with Audiobookshelf" pulls, then pushes: a correction made here since the last sync reaches the
server's item under the sync's Ref, which undoes it there (tests/servers/audiobookshelf.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.push_undo import undo_push
from bookdesk.core.scheduler import kinds
from bookdesk.core.settings import Settings
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture


def _synced_once(make_scheduler, context, service, server, book: Book):  # noqa: ANN001, ANN202
    """``book`` on the server, synced once into the library: (the scheduler, the library's id, the work)."""
    _, library_id, _ = server.library([book])
    context.settings = replace(Settings(), audiobookshelf_servers=[
        {"name": "Home NAS", "url": server.url, "libraries": [library_id]}])
    context.secrets.set("audiobookshelf:Home NAS", server.api_key)
    scheduler = make_scheduler([kinds.ABS_SYNC])
    assert asyncio.run(scheduler.sync())[0].status == "succeeded"
    [work_id] = service.work_ids()
    return scheduler, library_id, work_id


def test_the_sync_pulls_then_pushes_the_corrections_made_here(
        make_scheduler, context, service, abs_server, clock):  # noqa: F811
    scheduler, library_id, work_id = _synced_once(make_scheduler, context, service, abs_server,
                                                  Book("Ed Eve/Ember", "Ember", "Ed Eve"))
    service.edit(work_id, "publisher", "Kiln Press", source="user")
    item_id = abs_server.items(library_id)[0]["id"]

    clock.advance(7 * 3600)
    [second] = asyncio.run(scheduler.sync())

    assert second.status == "succeeded"
    assert second.summary == ("1 item on Home NAS: 0 linked, 0 new, 0 updated, 0 removed; pushed 1 field of "
                              "1 item to Home NAS")
    metadata = abs_server.call("GET", f"/api/items/{item_id}").json()["media"]["metadata"]
    assert metadata["publisher"] == "Kiln Press"
    config = servers(context.settings.audiobookshelf_servers)
    undone = asyncio.run(undo_push(service.catalog, config, context.secrets, second.correlation_id))
    assert undone.fields == 1
    assert abs_server.call("GET", f"/api/items/{item_id}").json()["media"]["metadata"]["publisher"] is None


def test_a_field_changed_on_the_server_and_here_between_syncs_goes_to_review(
        make_scheduler, context, service, abs_server, clock):  # noqa: F811
    scheduler, library_id, work_id = _synced_once(make_scheduler, context, service, abs_server,
                                                  Book("Fay Fox/Flint", "Flint", "Fay Fox"))
    item_id = abs_server.items(library_id)[0]["id"]
    service.edit(work_id, "title", "Flint (here)", source="user")
    abs_server.call("PATCH", f"/api/items/{item_id}/media", json={"metadata": {"title": "Flint (there)"}})

    clock.advance(7 * 3600)
    [second] = asyncio.run(scheduler.sync())

    assert second.status == "succeeded"
    assert second.summary.endswith("1 changed on the server too, in review")
    assert abs_server.call("GET", f"/api/items/{item_id}").json()["media"]["metadata"]["title"] == "Flint (there)"
    [review] = service.reviews()
    assert [(p["current"], p["proposed"]) for p in review.candidates[0]["proposals"]] == [
        ("Flint (here)", "Flint (there)")]
