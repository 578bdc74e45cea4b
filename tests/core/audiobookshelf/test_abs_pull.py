"""Pulling from a real Audiobookshelf server (tests/servers/audiobookshelf.py): items linked to the
library's books by path, ISBN and title and author, the rest made into books on the server only, a
re-pull that updates and removes, and a pull that fails halfway or with a wrong key changing nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bookdesk.core.audiobookshelf.client import AbsError
from bookdesk.core.audiobookshelf.config import servers
from bookdesk.core.audiobookshelf.pull import AbsPull
from bookdesk.core.jobs import JobRunner
from bookdesk.core.library_service import LibraryService
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.data.abs_link_repository import AbsLinkRepository
from tests.servers.audiobookshelf import AbsServer, Book, abs_server  # noqa: F401 - the session fixture

ASH = Book("Ann Archer/Ash Saga/Vol 1 - Ash", "Ash", "Ann Archer", "Nina Narrator", year="2001")
BONE = Book("Bo Baker/Bone", "Bone", "Bo Baker", fmt="mp3", isbn="9780000000019")
CINDER = Book("Cy Cole/Cinder", "Cinder", "Cy Cole", genre="Mystery")


def _pull(service: LibraryService, server: AbsServer, library_id: str, *, key: str | None = None,
          transport: httpx.AsyncBaseTransport | None = None, mappings: list[dict] | None = None):
    config = servers([{"name": "Home", "url": server.url, "libraries": [library_id],
                       "path_mappings": mappings or []}])
    secrets = InMemorySecretStore({config[0].secret: key or server.api_key})
    runner = JobRunner(service.catalog)
    ctx = runner.create("abs-pull", "Pull from Home")
    return asyncio.run(runner.run(ctx, AbsPull(service.catalog, config, secrets, transport=transport).run))


def _held(service: LibraryService) -> dict[str, list[str]]:
    """Each book's title with the servers holding it, as the Library's column shows them."""
    ids = service.work_ids()
    with service.catalog.read() as session:
        held = AbsLinkRepository(session).servers_of(ids)
    return {row.title: held.get(row.id, []) for row in service.rows(ids)}


def _ash_here_bone_on_the_server(service: LibraryService, server: AbsServer, import_books, make_book) -> str:  # noqa: ANN001
    """Ash in the library and on the server, Bone on the server only, pulled once; the library's id."""
    import_books(service.catalog, [make_book("Ash", author="Ann Archer")])
    _, library_id, _ = server.library([ASH, BONE])
    first = _pull(service, server, library_id).value
    assert (first.linked, first.new) == (1, 1)
    return library_id


def test_items_link_to_the_books_they_are_and_the_rest_become_books_on_the_server(
        abs_server, service, import_books, make_book):  # noqa: F811
    import_books(service.catalog, [make_book("Ash", author="Ann Archer"),
                                   make_book("Another Name", author="Someone", isbn="9780000000019"),
                                   make_book("Dune", author="Frank Herbert")])
    _, library_id, _ = abs_server.library([ASH, BONE, CINDER])

    result = _pull(service, abs_server, library_id)

    assert result.state == "succeeded", result.error
    report = result.value
    assert (report.items, report.linked, report.new, report.updated, report.removed) == (3, 2, 1, 0, 0)
    assert _held(service) == {"Ash": ["Home"], "Another Name": ["Home"], "Cinder": ["Home"], "Dune": []}
    cinder = next(r for r in service.rows(service.work_ids()) if r.title == "Cinder")
    detail = service.detail(cinder.id)
    assert (cinder.status, cinder.formats, detail.authors, detail.tags) == ("owned", "", ["Cy Cole"], ("Mystery",))


def test_the_same_book_on_two_servers_is_one_book_held_by_both(abs_server, service):  # noqa: F811
    _, home, _ = abs_server.library([ASH])
    _, cabin, _ = abs_server.library([Book("Ann Archer/Ash (mp3)", "Ash", "Ann Archer", fmt="mp3")])
    config = servers([{"name": "Home", "url": abs_server.url, "libraries": [home]},
                      {"name": "Cabin", "url": abs_server.url, "libraries": [cabin]}])
    secrets = InMemorySecretStore({c.secret: abs_server.api_key for c in config})
    runner = JobRunner(service.catalog)

    result = asyncio.run(runner.run(runner.create("abs-pull", "Pull"), AbsPull(service.catalog, config, secrets).run))

    assert (result.value.items, result.value.new, result.value.linked, result.value.servers) == (
        2, 1, 1, ["Home", "Cabin"])
    assert _held(service) == {"Ash": ["Cabin", "Home"]}
    assert service.rows(service.work_ids())[0].on_server == "Cabin, Home"


def test_a_wanted_book_the_server_holds_is_owned_and_wanted_no_more(abs_server, service):  # noqa: F811
    from bookdesk.data.catalog_rows import Contributor, NewWork
    from bookdesk.data.work_repository import WorkRepository

    with service.catalog.write() as session:
        wanted = WorkRepository(session).add(NewWork("Bone", [Contributor("Bo Baker")], status="wanted"))
    _, library_id, _ = abs_server.library([BONE])

    report = _pull(service, abs_server, library_id).value

    assert (report.linked, report.new) == (1, 0)
    assert service.rows([wanted])[0].status == "owned"
    assert service.work_ids(shelf="wanted") == []


def test_a_pull_again_changes_nothing_and_one_after_a_deletion_removes_only_its_link(
        abs_server, service):  # noqa: F811
    _, library_id, _ = abs_server.library([ASH, BONE])
    first = _pull(service, abs_server, library_id).value
    assert (first.items, first.new) == (2, 2)

    again = _pull(service, abs_server, library_id).value
    assert (again.items, again.linked, again.new, again.updated, again.removed) == (2, 0, 0, 0, 0)

    bone = next(item["id"] for item in abs_server.items(library_id) if item["media"]["metadata"]["title"] == "Bone")
    abs_server.delete_item(bone)
    after = _pull(service, abs_server, library_id).value

    assert (after.items, after.removed) == (1, 1)
    assert _held(service) == {"Ash": ["Home"]}  # Bone was on the server only: it is nowhere now


def test_a_book_that_was_only_on_the_server_leaves_with_its_item_and_undo_brings_it_back(
        abs_server, service, import_books, make_book):  # noqa: F811
    library_id = _ash_here_bone_on_the_server(service, abs_server, import_books, make_book)
    for item in abs_server.items(library_id):
        abs_server.delete_item(item["id"])

    after = _pull(service, abs_server, library_id).value

    assert (after.items, after.removed, after.gone) == (0, 2, 1)
    assert after.summary().endswith("2 removed; 1 book on no server and with no file here taken out")
    assert _held(service) == {"Ash": []}  # the book here stays, its files with it
    service.undo_job(after.correlation_id)
    assert sorted(_held(service)) == ["Ash", "Bone"]


def test_an_item_changed_on_the_server_is_updated_and_a_book_on_the_server_only_follows_it(
        abs_server, service, import_books, make_book):  # noqa: F811
    library_id = _ash_here_bone_on_the_server(service, abs_server, import_books, make_book)
    items = {item["media"]["metadata"]["title"]: item["id"] for item in abs_server.items(library_id)}
    for title, item_id in items.items():
        abs_server.call("PATCH", f"/api/items/{item_id}/media",
                        json={"metadata": {"title": f"{title} Reborn", "authors": [{"name": "Cy Cole"}]}})

    again = _pull(service, abs_server, library_id).value

    assert (again.items, again.linked, again.new, again.updated, again.removed) == (2, 0, 0, 2, 0)
    rows = {row.title: row.authors for row in service.rows(service.work_ids())}
    assert rows == {"Ash": "Ann Archer", "Bone Reborn": "Cy Cole"}  # the book here keeps its own metadata
    bone = next(row.id for row in service.rows(service.work_ids()) if row.title == "Bone Reborn")
    assert [c.source for c in service.history(bone)][:2] == ["audiobookshelf", "audiobookshelf"]


def test_finished_on_the_server_marks_the_book_finished_and_undo_takes_it_back(abs_server, service):  # noqa: F811
    _, library_id, _ = abs_server.library([ASH])
    abs_server.finish(abs_server.items(library_id)[0]["id"])

    report = _pull(service, abs_server, library_id).value

    row = service.rows(service.work_ids())[0]
    assert row.read_state == "finished"
    service.undo_job(report.correlation_id)
    assert service.rows([row.id])[0].read_state == "unread"


def test_a_book_in_the_library_folder_links_by_its_path_whatever_its_title(
        abs_server, service, import_books, tmp_path):  # noqa: F811
    from tests.servers.audiobookshelf import lay

    import_books(service.catalog, [lay(tmp_path / "incoming", CINDER)])
    work_id = service.work_ids()[0]
    service.edit(work_id, "title", "A Title the Server Does Not Know")
    _, library_id, _ = abs_server.library([], folder=service.folder, holds=1)

    report = _pull(service, abs_server, library_id, mappings=[{"remote": str(service.folder),
                                                               "local": str(service.folder)}]).value

    assert (report.linked, report.new) == (1, 0)
    assert _held(service) == {"A Title the Server Does Not Know": ["Home"]}


def test_a_wrong_key_names_the_server_and_pulls_nothing(abs_server, service):  # noqa: F811
    _, library_id, _ = abs_server.library([ASH])

    result = _pull(service, abs_server, library_id, key="not-the-key")

    assert result.state == "failed"
    assert isinstance(result.error, AbsError)
    assert "Audiobookshelf server Home refused the API key" in result.error.message
    assert service.work_ids() == []


class _DownAfter(httpx.AsyncBaseTransport):
    """The real server, until it goes down after ``answers`` requests (a restart halfway through a pull)."""

    def __init__(self, answers: int) -> None:
        self.real = httpx.AsyncHTTPTransport()
        self.left = answers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.left -= 1
        if self.left < 0:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.real.handle_async_request(request)


@pytest.mark.parametrize("answers", [0, 1, 2])  # of the 3 requests of a pull with nothing to read
def test_a_server_down_halfway_keeps_every_link_and_makes_nothing(abs_server, service, answers):  # noqa: F811
    _, library_id, _ = abs_server.library([ASH, BONE])
    _pull(service, abs_server, library_id)
    bone = next(item["id"] for item in abs_server.items(library_id) if item["media"]["metadata"]["title"] == "Bone")
    abs_server.delete_item(bone)  # a pull that ran to the end would remove its link

    result = _pull(service, abs_server, library_id, transport=_DownAfter(answers))

    assert result.state == "failed"
    assert "cannot be reached" in result.error.message
    assert _held(service) == {"Ash": ["Home"], "Bone": ["Home"]}


def test_an_audiobook_on_the_server_counts_as_an_owned_audiobook_for_its_author_and_series(
        abs_server, service, import_books, make_book):  # noqa: F811
    from bookdesk.core.series.service import SeriesService

    import_books(service.catalog, [make_book("Ash", author="Ann Archer")])
    service.edit(service.work_ids()[0], "series", [{"name": "Ash Saga", "label": "1"}])
    series = SeriesService(service.catalog)  # as the window keeps it: its rows follow the catalog's changes
    before = next(a for a in series.authors() if a.name == "Ann Archer")
    _, library_id, _ = abs_server.library([ASH])

    _pull(service, abs_server, library_id)  # links the book: no book is added, no field changes

    archer = next(a for a in series.authors() if a.name == "Ann Archer")
    saga = next(s for s in series.summaries() if s.name == "Ash Saga")
    assert (before.audiobook.owned, before.ebook.owned) == (0, 1)
    assert (archer.audiobook.owned, archer.ebook.owned) == (1, 1)
    assert (saga.kind("audiobook").owned, saga.kind("ebook").owned) == (1, 1)
