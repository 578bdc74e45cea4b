"""Pulling a big Audiobookshelf library: ``bookdesk abs pull``'s work against the real server.

A real Audiobookshelf 2.36.0 (``../shared/tools/abs_server.sh``, as the tests start it) holds N items
(default 2,000): one small untagged M4B made by ffmpeg, copied into ``Author NNN/Title NNNN/`` folders,
which the server reads names from. Measured, on a new library each time:

- the first pull (every item new: listed page by page, read in full by batches, a work made for each),
  its wall time, the requests it sent and requests per item;
- a pull again with nothing changed (listed only), the same figures.

Peer, in the same run against the same server: the plain way a client reads a library, one request per
item (``GET /api/items/:id?expanded=1``) after listing the ids, with nothing written: how long the
server takes to answer that many requests, and how many it took.

Audiobookshelf limits only its login (10 in 10 minutes); the API has no published rate, so BookDesk paces
it as any service a person set up (``net/paced.py``: 20 a second, bursts of 20). Pushes are not built
yet, so the figure for 200 corrections is left out.

Usage: abs.py [--items N]
Prints {"bench":"abs","items":N,"pull":{"seconds","requests","requests_per_item","items","new"},
        "pull_again":{...},"peer":{"seconds","requests"},"scan_seconds":..,"load_average":{..}}
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import emit, load_average, log, rounded  # noqa: E402, I001

from bookdesk.core.audiobookshelf.config import servers  # noqa: E402
from bookdesk.core.audiobookshelf.pull import AbsPull  # noqa: E402
from bookdesk.core.jobs import JobRunner  # noqa: E402
from bookdesk.core.library_service import LibraryService  # noqa: E402
from bookdesk.core.secrets import InMemorySecretStore  # noqa: E402
from tests.servers.audiobookshelf import missing, start, stop  # noqa: E402


def lay_items(folder: Path, count: int) -> None:
    sample = folder.parent / "sample.m4b"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                    "-c:a", "aac", "-b:a", "32k", "-f", "mp4", str(sample)], check=True, timeout=120)
    for number in range(count):
        item = folder / f"Author {number // 10:03d}" / f"Title {number:04d}"
        item.mkdir(parents=True)
        shutil.copyfile(sample, item / "book.m4b")  # copies: the server tells items apart by inode too


def pull(library: Path, url: str, key: str, library_id: str) -> dict:
    config = servers([{"name": "Bench", "url": url, "libraries": [library_id]}])
    service = LibraryService.open(library)
    try:
        runner = JobRunner(service.catalog)
        puller = AbsPull(service.catalog, config, InMemorySecretStore({config[0].secret: key}))
        started = time.perf_counter()
        result = asyncio.run(runner.run(runner.create("abs-pull", "Pull"), puller.run))
        seconds = time.perf_counter() - started
    finally:
        service.close()
    if result.state != "succeeded":
        raise SystemExit(f"the pull failed: {result.error}")
    report = result.value
    return {"seconds": rounded(seconds), "requests": puller.requests,
            "requests_per_item": rounded(puller.requests / max(1, report.items), 4), "items": report.items,
            "new": report.new}


def peer(url: str, key: str, library_id: str) -> dict:
    headers = {"Authorization": f"Bearer {key}"}
    started = time.perf_counter()
    with httpx.Client(base_url=url, headers=headers, timeout=60.0) as http:
        ids = [item["id"] for item in http.get(f"/api/libraries/{library_id}/items",
                                               params={"limit": 0, "minified": 1}).json()["results"]]
        for item_id in ids:
            http.get(f"/api/items/{item_id}", params={"expanded": 1}).raise_for_status()
    return {"seconds": rounded(time.perf_counter() - started), "requests": len(ids) + 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    if (why := missing()) is not None:
        raise SystemExit(f"no Audiobookshelf server here: {why}")
    work = Path(tempfile.mkdtemp(prefix="bookdesk-bench-abs-"))
    server = start(work)
    try:
        log(f"laying {args.items} items")
        books = work / "books"
        lay_items(books, args.items)
        started = time.perf_counter()
        _, library_id, _ = server.library([], folder=books, holds=args.items, wait=3600.0)
        scan = time.perf_counter() - started
        log(f"scanned in {scan:.1f} s")
        first = pull(work / "library", server.url, server.api_key, library_id)
        log(f"first pull: {first}")
        again = pull(work / "library", server.url, server.api_key, library_id)
        log(f"pull again: {again}")
        compared = peer(server.url, server.api_key, library_id)
        log(f"peer: {compared}")
    finally:
        stop(work)
        shutil.rmtree(work, ignore_errors=True)
    emit({"bench": "abs", "items": args.items, "pull": first, "pull_again": again, "peer": compared,
          "scan_seconds": rounded(scan), "load_average": load_average()})


if __name__ == "__main__":
    main()
