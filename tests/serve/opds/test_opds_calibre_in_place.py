"""A calibre library (made by the real calibredb) brought over in place, its files left in calibre's folder:
its books are in the OPDS feeds with links that download calibre's own files, while a path of the catalog
that leads out of every library folder (``..``, a symlink, a folder no calibre link names) is 404."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bookdesk.core.acquisition.opds.feed import parse_feed
from bookdesk.core.calibre.service import CalibreImportService
from bookdesk.data.catalog_file import CATALOG_NAME
from bookdesk.serve.app import build_app
from bookdesk.serve.context import ServeContext
from tests.calibre_library import calibre_copy_fixture, calibre_made_fixture  # noqa: F401 - fixtures
from tests.servers.bookdesk_server import served


@pytest.fixture
def in_place(catalog, library_dir, calibre_copy, run_job) -> tuple[Path, list[dict]]:
    """The calibre library brought over in place into ``library_dir``: (calibre's folder, calibredb's list)."""
    folder, listed = calibre_copy
    importer = CalibreImportService(catalog)
    result, _ = run_job(catalog, lambda ctx: importer.run(ctx, folder, "in-place"), kind="calibre-import")
    assert result.state == "succeeded", result.error
    return folder, listed


@pytest.fixture
def server(in_place, library_dir, catalog) -> Iterator[str]:
    catalog.close()  # the server reads the catalog file itself, as bookdesk serve does
    with served(build_app(ServeContext(library=library_dir))) as base:
        yield base


def atom(url: str):
    answer = httpx.get(url)
    assert answer.status_code == 200, answer.text
    return parse_feed(answer.content, url)


def _set_path(library_dir: Path, old: str, new: str) -> None:
    with sqlite3.connect(library_dir / CATALOG_NAME) as connection:
        connection.execute("UPDATE files SET path = ? WHERE path = ?", [new, old])


def _file_paths(library_dir: Path) -> list[str]:
    with sqlite3.connect(library_dir / CATALOG_NAME) as connection:
        return [row[0] for row in connection.execute("SELECT path FROM files ORDER BY id")]


def test_books_kept_in_calibre_are_listed_and_download_calibres_own_files(server, in_place, library_dir):
    folder, listed = in_place
    with_files = {book["title"] for book in listed if book["formats"]}
    assert all(Path(path).is_relative_to(folder) for path in _file_paths(library_dir))  # really in place
    feed = atom(f"{server}/opds/recent")
    assert {entry.title for entry in feed.entries} == with_files
    for entry in feed.entries:
        truth = next(book for book in listed if book["title"] == entry.title)
        assert sorted(a.format for a in entry.acquisitions) == sorted(Path(p).suffix[1:] for p in truth["formats"])
        for link in entry.acquisitions:
            answer = httpx.get(link.href)
            assert answer.status_code == 200
            assert answer.content in {Path(p).read_bytes() for p in truth["formats"]}
        cover = httpx.get(entry.cover_url)
        assert cover.status_code == 200 and cover.content == (Path(truth["cover"]).read_bytes())
    second = httpx.get(f"{server}/opds/v2/recent").json()
    assert {p["metadata"]["title"] for p in second["publications"]} == with_files
    assert all(any(link["rel"].endswith("acquisition") for link in p["links"]) for p in second["publications"])


def test_a_calibre_path_leading_out_of_every_library_folder_is_not_served(server, in_place, library_dir, tmp_path):
    folder, _ = in_place
    secret = tmp_path / "secret.epub"
    secret.write_bytes(b"not a book of any library")
    os.symlink(secret, folder / "escape.epub")  # inside calibre's folder, leading out of it
    beside = folder.parent / f"{folder.name}-not" / "book.epub"  # its name starts as calibre's folder's does
    beside.parent.mkdir()
    beside.write_bytes(b"not a book of any library either")
    hostile = [str(folder / "escape.epub"), f"{folder}/../secret.epub", f"{folder}/Hiro Nakamura/../../secret.epub",
               f"{folder}/%2e%2e/secret.epub", f"{folder}%2f..%2fsecret.epub", str(folder), str(beside),
               str(secret), "/etc/passwd"]
    original = next(path for path in _file_paths(library_dir) if path.endswith(".epub"))
    with sqlite3.connect(library_dir / CATALOG_NAME) as connection:
        [(file_id,)] = connection.execute("SELECT id FROM files WHERE path = ?", [original]).fetchall()
    url = f"{server}/opds/files/{file_id}/book.epub"
    assert httpx.get(url).content == Path(original).read_bytes()
    for path in hostile:
        _set_path(library_dir, original, path)
        answer = httpx.get(url)
        assert answer.status_code == 404, path
        assert b"not a book" not in answer.content and b"root:" not in answer.content
        original = path
    _set_path(library_dir, original, str(folder / "escape.epub"))
    os.remove(folder / "escape.epub")  # a plain file of calibre's folder under that name is served again
    (folder / "escape.epub").write_bytes(b"a book at last")
    assert httpx.get(url).content == b"a book at last"


def test_each_heading_counts_the_books_its_page_lists(server):
    for way in ("tags", "languages", "states"):
        for heading in atom(f"{server}/opds/{way}").entries:
            count = int(heading.summary.split()[0])
            assert len(atom(heading.navigation_url).entries) == count, (way, heading.title)
