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

Push of 200 corrections (``bookdesk abs push``): 200 books' titles corrected here, then pushed (the items
read in full by batches to see what the server changed meanwhile, one ``PATCH /api/items/:id/media`` each,
what was sent recorded in the catalog for undo). Peer: the same PATCHes of 200 other items, one by one with
a plain httpx client, nothing read first and nothing recorded. ROUNDS rounds, new corrections each time,
the order of the two alternated; medians.

Audiobookshelf limits only its login (40 in 10 minutes); the API has no published rate, so BookDesk paces
it as any service a person set up (``net/paced.py``: 20 a second, bursts of 20).

Usage: abs.py [--items N] (N at least 400, for the two sets of 200 the push figures need)
Prints {"bench":"abs","items":N,"pull":{"seconds","requests","requests_per_item","items","new"},
        "pull_again":{...},"peer":{"seconds","requests"},"push":{"corrections","seconds","requests",
        "rounds":[..]},"push_peer":{"seconds","requests","rounds":[..]},"scan_seconds":..,"load_average":{..}}
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
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
from bookdesk.core.audiobookshelf.push import AbsPush  # noqa: E402
from bookdesk.core.jobs import JobRunner  # noqa: E402
from bookdesk.core.library_service import LibraryService  # noqa: E402
from bookdesk.core.secrets import InMemorySecretStore  # noqa: E402
from bookdesk.data.abs_link_repository import AbsLinkRepository  # noqa: E402
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


CORRECTIONS = 200
ROUNDS = 3


def linked(library: Path) -> list[tuple[int, str]]:
    """(work id, item id) of every book linked to the bench's server, by item id."""
    service = LibraryService.open(library)
    try:
        with service.catalog.read() as session:
            links = AbsLinkRepository(session).links("Bench")
    finally:
        service.close()
    return sorted((link.work_id, item_id) for item_id, link in links.items())


def push(library: Path, url: str, key: str, library_id: str, works: list[int], label: str) -> dict:
    """Correct the titles of ``works`` here, then push them: the figures of the push alone."""
    config = servers([{"name": "Bench", "url": url, "libraries": [library_id], "sync_fields": ["title"]}])
    service = LibraryService.open(library)
    try:
        for row in service.rows(works):
            service.edit(row.id, "title", f"{row.title.split(' (')[0]} ({label})")
        runner = JobRunner(service.catalog)
        pusher = AbsPush(service.catalog, config, InMemorySecretStore({config[0].secret: key}))
        started = time.perf_counter()
        result = asyncio.run(runner.run(runner.create("abs-push", "Push"), pusher.run))
        seconds = time.perf_counter() - started
    finally:
        service.close()
    if result.state != "succeeded" or len(result.value.pushed) != len(works) or result.value.conflicts:
        raise SystemExit(f"the push did not send every correction: {result.error or result.value.summary()}")
    return {"seconds": seconds, "requests": pusher.requests}


def push_peer(url: str, key: str, items: list[str], label: str) -> dict:
    """The same PATCHes, one by one with a plain client."""
    started = time.perf_counter()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60.0) as http:
        for number, item_id in enumerate(items):
            http.patch(f"/api/items/{item_id}/media",
                       json={"metadata": {"title": f"Title {number:04d} ({label})"}}).raise_for_status()
    return {"seconds": time.perf_counter() - started, "requests": len(items)}


def push_figures(library: Path, url: str, key: str, library_id: str) -> tuple[dict, dict]:
    pairs = linked(library)
    if len(pairs) < 2 * CORRECTIONS:
        raise SystemExit(f"the push figures need {2 * CORRECTIONS} items; give --items {2 * CORRECTIONS} or more")
    ours_works = [work for work, _ in pairs[:CORRECTIONS]]
    peer_items = [item for _, item in pairs[CORRECTIONS:2 * CORRECTIONS]]
    ours, theirs = [], []
    for number in range(ROUNDS):
        label = f"round {number + 1}"
        for side in ("ours", "peer") if number % 2 == 0 else ("peer", "ours"):
            if side == "ours":
                ours.append(push(library, url, key, library_id, ours_works, label))
            else:
                theirs.append(push_peer(url, key, peer_items, label))
        log(f"push {label}: {ours[-1]} peer {theirs[-1]}")
    return ({"corrections": CORRECTIONS, "seconds": rounded(statistics.median(r["seconds"] for r in ours)),
             "requests": int(statistics.median(r["requests"] for r in ours)),
             "rounds": [rounded(r["seconds"]) for r in ours]},
            {"corrections": CORRECTIONS, "seconds": rounded(statistics.median(r["seconds"] for r in theirs)),
             "requests": int(statistics.median(r["requests"] for r in theirs)),
             "rounds": [rounded(r["seconds"]) for r in theirs]})


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
        pushed, pushed_peer = push_figures(work / "library", server.url, server.api_key, library_id)
    finally:
        stop(work)
        shutil.rmtree(work, ignore_errors=True)
    emit({"bench": "abs", "items": args.items, "pull": first, "pull_again": again, "peer": compared,
          "push": pushed, "push_peer": pushed_peer, "scan_seconds": rounded(scan), "load_average": load_average()})


if __name__ == "__main__":
    main()
