"""``bookdesk abs push`` and ``bookdesk undo`` of a push against a real Audiobookshelf server, as a script
runs them: a dry run sends nothing, a push sends the field corrected here, its Ref undoes it on the server."""

from __future__ import annotations

import json

import httpx

from bookdesk.core.library_service import LibraryService
from tests.servers.audiobookshelf import Book, abs_server  # noqa: F401 - the session fixture

VARIABLE = "BOOKDESK_AUDIOBOOKSHELF_HOME"


def test_push_a_correction_then_undo_it_on_the_server(
        abs_server, run_cli, library_dir, user_folders, monkeypatch):  # noqa: F811
    library_name, library_id, _ = abs_server.library([Book("Di Dale/Dusk", "Dusk", "Di Dale")])
    monkeypatch.setenv(VARIABLE, abs_server.api_key)
    LibraryService.open(library_dir).close()
    assert run_cli("abs", "add", "Home", abs_server.url, "--abs-library", library_name).returncode == 0
    assert run_cli("abs", "pull", "--library", library_dir).returncode == 0
    service = LibraryService.open(library_dir)
    work_id = service.work_ids()[0]
    service.edit(work_id, "title", "Dusk and Dawn", source="user")
    service.close()
    item_id = abs_server.items(library_id)[0]["id"]

    def title() -> str:
        answer = httpx.get(f"{abs_server.url}/api/items/{item_id}", headers=abs_server.headers(), timeout=60)
        return answer.json()["media"]["metadata"]["title"]

    dry = run_cli("abs", "push", "Home", "--dry-run", "--library", library_dir, "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["pushed"] == [{"work_id": work_id, "item_id": item_id, "fields": ["title"]}]
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
