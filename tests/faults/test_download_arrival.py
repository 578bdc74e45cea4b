"""A download killed between its book's import and the row saying so is finished at the next run,
never imported twice: the book once in the library, owned, and its download "imported"."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from bookdesk.data.catalog import open_catalog
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.wanted_repository import WantedRepository
from tests.conftest import simple_metadata, write_epub
from tests.faults.conftest import KILLED, whole_body


def serve_book(http_server, tmp_path: Path) -> str:
    data = write_epub(tmp_path / "src" / "Kindred.epub", simple_metadata("Kindred", "Octavia E. Butler")).read_bytes()
    return http_server(whole_body(data)) + "/kindred.epub"


def wanted_book(library: Path) -> int:
    catalog = open_catalog(library)
    try:
        with catalog.write() as session:
            [work_id] = WantedRepository(session).add_placeholders(
                [NewWork(title="Kindred", contributors=[Contributor("Octavia E. Butler")], status="wanted")],
                [None], [""], datetime(2026, 1, 1))
    finally:
        catalog.close()
    return work_id


def library_files(library: Path) -> list[Path]:
    return sorted(p for p in library.rglob("*.epub") if ".downloads" not in p.parts)


def test_a_fetch_killed_between_the_import_and_the_download_row_never_imports_the_book_twice(
        bookdesk_process, http_server, tmp_path):
    library = tmp_path / "Library"
    work_id = wanted_book(library)
    url = serve_book(http_server, tmp_path)

    killed = bookdesk_process("fetch", url, "--library", library, "--work", work_id, kill_at="arrival.imported")
    assert killed.returncode == KILLED, killed.stderr
    assert len(library_files(library)) == 1  # the book is in; its download does not say so yet

    again = bookdesk_process("fetch", url, "--library", library, "--work", work_id, "--json")

    assert again.returncode == 0, again.stderr
    [item] = json.loads(again.stdout)["items"]
    assert (item["status"], item["work_id"]) == ("imported", work_id)
    assert len(library_files(library)) == 1
    books = json.loads(bookdesk_process("list", "--library", library, "--json").stdout)["books"]
    assert len(books) == 1
    downloads = json.loads(bookdesk_process("downloads", "--library", library, "--json").stdout)["downloads"]
    assert [d["state"] for d in downloads] == ["imported"]
    assert json.loads(bookdesk_process("wanted", "--library", library, "--json").stdout).get("wanted", []) == []
