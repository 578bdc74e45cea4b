"""The concurrent phase of bench/serve.py: ``clients`` e-readers at once for ``seconds``, each asking over
its own kept-alive connection, one request after another, a mix of what a reader browsing the catalog
asks: the OPDS root, navigation pages (recently added, authors, tags, series, languages), searches (a
different word each time, in both OPDS versions) and now and then a book download through its OPDS link.

Every answer that is not a 200 with the whole body, and every failed connection, counts as an error (the
target is none). Reports requests per second, p50 and p95 over all requests and per kind.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sqlite3
import time
from pathlib import Path

import httpx
from _common import log, percentile, rounded

from bookdesk.data.catalog import CATALOG_NAME

BOOK_SIZE = 1024 * 1024  # the book a download phase fetches: a 1 MiB EPUB-sized file
# One in eight requests of each client is a download, the rest the pages a reader turns between them.
MIX = ("root", "navigation", "search", "navigation", "root", "search", "navigation", "download")
NAVIGATION = ("recent", "authors", "tags", "series", "languages", "v2/recent", "v2/authors")


def book_download(library: Path) -> str:
    """The OPDS address of one book file of the library, its file written on disk (1 MiB of random bytes)
    when the bench library has only the catalog's row: the download goes through the catalog as a reader's."""
    connection = sqlite3.connect(f"{(library / CATALOG_NAME).as_uri()}?mode=ro", uri=True)
    try:
        file_id, path = connection.execute(
            "SELECT f.id, f.path FROM files f JOIN works w ON w.id = f.work_id WHERE w.status = 'owned'"
            " AND w.formats != '' AND f.path NOT LIKE '/%' ORDER BY f.id LIMIT 1").fetchone()
    finally:
        connection.close()
    on_disk = library / path
    if not on_disk.is_file() or on_disk.stat().st_size != BOOK_SIZE:
        on_disk.parent.mkdir(parents=True, exist_ok=True)
        on_disk.write_bytes(os.urandom(BOOK_SIZE))
    return f"/opds/files/{file_id}/book.{path.rsplit('.', 1)[-1]}"


def concurrent(base: str, words: list[str], download: str, clients: int, seconds: float) -> dict[str, object]:
    return asyncio.run(_run(base, words, download, clients, seconds))


async def _run(base: str, words: list[str], download: str, clients: int, seconds: float) -> dict[str, object]:
    times: dict[str, list[float]] = {kind: [] for kind in set(MIX)}
    failures: list[str] = []
    counter = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_client(client, number, deadline, words, download, counter, times, failures)
                               for number in range(clients)))
        elapsed = time.monotonic() - started
    every = [t for values in times.values() for t in values]
    log(f"{clients} clients, {elapsed:.1f} s: {len(every)} answers, {len(failures)} errors"
        + (f" (first: {failures[0]})" if failures else ""))
    found: dict[str, object] = {
        "clients": clients, "seconds": rounded(elapsed, 1), "answers": len(every), "errors": len(failures),
        "requests_per_s": rounded(len(every) / elapsed, 1),
        "p50_ms": rounded(percentile(every, 0.5) * 1000, 1) if every else None,
        "p95_ms": rounded(percentile(every, 0.95) * 1000, 1) if every else None,
    }
    for kind, values in sorted(times.items()):
        if values:
            found[f"{kind}_p95_ms"] = rounded(percentile(values, 0.95) * 1000, 1)
    return found


async def _client(client: httpx.AsyncClient, number: int, deadline: float, words: list[str], download: str,
                  counter: itertools.count, times: dict[str, list[float]], failures: list[str]) -> None:
    for step in itertools.count(number):  # each client starts at its own place in the mix
        if time.monotonic() >= deadline:
            return
        kind = MIX[step % len(MIX)]
        address = _address(kind, next(counter), words, download)
        began = time.perf_counter()
        try:
            answer = await client.get(address)
            body = answer.content
        except httpx.HTTPError as problem:
            failures.append(f"{address}: {type(problem).__name__} {problem}")
            continue
        spent = time.perf_counter() - began
        if answer.status_code != 200 or (kind == "download" and len(body) != BOOK_SIZE):
            failures.append(f"{address}: {answer.status_code} {body[:200]!r}")
            continue
        times[kind].append(spent)


def _address(kind: str, index: int, words: list[str], download: str) -> str:
    if kind == "root":
        return "/opds" if index % 2 else "/opds/v2"
    if kind == "navigation":
        return f"/opds/{NAVIGATION[index % len(NAVIGATION)]}"
    if kind == "search":
        word = words[index % len(words)]
        return f"/opds/search?q={word}" if index % 2 else f"/opds/v2/search?query={word}"
    return download
