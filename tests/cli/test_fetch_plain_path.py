"""``bookdesk fetch --no-import`` over a current catalog writes its rows without SQLAlchemy
(core/acquisition/fetch_library.py): the same download and job rows, column by column, as the fetch through
the library's Catalog writes; a catalog that is behind is still backed up and brought up to date first; a
library another BookDesk holds is refused as before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bookdesk.cli import fetch_command
from bookdesk.core.acquisition.fetch_library import FetchLibrary
from bookdesk.data.catalog import open_catalog
from bookdesk.data.catalog_copy import MIGRATION_BACKUP_INFIX
from bookdesk.data.catalog_file import CATALOG_NAME, SCHEMA_HEAD
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.download_table import COLUMNS, DownloadDraft
from bookdesk.data.library_lock import LibraryLock
from bookdesk.data.plain_catalog import open_plain
from bookdesk.errors import LibraryLockedError
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition.test_http_fetch_server import FileServer
from tests.data.old_catalogs import catalog_at

DIFFER_BY_RUN = {"id", "created_at", "updated_at", "correlation_id"}  # made anew by each run
JOB_ROW = ("INSERT INTO jobs (kind, title, state, correlation_id, created_at, progress, message) "
           "VALUES ('import', 'Import 3 books', 'running', 'BD-KILLD', '2026-12-01 10:00:00.000000', 0.5, 'half')")


def rows(folder: Path, table: str) -> list[dict[str, object]]:
    connection = sqlite3.connect(folder / CATALOG_NAME)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in connection.execute(f"SELECT * FROM {table} ORDER BY id")]
    finally:
        connection.close()


def fetch(library: Path, urls: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = fetch_command.run(library, urls, import_after=False, work_id=None, as_json=True)
    return code, json.loads(capsys.readouterr().out)["items"]


def test_the_plain_path_writes_the_rows_the_catalog_path_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    epub = write_epub(tmp_path / "small.epub", simple_metadata("Small Book", "Ann Author")).read_bytes()
    plain_library, orm_library = tmp_path / "Plain", tmp_path / "Orm"
    for folder in (plain_library, orm_library):
        open_catalog(folder).close()
        connection = sqlite3.connect(folder / CATALOG_NAME)
        with connection:
            connection.execute(JOB_ROW)  # left running by a process that died: marked interrupted at opening
        connection.close()
    opened: list[bool] = []
    real_open = FetchLibrary.open

    def plain_open(folder: Path) -> FetchLibrary | None:
        library = real_open(folder)
        opened.append(library is not None)
        return library

    with FileServer() as server:
        urls = [server.add("/small.epub", epub), server.add("/page.epub", b"<html>no</html>", content_type="text/html")]
        monkeypatch.setattr(FetchLibrary, "open", staticmethod(plain_open))
        plain_code, plain_items = fetch(plain_library, urls, capsys)
        monkeypatch.setattr(FetchLibrary, "open", staticmethod(lambda folder: None))  # as fetch ran before
        orm_code, orm_items = fetch(orm_library, urls, capsys)

    assert opened == [True]
    assert plain_code == orm_code == 1
    assert [(i["status"], i["error"]) for i in plain_items] == [(i["status"], i["error"]) for i in orm_items] == [
        ("completed", None), ("failed", "The download is not an EPUB: it is an HTML page.")]
    plain_rows, orm_rows = rows(plain_library, "downloads"), rows(orm_library, "downloads")
    assert set(plain_rows[0]) == set(COLUMNS) and len(plain_rows) == len(orm_rows) == 2
    for plain_row, orm_row in zip(plain_rows, orm_rows, strict=True):
        for column in COLUMNS:
            if column not in DIFFER_BY_RUN:
                assert plain_row[column] == orm_row[column], column
        assert plain_row["correlation_id"] in {i["correlation_id"] for i in plain_items}
    assert (plain_library / ".downloads" / "small.epub").read_bytes() == epub
    [plain_job], [orm_job] = rows(plain_library, "jobs"), rows(orm_library, "jobs")
    assert {k: v for k, v in plain_job.items() if k != "finished_at"} == \
        {k: v for k, v in orm_job.items() if k != "finished_at"}
    assert plain_job["state"] == "interrupted" and len(plain_job["finished_at"]) == len(orm_job["finished_at"])


def test_a_catalog_that_is_behind_is_backed_up_and_brought_up_to_date_as_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "Old"
    catalog_at(library, "0012", [])
    assert open_plain(library) is None  # behind: left to open_catalog
    epub = write_epub(tmp_path / "small.epub", simple_metadata("Small Book", "Ann Author")).read_bytes()
    with FileServer() as server:
        code, [item] = fetch(library, [server.add("/small.epub", epub)], capsys)

    assert code == 0 and item["status"] == "completed"
    assert len(list(library.glob(f"{CATALOG_NAME}{MIGRATION_BACKUP_INFIX}0012-*"))) == 1
    connection = sqlite3.connect(library / CATALOG_NAME)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    connection.close()


def test_a_new_library_is_made_and_a_held_one_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = tmp_path / "Fresh"
    assert open_plain(fresh) is None and not (fresh / CATALOG_NAME).exists()  # left to open_catalog to make
    held = tmp_path / "Held"
    open_catalog(held).close()
    lock = LibraryLock(held)
    lock.acquire()
    try:
        with pytest.raises(LibraryLockedError):
            fetch_command.run(held, ["http://127.0.0.1:9/x.epub"], import_after=False, work_id=None, as_json=True)
    finally:
        lock.release()
    assert rows(held, "downloads") == []


def test_an_address_the_app_queued_to_import_is_still_imported(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Fetched again by address, the app's row (to be imported) is carried to its end as it asks: the import
    opens the library's Catalog then, beside the plain connection that holds the lock."""
    library = tmp_path / "Library"
    epub = write_epub(tmp_path / "queued.epub", simple_metadata("Queued Book", "Ann Author")).read_bytes()
    with FileServer() as server:
        url = server.add("/queued.epub", epub)
        catalog = open_catalog(library)
        with catalog.write() as session:
            repo = DownloadRepository(session)
            queued = repo.add(DownloadDraft(url=url, source="direct", correlation_id="BD-APPQD"))
            repo.update(queued, part_path=f".downloads/{queued}.part")
        catalog.close()
        code, [item] = fetch(library, [url], capsys)

    assert code == 0 and (item["id"], item["status"], item["correlation_id"]) == (queued, "imported", "BD-APPQD")
    assert Path(item["path"]).read_bytes() == epub and isinstance(item["work_id"], int)
    [row] = rows(library, "downloads")
    assert (row["state"], row["work_id"]) == ("imported", item["work_id"])
