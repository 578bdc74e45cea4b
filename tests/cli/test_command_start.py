"""A trivial command loads only what it uses: ``bookdesk list`` neither the importer nor the undo of
removals nor Alembic nor SQLAlchemy (on a catalog whose schema is current) nor the package
metadata (read for ``--version`` only), ``bookdesk fetch --no-import`` not the importer (nor SQLAlchemy, nor
the OPDS package, on a current catalog). Measured in a
fresh process, as a person's command starts (bench/cli_start.py times them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bookdesk.data.catalog import open_catalog
from bookdesk.data.catalog_rows import Contributor, NewWork, SeriesRef
from bookdesk.data.download_repository import DownloadRepository
from bookdesk.data.work_repository import WorkRepository
from tests.conftest import simple_metadata, write_epub
from tests.core.acquisition.test_http_fetch_server import FileServer

HEAVY_FOR_A_READ = ("bookdesk.core.importer", "bookdesk.core.removal", "alembic", "bookdesk.ui", "PySide6")


def modules_after(argv: list[str]) -> tuple[int, str, list[str]]:
    """Run ``bookdesk argv`` in a fresh process: its exit code, its stdout and every module it loaded."""
    script = ("import json, sys\n"
              "from bookdesk.app import main\n"
              f"code = main({argv!r})\n"
              "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return code, done.stdout, modules


def test_list_with_a_search_loads_no_importer_no_removals_and_no_alembic(tmp_path: Path) -> None:
    open_catalog(tmp_path / "Library").close()

    code, out, modules = modules_after(["list", "--library", str(tmp_path / "Library"), "--search", "x", "--json"])

    assert code == 0 and json.loads(out) == {"books": []}
    assert [m for m in modules if m.startswith(HEAVY_FOR_A_READ)] == []


def test_list_of_a_current_catalog_reads_it_without_sqlalchemy_or_the_package_metadata(tmp_path: Path) -> None:
    catalog = open_catalog(tmp_path / "Library")
    with catalog.write() as session:
        WorkRepository(session).add(NewWork("Ash", [Contributor("Ann Author")], [SeriesRef("Embers", "1", 1.0)],
                                            {"isbn": "9780306406157"}, ["fire"]))
    catalog.close()

    code, out, modules = modules_after(["list", "--library", str(tmp_path / "Library"), "--search", "as", "--json"])

    assert code == 0 and [(b["title"], b["authors"], b["series"]) for b in json.loads(out)["books"]] == [
        ("Ash", ["Ann Author"], [{"name": "Embers", "position": "1"}])]
    assert [m for m in modules if m.startswith(("sqlalchemy", "importlib.metadata"))] == []


def test_fetch_without_import_loads_no_importer(tmp_path: Path) -> None:
    open_catalog(tmp_path / "Library").close()
    epub = write_epub(tmp_path / "small.epub", simple_metadata("Small Book", "Ann Author")).read_bytes()
    with FileServer() as server:
        url = server.add("/small.epub", epub)
        code, out, modules = modules_after(["fetch", url, "--no-import", "--library", str(tmp_path / "Library"),
                                            "--json"])

    [item] = json.loads(out)["items"]
    assert code == 0 and item["status"] == "completed" and Path(item["path"]).read_bytes() == epub
    assert [m for m in modules if m.startswith(("bookdesk.core.importer.service", "bookdesk.core.importer.undo",
                                                "alembic", "bookdesk.ui", "PySide6"))] == []


def test_fetch_without_import_of_a_current_catalog_writes_its_rows_without_sqlalchemy(tmp_path: Path) -> None:
    open_catalog(tmp_path / "Library").close()
    epub = write_epub(tmp_path / "small.epub", simple_metadata("Small Book", "Ann Author")).read_bytes()
    with FileServer() as server:
        url = server.add("/small.epub", epub)
        code, out, modules = modules_after(["fetch", url, "--no-import", "--library", str(tmp_path / "Library"),
                                            "--json"])

    [item] = json.loads(out)["items"]
    assert code == 0 and item["status"] == "completed" and Path(item["path"]).read_bytes() == epub
    assert [m for m in modules if m.startswith(("sqlalchemy", "bookdesk.data.models", "bookdesk.core.acquisition.arrival",
                                                "bookdesk.core.library_service", "bookdesk.core.acquisition.opds",
                                                "rich", "pygments"))] == []
    catalog = open_catalog(tmp_path / "Library")
    try:
        with catalog.read() as session:
            [row] = DownloadRepository(session).recent()
    finally:
        catalog.close()
    assert (row.state, row.url, row.import_after, row.correlation_id) == ("completed", url, False,
                                                                           item["correlation_id"])
