"""The local API on 100,000 books: what serving a page of the library list costs over the same page read
in the process itself.

The server is ``build_app`` on uvicorn in a process of its own (bench/_serve_child.py, as ``bookdesk
serve`` runs it), every request through the request log, the key check and the rate limits. Two kinds
of page, asked ``--requests`` times each in ``--rounds`` rounds that alternate which goes first: a page
of the whole list (``/api/v1/books?page=N``, a different page each time) and a search page
(``?search=WORD``, a different surname or title word each time). The peer is the same pages made in this
process with no HTTP: ``data/api_queries.book_page`` over a plain sqlite3 connection and the same JSON
(``serve/api/shapes.book_json``), so the difference is what the HTTP face adds. p50 and p95 of each, the
median over the rounds.

Usage: api.py [--library DIR] [--requests N] [--rounds N]
Prints {"bench":"api","books":..,"list_p95_ms":..,"peer_list_p95_ms":..,"search_p95_ms":..,...,"load_average":{..}}
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_BOOKS, default_library_dir, emit, ensure_library, log, median, percentile, rounded  # noqa: E402
from serve import _bookdesk, _search_words  # noqa: E402

from bookdesk.core.api_keys import add_key, revoke  # noqa: E402
from bookdesk.core.secrets import InMemorySecretStore  # noqa: E402
from bookdesk.data.api_queries import book_page  # noqa: E402
from bookdesk.data.catalog_file import CATALOG_NAME  # noqa: E402
from bookdesk.serve.api.shapes import book_json  # noqa: E402
from bookdesk.serve.context import ServeContext  # noqa: E402

PER_PAGE = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", type=Path, default=default_library_dir(DEFAULT_BOOKS))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ensure_library(args.library, DEFAULT_BOOKS)
    ctx = ServeContext(library=args.library)
    with ctx.reading():  # a catalog from an older BookDesk is brought up to date first, as serve does
        pass
    words = _search_words(args.library)
    name = f"bench-api-{time.time_ns()}"
    with sqlite3.connect(args.library / CATALOG_NAME) as connection:
        key = add_key(connection, InMemorySecretStore(), name, "read").key
    try:
        with _bookdesk(args.library) as (base, _pid), httpx.Client(
                base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
            figures = _rounds(args, words, client, ctx)
    finally:
        with sqlite3.connect(args.library / CATALOG_NAME) as connection:
            revoke(connection, InMemorySecretStore(), name)
    emit({"bench": "api", "books": DEFAULT_BOOKS, "per_page": PER_PAGE, "requests": args.requests,
          "rounds": args.rounds, **figures, "peer": "the same pages made in-process, no HTTP"})


def _asks(words: list[str], total_pages: int) -> dict[str, Callable[[int], dict[str, str]]]:
    return {"list": lambda i: {"page": str(1 + (i * 7919) % total_pages), "per_page": str(PER_PAGE)},
            "search": lambda i: {"search": words[i % len(words)], "per_page": str(PER_PAGE)}}


def _rounds(args: argparse.Namespace, words: list[str], client: httpx.Client, ctx: ServeContext) -> dict:
    total_pages = client.get("/books", params={"per_page": "1"}).json()["total"] // PER_PAGE
    asks = _asks(words, total_pages)

    def served(params: dict[str, str]) -> None:
        client.get("/books", params=params).raise_for_status()

    def in_process(params: dict[str, str]) -> None:
        page = int(params.get("page", "1"))
        with ctx.reading() as connection:
            found = book_page(connection, search=params.get("search"), sort="title", descending=False, shelf=None,
                              offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
        json.dumps({"total": found.total, "books": [book_json(b) for b in found.books]})

    runs = {"": served, "peer_": in_process}
    found: dict[str, list[tuple[float, float]]] = {f"{who}{kind}": [] for who in runs for kind in asks}
    for number in range(args.rounds):
        order = list(runs.items()) if number % 2 == 0 else list(runs.items())[::-1]
        for who, run in order:
            for kind, ask in asks.items():
                times = []
                for index in range(args.requests):
                    started = time.perf_counter()
                    run(ask(number * args.requests + index))
                    times.append(time.perf_counter() - started)
                found[f"{who}{kind}"].append((percentile(times, 0.5), percentile(times, 0.95)))
                log(f"round {number + 1} {who or 'served_'}{kind}: p50 {found[f'{who}{kind}'][-1][0] * 1000:.1f} ms")
    figures: dict[str, object] = {}
    for label, values in found.items():
        figures[f"{label}_p50_ms"] = rounded(median([p50 for p50, _ in values]) * 1000, 1)
        figures[f"{label}_p95_ms"] = rounded(median([p95 for _, p95 in values]) * 1000, 1)
    return figures


if __name__ == "__main__":
    main()
