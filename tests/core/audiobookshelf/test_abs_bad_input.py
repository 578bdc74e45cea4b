"""The issue's bad input, from a real Audiobookshelf server (tests/servers/audiobookshelf.py) where it can
be made there: an item whose metadata was set to hostile text and hundreds of authors is pulled as a plain
book, beside the others; a server too old for BookDesk's API (a real HTTP server on 127.0.0.1 answering as
one) is refused naming the version needed, and nothing is asked of it."""

from __future__ import annotations

import asyncio

import pytest

from bookdesk.core.audiobookshelf.client import AbsError, check_server
from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.items import MAX_PEOPLE
from tests.core.audiobookshelf.test_abs_pull import ASH, BONE, _pull
from tests.core.net.local_server import LocalServer, Reply
from tests.servers.audiobookshelf import abs_server  # noqa: F401 - the session fixture

HOSTILE_TITLE = "<script>alert(1)</script>Ash\x07 \u202eRising\u202c'; DROP TABLE works; --"


def test_hostile_metadata_set_on_the_server_is_pulled_as_a_plain_book_beside_the_others(
        abs_server, service):  # noqa: F811
    _, library_id, _ = abs_server.library([ASH, BONE])
    ash = next(item["id"] for item in abs_server.items(library_id) if item["media"]["metadata"]["title"] == "Ash")
    abs_server.call("PATCH", f"/api/items/{ash}/media", json={"metadata": {
        "title": HOSTILE_TITLE, "authors": [{"name": f"Author {n}"} for n in range(300)],
        "description": "<p>One</p><iframe src=x></iframe>" + "x" * 200_000}})

    result = _pull(service, abs_server, library_id)

    assert result.state == "succeeded", result.error
    assert (result.value.items, result.value.new) == (2, 2)
    rows = {row.title: row for row in service.rows(service.work_ids())}
    assert "Bone" in rows
    (title,) = [t for t in rows if t != "Bone"]
    assert "<" not in title and "\x07" not in title and "\u202e" not in title and "Ash" in title
    detail = service.detail(rows[title].id)
    assert len(detail.authors) == MAX_PEOPLE and detail.authors[0] == "Author 0"
    assert "<iframe" not in (detail.description or "")


@pytest.fixture
def old_server():
    server = LocalServer().start()
    server.route("GET", "/status", Reply(body={"app": "audiobookshelf", "serverVersion": "2.25.1", "isInit": True}))
    yield server
    server.stop()


def test_a_server_too_old_for_the_api_is_refused_naming_the_version_needed(old_server):
    config = servers([{"name": "Attic", "url": old_server.url}])[0]

    with pytest.raises(AbsError) as refused:
        asyncio.run(check_server(config, "a-key"))

    assert refused.value.message.startswith("Audiobookshelf server Attic runs Audiobookshelf 2.25.1; BookDesk "
                                            "needs 2.26.0 or newer")
    assert [r.path for r in old_server.requests] == ["/status"]  # the key went nowhere
