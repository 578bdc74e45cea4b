"""``bookdesk abs push`` and ``bookdesk undo`` of a push against a real Audiobookshelf server, as a script
runs them: a dry run sends nothing, a push sends the field corrected here, its Ref undoes it on the server."""

from __future__ import annotations

import json

import httpx

from bookdesk.core.library_service import LibraryService
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture

VARIABLE = "BOOKDESK_AUDIOBOOKSHELF_HOME"


def _pulled_then_retitled(server, run_cli, library_dir, monkeypatch, book: Book,  # noqa: ANN001
                          title: str) -> tuple[int, str]:
    """``book`` on the server, pulled by ``bookdesk abs pull`` and retitled here: (its work, its item)."""
    library_name, library_id, _ = server.library([book])
    monkeypatch.setenv(VARIABLE, server.api_key)
    LibraryService.open(library_dir).close()
    assert run_cli("abs", "add", "Home", server.url, "--abs-library", library_name).returncode == 0
    assert run_cli("abs", "pull", "--library", library_dir).returncode == 0
    service = LibraryService.open(library_dir)
    [work_id] = service.work_ids()
    service.edit(work_id, "title", title, source="user")
    service.close()
    return work_id, server.items(library_id)[0]["id"]


def test_push_a_correction_then_undo_it_on_the_server(
        abs_server, run_cli, library_dir, user_folders, monkeypatch):  # noqa: F811
    work_id, item_id = _pulled_then_retitled(abs_server, run_cli, library_dir, monkeypatch,
                                             Book("Di Dale/Dusk", "Dusk", "Di Dale"), "Dusk and Dawn")

    def title() -> str:
        answer = httpx.get(f"{abs_server.url}/api/items/{item_id}", headers=abs_server.headers(), timeout=60)
        return answer.json()["media"]["metadata"]["title"]

    dry = run_cli("abs", "push", "Home", "--dry-run", "--library", library_dir, "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["pushed"] == [{"work_id": work_id, "item_id": item_id, "fields": ["title"]}]
    assert json.loads(dry.stdout)["changes"] == [{"work_id": work_id, "item_id": item_id, "field": "title",
                                                  "from": "Dusk", "to": "Dusk and Dawn"}]
    assert title() == "Dusk"

    pushed = run_cli("abs", "push", "--library", library_dir, "--json")
    assert pushed.returncode == 0, pushed.stderr
    report = json.loads(pushed.stdout)
    assert (report["pushed"], report["conflicts"]) == ([{"work_id": work_id, "item_id": item_id,
                                                         "fields": ["title"]}], [])
    assert title() == "Dusk and Dawn"

    undone = run_cli("undo", report["correlation_id"], "--library", library_dir, "--json")
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["fields_set_back"] == 1
    assert title() == "Dusk"
    for run in (dry, pushed, undone):
        assert abs_server.api_key not in run.stdout + run.stderr


def test_undoing_a_sync_sets_back_both_what_it_pulled_and_what_it_pushed(
        abs_server, run_cli, library_dir, user_folders, monkeypatch):  # noqa: F811
    work_id, item_id = _pulled_then_retitled(abs_server, run_cli, library_dir, monkeypatch,
                                             Book("Gil Gray/Gale", "Gale", "Gil Gray"), "Gale Force")
    abs_server.finish(item_id)

    synced = run_cli("sync", "--library", library_dir, "--json")
    [ref] = [job["correlation_id"] for job in json.loads(synced.stdout)["jobs"] if job["kind"] == "abs-sync"]
    undone = run_cli("undo", ref, "--library", library_dir, "--json")

    assert undone.returncode == 0, undone.stderr
    answer = json.loads(undone.stdout)
    assert (answer["fields_set_back"], answer["changes_undone"]) == (1, 1)
    metadata = abs_server.call("GET", f"/api/items/{item_id}").json()["media"]["metadata"]
    assert metadata["title"] == "Gale"
    service = LibraryService.open(library_dir)
    assert (service.detail(work_id).title, service.detail(work_id).read_state) == ("Gale Force", "unread")
    service.close()
