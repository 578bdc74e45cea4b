"""``bookdesk abs send`` against a real Audiobookshelf server, as a script runs it: the book's files go up,
the answer names the item it became, and ``bookdesk list`` shows the book on the server."""

from __future__ import annotations

import json

from bookdesk.core.library_service import LibraryService
from tests.servers.audiobookshelf import Book, abs_server, lay  # noqa: F401 - the session fixture

VARIABLE = "BOOKDESK_AUDIOBOOKSHELF_HOME_NAS"


def test_send_uploads_a_book_and_lists_it_on_the_server(
        abs_server, run_cli, library_dir, import_books, tmp_path, monkeypatch):  # noqa: F811
    library_name, library_id, _ = abs_server.library([])
    monkeypatch.setenv(VARIABLE, abs_server.api_key)
    service = LibraryService.open(library_dir)
    try:
        import_books(service.catalog, [lay(tmp_path / "incoming", Book("cinder", "Cinder", "Cy Cole", fmt="mp3"))])
        work_id = service.work_ids()[0]
        service.edit(work_id, "authors", ["Cy Cole"])
    finally:
        service.close()
    assert run_cli("abs", "add", "Home NAS", abs_server.url, "--abs-library", library_name).returncode == 0

    sent = run_cli("abs", "send", str(work_id), "--library", library_dir, "--json")
    refused = run_cli("abs", "send", str(work_id), "--library", library_dir, "--json")  # it is there now
    listing = run_cli("list", "--library", library_dir, "--json")

    assert sent.returncode == 0, sent.stderr
    answer = json.loads(sent.stdout)
    items = {item["relPath"]: item["id"] for item in abs_server.items(library_id)}
    assert answer["sent"] == [{"work_id": work_id, "item_id": items["Cy Cole/Cinder"]}] and answer["failed"] == []
    assert answer["correlation_id"]
    assert refused.returncode == 1
    failed = json.loads(refused.stdout)["failed"]
    assert [f["work_id"] for f in failed] == [work_id] and "“Cinder” is on Home NAS already" in failed[0]["error"]
    assert f"Ref {failed[0]['ref']}" in refused.stderr
    assert [b["on_server"] for b in json.loads(listing.stdout)["books"]] == [["Home NAS"]]
    assert abs_server.api_key not in sent.stdout + sent.stderr
