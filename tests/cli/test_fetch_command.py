"""``bookdesk fetch`` and ``bookdesk downloads``: the JSON scripts rely on, exit codes, and a fetch
killed midway that resumes from its bytes when run again."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from bookdesk import correlation
from bookdesk.core.acquisition.staging import DOWNLOADS
from bookdesk.data.catalog import open_catalog
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.wanted_repository import WantedRepository
from tests.conftest import REPO, simple_metadata, write_epub
from tests.core.acquisition.test_http_fetch_server import FileServer, wait_for

ITEM_KEYS = {"url", "status", "path", "work_id", "error", "id", "correlation_id"}
DOWNLOAD_KEYS = {"id", "url", "title", "state", "bytes_done", "bytes_total", "source", "kind", "error",
                 "correlation_id", "work_id", "path", "attempts", "updated_at"}


def book(tmp_path: Path, title: str, size: int = 0) -> bytes:
    members = {"OEBPS/padding.bin": random.Random(title).randbytes(size)} if size else None
    return write_epub(tmp_path / "src" / f"{title}.epub", simple_metadata(title, "Ann Author"),
                      members=members).read_bytes()


def test_fetch_imports_reports_each_address_and_exits_1_when_one_failed(run_cli, library_dir, tmp_path):
    with FileServer() as server:
        good = server.add("/good.epub", book(tmp_path, "Good Book"))
        page = server.add("/page.epub", b"<!DOCTYPE html><html>Not found</html>", content_type="text/html")
        done = run_cli("fetch", good, page, "--library", library_dir, "--json")

    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"items"}
    first, second = report["items"]
    assert set(first) == set(second) == ITEM_KEYS
    assert (first["url"], first["status"], first["error"]) == (good, "imported", None)
    assert isinstance(first["work_id"], int) and Path(first["path"]).is_file()
    assert Path(first["path"]).is_relative_to(library_dir) and DOWNLOADS not in first["path"]
    assert (second["url"], second["status"], second["path"], second["work_id"]) == (page, "failed", None, None)
    assert second["error"] == "The download is not an EPUB: it is an HTML page."
    assert correlation.is_valid(second["correlation_id"])

    listed = run_cli("downloads", "--library", library_dir, "--json")
    assert listed.returncode == 0, listed.stderr
    downloads = json.loads(listed.stdout)["downloads"]
    assert {d["url"] for d in downloads} == {good, page}
    for d in downloads:
        assert set(d) == DOWNLOAD_KEYS and d["kind"] == "http" and d["source"] == "direct"
    assert {d["state"] for d in downloads} == {"imported", "failed"}


def test_a_book_already_in_the_library_is_said_to_be_here_with_its_file(run_cli, library_dir, tmp_path):
    data = book(tmp_path, "Twice Book")
    with FileServer() as server:
        first_url = server.add("/twice.epub", data)
        again_url = server.add("/again/twice.epub", data)
        first = run_cli("fetch", first_url, "--library", library_dir, "--json")
        again = run_cli("fetch", again_url, "--library", library_dir, "--json")

    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    [here] = json.loads(first.stdout)["items"]
    [item] = json.loads(again.stdout)["items"]
    assert (item["status"], item["error"]) == ("already-here", None)
    assert (item["path"], item["work_id"]) == (here["path"], here["work_id"])
    assert len(json.loads(run_cli("list", "--library", library_dir, "--json").stdout)["books"]) == 1


def test_no_import_keeps_the_file_in_the_downloads_folder(run_cli, library_dir, tmp_path):
    data = book(tmp_path, "Kept Book")
    with FileServer() as server:
        url = server.add("/kept.epub", data)
        done = run_cli("fetch", url, "--library", library_dir, "--no-import", "--json")

    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)["items"]
    assert (item["status"], item["work_id"], item["error"]) == ("completed", None, None)
    assert Path(item["path"]) == library_dir / DOWNLOADS / "kept.epub"
    assert Path(item["path"]).read_bytes() == data
    assert json.loads(run_cli("list", "--library", library_dir, "--json").stdout)["books"] == []


def test_fetch_for_a_wanted_book_makes_it_owned(run_cli, library_dir, tmp_path):
    catalog = open_catalog(library_dir)
    with catalog.write() as session:
        [wanted] = WantedRepository(session).add_placeholders(
            [NewWork(title="Wanted One", contributors=[Contributor("Ann Author")], status="wanted")],
            [None], [""], datetime(2026, 1, 1))
    catalog.close()
    with FileServer() as server:
        url = server.add("/w.epub", book(tmp_path, "Something Else Entirely"))
        done = run_cli("fetch", url, "--library", library_dir, "--work", wanted, "--json")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["items"][0]["work_id"] == wanted
    assert json.loads(run_cli("wanted", "--library", library_dir, "--json").stdout).get("wanted", []) == []


def test_bad_addresses_are_a_usage_error(run_cli, library_dir):
    done = run_cli("fetch", "ftp://example.org/book.epub", "--library", library_dir, "--json")
    assert done.returncode == 2 and "not an http" in done.stderr and done.stdout == ""


def test_a_killed_fetch_resumes_from_its_bytes_when_run_again(run_cli, library_dir, tmp_path):
    data = book(tmp_path, "Long Book", size=3_000_000)
    with FileServer(chunk_delay=0.01) as server:
        url = server.add("/long.epub", data)
        fetch = subprocess.Popen([sys.executable, "-m", "bookdesk", "fetch", url, "--library", str(library_dir),
                                  "--no-import", "--json"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        part = library_dir / DOWNLOADS / "1.part"
        try:
            wait_for(lambda: part.exists() and part.stat().st_size > 500_000, timeout=60)
        finally:
            os.kill(fetch.pid, signal.SIGKILL)
            fetch.communicate()
        kept = part.stat().st_size
        assert kept < len(data)
        server.chunk_delay = 0.0
        again = run_cli("fetch", url, "--library", library_dir, "--no-import", "--json")

    assert again.returncode == 0, again.stderr
    [item] = json.loads(again.stdout)["items"]
    assert item["status"] == "completed" and item["id"] == 1  # the same download, not a new one
    starts = [s.range_start for s in server.requests_to("/long.epub")]
    assert starts == [None, kept]  # a Range request from the bytes on disk, not a restart
    assert hashlib.sha256(Path(item["path"]).read_bytes()).digest() == hashlib.sha256(data).digest()


def test_fetch_without_addresses_carries_queued_downloads_to_their_end(library_dir, tmp_path, monkeypatch, capsys):
    from bookdesk.cli import fetch_command
    from bookdesk.data.download_repository import DownloadDraft, DownloadRepository

    with FileServer() as server:
        url = server.add("/queued.epub", book(tmp_path, "Queued Book"))
        catalog = open_catalog(library_dir)
        with catalog.write() as session:  # as search-wanted leaves it
            DownloadRepository(session).add(DownloadDraft(url=url, source="indexer", title="Queued Book"))
        catalog.close()
        code = fetch_command.run(library_dir, [], True, None, True)

    assert code == 0
    [item] = json.loads(capsys.readouterr().out)["items"]
    assert (item["url"], item["status"]) == (url, "imported")
