"""A full disk ends every job with a clear message: ``bookdesk fetch`` on a disk that fills under it
exits 1 saying so (never hangs), and once space is freed the library opens with no download left
"running"."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bookdesk.core.acquisition.staging import DOWNLOADS
from bookdesk.data.catalog import open_catalog
from tests.conftest import simple_metadata, write_epub
from tests.faults.conftest import fill, whole_body

BOOK_SIZE = 3_000_000  # more than the nearly full disk has left, less than the disk
# Room enough to open the library for writing (below 1 MiB free it opens read-only), not for the book.
ROOM = 1_600_000


def serve_book(http_server, tmp_path: Path) -> str:
    data = write_epub(tmp_path / "src" / "Big Book.epub", simple_metadata("Big Book", "Ann Author"),
                      members={"OEBPS/padding.bin": random.Random(7).randbytes(BOOK_SIZE)}).read_bytes()
    return http_server(whole_body(data)) + "/big.epub"


def make_library(folder: Path) -> None:
    open_catalog(folder).close()


def free(disk: Path) -> None:
    for filler in disk.rglob("filler-*"):
        filler.unlink()


def download_states(bookdesk_process, library: Path) -> list[str]:
    listed = bookdesk_process("downloads", "--library", library, "--json", timeout=60)
    assert listed.returncode == 0, listed.stderr
    return [d["state"] for d in json.loads(listed.stdout)["downloads"]]


def says_disk_is_full(done, ref: bool = True) -> bool:
    """One line says, in plain words (with the reference of the job it stopped), that the disk is
    full; nothing raw."""
    output = done.stdout + done.stderr
    if any(raw in output.lower() for raw in ("sqlite", "unexpected", "traceback", "never retrieved")):
        return False
    return any("disk" in line and "full" in line and ("Ref BD-" in line or not ref) for line in output.splitlines())


def fetch_again_after_freeing(disk: Path, bookdesk_process, url: str, library: Path) -> None:
    """Space freed, the same fetch brings the book in, and no download is left "running"."""
    free(disk)
    again = bookdesk_process("fetch", url, "--library", library, "--json", timeout=90)
    assert again.returncode == 0, again.stderr
    assert [i["status"] for i in json.loads(again.stdout)["items"]] == ["imported"]
    assert "running" not in download_states(bookdesk_process, library)


def test_fetch_onto_a_library_whose_disk_fills_exits_1_saying_so(small_disk, bookdesk_process, http_server,
                                                                    tmp_path):
    disk = small_disk(8192)
    library = disk / "Library"
    make_library(library)
    url = serve_book(http_server, tmp_path)
    fill(disk, leave=ROOM)

    done = bookdesk_process("fetch", url, "--library", library, timeout=90)  # a hang fails here

    assert done.returncode == 1, done.stderr
    assert says_disk_is_full(done), done.stdout + done.stderr
    fetch_again_after_freeing(disk, bookdesk_process, url, library)


def test_fetch_with_the_catalog_full_too_exits_1_saying_so(small_disk, bookdesk_process, http_server, tmp_path):
    """No room even to record the download: the library is refused for writing at the start (no job
    has begun, so there is no reference to give)."""
    disk = small_disk(8192)
    library = disk / "Library"
    make_library(library)
    url = serve_book(http_server, tmp_path)
    fill(disk, leave=0)

    done = bookdesk_process("fetch", url, "--library", library, timeout=90)

    assert done.returncode == 1, done.stderr
    assert says_disk_is_full(done, ref=False), done.stdout + done.stderr
    fetch_again_after_freeing(disk, bookdesk_process, url, library)


def test_fetch_into_a_full_downloads_folder_fails_the_download_and_says_why(small_disk, bookdesk_process,
                                                                           http_server, tmp_path):
    """The downloads folder is on the full disk; the catalog has room to record what happened."""
    library = tmp_path / "Library"
    make_library(library)
    disk = small_disk(8192, at=library / DOWNLOADS)
    url = serve_book(http_server, tmp_path)
    fill(disk, leave=ROOM)

    done = bookdesk_process("fetch", url, "--library", library, "--json", timeout=90)

    assert done.returncode == 1, done.stderr
    [item] = json.loads(done.stdout)["items"]
    assert item["status"] == "failed"
    assert "disk" in item["error"] and "full" in item["error"], item
    fetch_again_after_freeing(disk, bookdesk_process, url, library)


def test_an_import_onto_a_disk_that_fills_ends_saying_so(small_disk, bookdesk_process, tmp_path):
    disk = small_disk(8192)
    library = disk / "Library"
    make_library(library)
    incoming = tmp_path / "incoming"
    write_epub(incoming / "Big Book.epub", simple_metadata("Big Book", "Ann Author"),
               members={"OEBPS/padding.bin": random.Random(8).randbytes(BOOK_SIZE)})
    fill(disk, leave=ROOM)

    done = bookdesk_process("import", incoming, "--library", library, timeout=90)

    assert done.returncode == 1, done.stderr
    output = done.stdout + done.stderr
    assert "full" in output and "disk" in output, output
    assert not any(raw in output.lower() for raw in ("sqlite", "unexpected", "traceback")), output
    free(disk)
    again = bookdesk_process("import", incoming, "--library", library, "--json", timeout=90)
    assert again.returncode == 0, again.stderr
    assert len(json.loads(bookdesk_process("list", "--library", library, "--json").stdout)["books"]) == 1
