"""Pushing BookDesk's corrections to a real Audiobookshelf server (tests/servers/audiobookshelf.py): only the
fields corrected here and chosen to sync go out, a field the server changed its own way since the pull goes
to review instead, a dry run sends nothing, and undoing the push's Ref puts the server's values back."""

from __future__ import annotations

import asyncio

from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.pull import AbsPull
from bookdesk.core.audiobookshelf.push import AbsPush
from bookdesk.core.audiobookshelf.push_undo import undo_push
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.secrets import InMemorySecretStore
from tests.servers.audiobookshelf import AbsServer, Book, abs_server  # noqa: F401 - the session fixture

ASH = Book("Ann Archer/Ash Saga/Vol 1 - Ash", "Ash", "Ann Archer", "Nina Narrator", year="2001")


def _config(server: AbsServer, library_id: str, **extra):  # noqa: ANN003
    config = servers([{"name": "Home", "url": server.url, "libraries": [library_id], **extra}])
    return config, InMemorySecretStore({config[0].secret: server.api_key})


def _run(service: LibraryService, kind: str, body):  # noqa: ANN001
    runner = JobRunner(service.catalog)
    return asyncio.run(runner.run(runner.create(kind, kind), body))


def _pulled(service: LibraryService, server: AbsServer, **extra) -> tuple[str, int, str]:  # noqa: ANN003
    """Ash on the server, pulled into the library: (the library's id, the work's id, the item's id)."""
    _, library_id, _ = server.library([ASH])
    config, secrets = _config(server, library_id, **extra)
    assert _run(service, "abs-pull", AbsPull(service.catalog, config, secrets).run).state == "succeeded"
    work_id = service.work_ids()[0]
    return library_id, work_id, server.items(library_id)[0]["id"]


def _push(service: LibraryService, server: AbsServer, library_id: str, *, dry_run: bool = False, **extra):  # noqa: ANN003
    config, secrets = _config(server, library_id, **extra)
    result = _run(service, "abs-push", AbsPush(service.catalog, config, secrets, dry_run=dry_run).run)
    assert result.state == "succeeded", result.error
    return result.value


def _on_server(server: AbsServer, item_id: str) -> dict:
    return server.call("GET", f"/api/items/{item_id}", params={"expanded": 1}).json()["media"]["metadata"]


def test_corrections_made_here_go_to_the_item_field_by_field(abs_server, service):  # noqa: F811
    library_id, work_id, item_id = _pulled(service, abs_server)
    service.edit(work_id, "title", "Ash: A Novel", source="user")
    service.edit(work_id, "series", [{"name": "Ash Saga", "label": "1.5"}], source="user")
    service.edit(work_id, "rating", 8, source="user")  # not a field Audiobookshelf is told

    report = _push(service, abs_server, library_id)

    assert report.to_json()["pushed"] == [{"work_id": work_id, "item_id": item_id, "fields": ["series", "title"]}]
    assert report.conflicts == []
    metadata = _on_server(abs_server, item_id)
    assert metadata["title"] == "Ash: A Novel"
    assert [(s["name"], s["sequence"]) for s in metadata["series"]] == [("Ash Saga", "1.5")]
    assert [a["name"] for a in metadata["authors"]] == ["Ann Archer"]  # untouched
    assert _push(service, abs_server, library_id).pushed == []  # sent once, not again


def test_a_dry_run_says_what_would_go_and_sends_nothing(abs_server, service):  # noqa: F811
    library_id, work_id, item_id = _pulled(service, abs_server)
    service.edit(work_id, "publisher", "Kiln Press", source="user")

    report = _push(service, abs_server, library_id, dry_run=True)

    assert [p["fields"] for p in report.to_json()["pushed"]] == [["publisher"]]
    assert _on_server(abs_server, item_id)["publisher"] is None
    assert [p["fields"] for p in _push(service, abs_server, library_id).to_json()["pushed"]] == [["publisher"]]


def test_only_the_fields_chosen_to_sync_go(abs_server, service):  # noqa: F811
    library_id, work_id, item_id = _pulled(service, abs_server, sync_fields=["publisher"])
    service.edit(work_id, "title", "Ash Renamed", source="user")
    service.edit(work_id, "publisher", "Kiln Press", source="user")

    report = _push(service, abs_server, library_id, sync_fields=["publisher"])

    assert [p["fields"] for p in report.to_json()["pushed"]] == [["publisher"]]
    assert (_on_server(abs_server, item_id)["title"], _on_server(abs_server, item_id)["publisher"]) == (
        "Ash", "Kiln Press")


def test_a_field_the_server_changed_since_the_pull_goes_to_review_and_the_rest_goes_out(
        abs_server, service):  # noqa: F811
    library_id, work_id, item_id = _pulled(service, abs_server)
    service.edit(work_id, "title", "Ash (BookDesk)", source="user")
    service.edit(work_id, "publisher", "Kiln Press", source="user")
    abs_server.call("PATCH", f"/api/items/{item_id}/media", json={"metadata": {"title": "Ash (server)"}})

    report = _push(service, abs_server, library_id)

    assert [p["fields"] for p in report.to_json()["pushed"]] == [["publisher"]]
    assert report.to_json()["conflicts"] == [{"work_id": work_id, "item_id": item_id, "fields": ["title"]}]
    assert _on_server(abs_server, item_id)["title"] == "Ash (server)"  # not overwritten
    review = service.reviews()
    assert [r.work_id for r in review] == [work_id]
    proposal = review[0].candidates[0]["proposals"]
    assert [(p["field"], p["current"], p["proposed"]) for p in proposal] == [("title", "Ash (BookDesk)", "Ash (server)")]
    assert service.detail(work_id).title == "Ash (BookDesk)"  # BookDesk's stays until a person decides
    assert _push(service, abs_server, library_id).to_json()["pushed"] == []  # held while the review waits


def test_undoing_a_push_puts_the_server_values_back(abs_server, service):  # noqa: F811
    library_id, work_id, item_id = _pulled(service, abs_server)
    service.edit(work_id, "title", "Ash: A Novel", source="user")
    service.edit(work_id, "narrators", ["Nina Narrator", "Ned Voice"], source="user")
    report = _push(service, abs_server, library_id)
    assert _on_server(abs_server, item_id)["narrators"] == ["Nina Narrator", "Ned Voice"]
    config, secrets = _config(abs_server, library_id)

    undone = asyncio.run(undo_push(service.catalog, config, secrets, report.correlation_id))

    assert (undone.fields, undone.problems) == (2, [])
    metadata = _on_server(abs_server, item_id)
    assert (metadata["title"], metadata["narrators"]) == ("Ash", ["Nina Narrator"])
    assert service.detail(work_id).title == "Ash: A Novel"  # BookDesk keeps its own
    # Not sent again by itself (the scheduled sync would undo the undo): a field goes again once edited here.
    assert _push(service, abs_server, library_id).pushed == []


def test_a_conflict_skipped_in_review_keeps_the_server_value_until_the_field_is_edited_again(
        abs_server, service):  # noqa: F811
    library_id, work_id, item_id = _pulled(service, abs_server)
    service.edit(work_id, "title", "Ash (BookDesk)", source="user")
    abs_server.call("PATCH", f"/api/items/{item_id}/media", json={"metadata": {"title": "Ash (server)"}})
    _push(service, abs_server, library_id)
    [review] = service.reviews()

    service.skip_review(review.id)  # Review's Skip: the person has not chosen

    assert _push(service, abs_server, library_id).to_json()["pushed"] == []
    assert _on_server(abs_server, item_id)["title"] == "Ash (server)"
    service.edit(work_id, "title", "Ash (mine)", source="user")  # a choice made here after the skip goes out
    assert [p["fields"] for p in _push(service, abs_server, library_id).to_json()["pushed"]] == [["title"]]
    assert _on_server(abs_server, item_id)["title"] == "Ash (mine)"
