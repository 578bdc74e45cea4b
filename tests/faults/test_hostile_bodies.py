"""A gigabyte where a page belongs: an indexer answering a search, or a release's .torrent link,
with 1 GiB of body (unannounced) or a small gzip that expands to 1 GiB. ``bookdesk search-wanted``
refuses that one answer as too large, goes on, and its memory stays small all along (the peak
resident size of the process, as the kernel counted it, well under what reading the body whole
would take).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable

import pytest

from bookdesk.core.settings import Settings, save_settings
from bookdesk.fault_points import ENV as KILL_ENV
from tests.cli.test_search_wanted_command import wanted_library  # noqa: F401 - a library wanting two books
from tests.faults.conftest import REPO, gzip_bomb, huge_body
from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer, torznab_fixture  # noqa: F401

GIB = 1024**3
PEAK_BOUND = 300 * 1024**2  # bytes: a Python process with BookDesk loaded, plus a few limits' worth of body
HANG = 300
SECRETS = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", "BOOKDESK_INDEXER_QUICK": API_KEY}
HOSTILE = {"a body of 1 GiB": lambda: huge_body(GIB, content_type="application/rss+xml"),
           "a gzip bomb of 1 GiB": lambda: gzip_bomb(GIB, content_type="application/rss+xml"),
           # "Content-Encoding: gzip, gzip": a few KB; httpx would expand each piece whole, twice
           "a double gzip bomb of 1 GiB": lambda: gzip_bomb(GIB, content_type="application/rss+xml", layers=2)}


# Linux keeps a process's peak resident size across fork and exec: a child of this test process starts
# out "peaking" at the whole pytest worker's size. So a small launcher starts the command as its own
# child, which inherits only the launcher's few megabytes, and reports that child's peak (wait4).
# bench/hostile_memory.py starts its runs with it too.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "bookdesk", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(*args: object, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, int]:
    """``bookdesk ARGS`` in a fresh process, and the peak resident memory it reached (bytes), from the
    kernel's own account of that one process (wait4, through the launcher above)."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO), **env}
    environment.pop(KILL_ENV, None)
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = os.path.join(scratch, "peak")
        command = [sys.executable, "-c", LAUNCHER, peak_file, *map(str, args)]
        # A hang fails the test instead of stalling the suite.
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=environment, timeout=HANG)
        with open(peak_file) as fh:
            peak_kb = int(fh.read())
    return done, peak_kb * 1024  # Linux counts kilobytes


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_an_indexer_answering_a_gigabyte_is_refused_as_too_large(hostile: str, wanted_library, http_server,  # noqa: F811
                                                                 torznab: TorznabServer) -> None:  # noqa: ANN001
    bad = http_server(HOSTILE[hostile]())
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent")]
    save_settings(Settings(indexers=[{"name": "Hostile", "url": bad + "/api"}, {"name": "Quick", "url": torznab.api}]))
    library, _ = wanted_library

    done, peak = run_measured("search-wanted", "--library", library, "--dry-run", "--json", env=SECRETS)

    assert peak < PEAK_BOUND, f"peak memory {peak / 1024**2:.0f} MB"

    works = {w["title"]: w for w in json.loads(done.stdout)["works"]}
    assert works["Kindred"]["best"]["indexer"] == "Quick", works  # the other indexer's answer counts
    [refused] = works["Kindred"]["indexer_errors"]
    assert refused.startswith("Hostile") and "more than 8 MB" in refused, refused


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_a_torrent_link_answering_a_gigabyte_is_refused_as_too_large(hostile: str, wanted_library,  # noqa: F811
                                                                     http_server, torznab: TorznabServer) -> None:
    bad: Callable = HOSTILE[hostile]
    link = http_server(bad()) + "/download/kindred.torrent"
    torznab.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", link=link)]
    save_settings(Settings(indexers=[{"name": "Quick", "url": torznab.api}]))
    library, _ = wanted_library

    done, peak = run_measured("search-wanted", "--library", library, "--json", env=SECRETS)

    assert peak < PEAK_BOUND, f"peak memory {peak / 1024**2:.0f} MB"

    kindred = next(w for w in json.loads(done.stdout)["works"] if w["title"] == "Kindred")
    assert kindred["outcome"] == "failed" and not kindred["grabbed"], kindred
    assert "too large" in kindred["error"] and "16 MB" in kindred["error"], kindred
