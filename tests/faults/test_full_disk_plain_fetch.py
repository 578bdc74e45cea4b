"""``bookdesk fetch --no-import`` writes its rows without SQLAlchemy (core/acquisition/fetch_library.py); a
disk that fills under it ends it as the full fetch ends: exit 1, the disk named full with the Ref, nothing
left "running", and the same fetch finishes once space is freed."""

from __future__ import annotations

import json

from tests.faults.conftest import fill
from tests.faults.test_full_disk_jobs import (
    ROOM,
    download_states,
    free,
    make_library,
    says_disk_is_full,
    serve_book,
)


def test_fetch_without_import_onto_a_disk_that_fills_exits_1_saying_so(small_disk, bookdesk_process, http_server,
                                                                       tmp_path):
    disk = small_disk(8192)
    library = disk / "Library"
    make_library(library)  # current: the plain path
    url = serve_book(http_server, tmp_path)
    fill(disk, leave=ROOM)

    done = bookdesk_process("fetch", url, "--no-import", "--library", library, timeout=90)  # a hang fails here

    assert done.returncode == 1, done.stderr
    assert says_disk_is_full(done), done.stdout + done.stderr
    free(disk)
    again = bookdesk_process("fetch", url, "--no-import", "--library", library, "--json", timeout=90)
    assert again.returncode == 0, again.stderr
    [item] = json.loads(again.stdout)["items"]
    assert item["status"] == "completed" and item["path"].endswith(".epub")
    assert download_states(bookdesk_process, library) == ["completed"]  # the one row, carried to its end


def test_fetch_without_import_with_the_catalog_full_too_exits_1_saying_so(small_disk, bookdesk_process,
                                                                          http_server, tmp_path):
    disk = small_disk(8192)
    library = disk / "Library"
    make_library(library)
    url = serve_book(http_server, tmp_path)
    fill(disk, leave=0)

    done = bookdesk_process("fetch", url, "--no-import", "--library", library, timeout=90)

    assert done.returncode == 1, done.stderr
    assert says_disk_is_full(done, ref=False), done.stdout + done.stderr
    free(disk)
    again = bookdesk_process("fetch", url, "--no-import", "--library", library, "--json", timeout=90)
    assert again.returncode == 0, again.stderr
    assert [i["status"] for i in json.loads(again.stdout)["items"]] == ["completed"]
    assert "running" not in download_states(bookdesk_process, library)
