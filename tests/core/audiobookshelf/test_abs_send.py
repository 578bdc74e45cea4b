"""Sending local books to a real Audiobookshelf server (tests/servers/audiobookshelf.py) through its upload
API: laid out as the server reads folders, waited for, linked; a book whose folder the server has already
fails alone and the rest of the batch goes on."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.send import AbsSend
from bookdesk.core.jobs import JobRunner
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.data.abs_link_repository import AbsLinkRepository
from tests.servers.audiobookshelf import Book, abs_server, lay  # noqa: F401 - the session fixture


def _send(service, server, library_name, work_ids):  # noqa: ANN001, ANN202
    config = servers([{"name": "Home", "url": server.url, "libraries": [library_name]}])[0]
    secrets = InMemorySecretStore({config.secret: server.api_key})
    runner = JobRunner(service.catalog)
    ctx = runner.create("abs-send", "Send to Home")
    return asyncio.run(runner.run(ctx, AbsSend(service.catalog, config, secrets, work_ids, wait=120.0).run))


def test_sent_books_appear_on_the_server_linked_and_a_folder_there_already_fails_that_book_alone(
        abs_server, service, import_books, tmp_path):  # noqa: F811
    incoming = tmp_path / "incoming"
    ash = lay(incoming, Book("ash", "Ash", "Ann Archer", fmt="m4b"))
    bone = lay(incoming, Book("bone", "Bone", "Bo Baker", fmt="mp3"))
    result, _ = import_books(service.catalog, [ash, bone])
    assert result.state == "succeeded", result.error
    ids = {row.title: row.id for row in service.rows(service.work_ids())}
    service.edit(ids["Ash"], "authors", ["Ann Archer"])
    service.edit(ids["Ash"], "narrators", ["Nina Narrator"])
    service.edit(ids["Ash"], "series", [{"name": "Ash Saga", "label": "1"}])
    service.edit(ids["Bone"], "authors", ["Bo Baker"])
    service.edit(ids["Ash"], "description", "A saga of ash.")  # in BookDesk only: sent as the item's metadata
    # The server has a folder where Bone would go: it is not sent over it.
    library_name, library_id, _ = abs_server.library([Book("Bo Baker/Bone", "Bone", "Bo Baker")])

    sent = _send(service, abs_server, library_name, [ids["Ash"], ids["Bone"]])

    assert sent.state == "succeeded", sent.error
    report = sent.value
    items = {item["relPath"]: item["id"] for item in abs_server.items(library_id)}
    assert report.sent == [{"work_id": ids["Ash"], "item_id": items["Ann Archer/Ash Saga/Vol 1 - Ash {Nina Narrator}"]}]
    assert [(f["work_id"], f["ref"]) for f in report.failed] == [(ids["Bone"], sent.correlation_id)]
    assert "has a folder Bo Baker/Bone" in report.failed[0]["error"]
    with service.catalog.read() as session:
        held = AbsLinkRepository(session).servers_of([ids["Ash"], ids["Bone"]])
    assert held == {ids["Ash"]: ["Home"]}
    assert {r.title: r.on_server for r in service.rows(service.work_ids())} == {"Ash": "Home", "Bone": ""}
    metadata = abs_server.call("GET", f"/api/items/{report.sent[0]['item_id']}").json()["media"]["metadata"]
    assert (metadata["title"], metadata["description"], metadata["narrators"]) == (
        "Ash", "A saga of ash.", ["Nina Narrator"])
    assert [(s["name"], s["sequence"]) for s in metadata["series"]] == [("Ash Saga", "1")]


def test_a_key_whose_user_may_not_upload_fails_each_book_saying_so(abs_server, service, import_books, tmp_path):  # noqa: F811
    import uuid

    result, _ = import_books(service.catalog, [lay(tmp_path / "incoming", Book("eve", "Eve", "Ed Eames", fmt="mp3"))])
    assert result.state == "succeeded", result.error
    library_name, library_id, _ = abs_server.library([])
    name = f"listener-{uuid.uuid4().hex[:6]}"
    user = abs_server.call("POST", "/api/users", json={"username": name, "password": "a long password here",
                                                       "type": "user", "isActive": True,
                                                       "permissions": {"upload": False}}).json()["user"]
    key = abs_server.call("POST", "/api/api-keys", json={"name": name, "userId": user["id"],
                                                         "isActive": True}).json()["apiKey"]["apiKey"]
    listener = replace(abs_server, api_key=key)

    sent = _send(service, listener, library_name, service.work_ids())

    assert sent.state == "succeeded", sent.error
    assert sent.value.sent == [] and len(sent.value.failed) == 1
    assert "does not let this key's user upload" in sent.value.failed[0]["error"]
    assert abs_server.items(library_id) == []
