"""The HTTP face on 100,000 books: OPDS answers and streaming a big audiobook.

1. latency: the OPDS 1.2 root (``/opds``) and a search page (``/opds/search?q=WORD``, a different author
   surname or title word each time, every one matching books) asked ``--requests`` times each over one
   kept-alive connection, in rounds that alternate which goes first; p50 and p95 of each, the median of
   the rounds (target: p95 <= 50 ms). The server is ``build_app`` on uvicorn in a process of its own
   (bench/_serve_child.py), as ``bookdesk serve`` runs it.
2. streaming: a 1 GB file of random bytes in the library folder, fetched whole by ``curl -o /dev/null``
   from BookDesk's ``file_response`` (behind every middleware of the app) and from ``python -m
   http.server`` serving the same folder, taking turns to go first, ``--runs`` times each; the median
   speed of each and the ratio (target: BookDesk >= 80% of http.server). Both read the file from the page
   cache after the first run; the first run of each warms it. Beside the speeds: each run's ratio against
   the http.server run of the same turn (median), and the CPU seconds each server spent per GB, which the
   machine's load moves far less than the speeds.
3. concurrent: ``--clients`` readers at once for ``--seconds`` (100 for 30 s), each on its own kept-alive
   connection asking a mix of the OPDS root, navigation pages, searches and a book download
   (bench/_serve_load.py): errors (target: none), requests per second, p50 and p95; beside phase 1's
   single-client p50 of the same server in the same run, the like-for-like figure without the crowd.

Usage: serve.py [--library DIR] [--requests N] [--rounds N] [--size-mb N] [--runs N] [--clients N]
                [--seconds S] [--no-stream]
Prints {"bench":"serve","books":..,"root_p95_ms":..,"search_p95_ms":..,"stream_mb_s":..,"peer_mb_s":..,
        "ratio_paired_median":..,"cpu_s_per_gb":..,"peer_cpu_s_per_gb":..,
        "ratio":..,...,"concurrent":{"clients":..,"errors":..,"requests_per_s":..,"p50_ms":..,"p95_ms":..},
        "load_average":{..}}
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DEFAULT_BOOKS,
    REPO,
    default_library_dir,
    emit,
    ensure_library,
    log,
    median,
    percentile,
    rounded,
)
from _serve_load import book_download, concurrent  # noqa: E402

from bookdesk.data.catalog import CATALOG_NAME  # noqa: E402

BIG_FILE = "bench-stream/audiobook.m4b"  # relative to the library; made once, kept with the cached library


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", type=Path, default=default_library_dir(DEFAULT_BOOKS))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--no-stream", action="store_true", help="leave out phase 2 (streaming 1 GB)")
    args = parser.parse_args()
    ensure_library(args.library, DEFAULT_BOOKS)
    big = _big_file(args.library / BIG_FILE, args.size_mb)
    download = book_download(args.library)
    words = _search_words(args.library)
    with _bookdesk(args.library) as (base, pid):
        latency = _latency(base, words, args.requests, args.rounds)
        crowd = concurrent(base, words, download, args.clients, args.seconds)
        ours, peer = ([], []) if args.no_stream else _streaming((f"{base}/bench-file", pid), args.library, big,
                                                                 args.runs)
    if args.no_stream:
        emit({"bench": "serve", "books": DEFAULT_BOOKS, **latency, "concurrent": crowd})
        return
    speeds = {name: [speed for speed, _ in runs] for name, runs in (("ours", ours), ("peer", peer))}
    cpu = {name: [seconds / (args.size_mb / 1024) for _, seconds in runs] for name, runs in (("ours", ours),
                                                                                            ("peer", peer))}
    emit({
        "bench": "serve", "books": DEFAULT_BOOKS, **latency,
        "size_mb": args.size_mb, "runs": args.runs, "stream_mb_s": rounded(median(speeds["ours"]), 1),
        "peer_mb_s": rounded(median(speeds["peer"]), 1), "ratio": rounded(median(speeds["ours"]) / median(speeds["peer"])),
        # Each run's BookDesk speed over the http.server speed of the same turn: the machine's load moves both.
        "ratio_paired_median": rounded(median([a / b for a, b in zip(speeds["ours"], speeds["peer"], strict=True)])),
        "stream_runs_mb_s": [rounded(x, 1) for x in speeds["ours"]],
        "peer_runs_mb_s": [rounded(x, 1) for x in speeds["peer"]],
        # CPU seconds each server process spent per GB sent: what the load of the machine does not move.
        "cpu_s_per_gb": rounded(median(cpu["ours"])), "peer_cpu_s_per_gb": rounded(median(cpu["peer"])),
        "peer": "python -m http.server", "concurrent": crowd,
    })


def _big_file(path: Path, size_mb: int) -> Path:
    if path.exists() and path.stat().st_size == size_mb * 1024 * 1024:
        return path
    log(f"writing {size_mb} MB of random bytes to {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for _ in range(size_mb):
            out.write(os.urandom(1024 * 1024))
    return path


def _search_words(library: Path) -> list[str]:
    """Surnames and title words of the library, each matching at least one owned book."""
    connection = sqlite3.connect(f"{(library / CATALOG_NAME).as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT title, authors_display FROM works WHERE status = 'owned' "
                                  "ORDER BY id LIMIT 400").fetchall()
    finally:
        connection.close()
    words = {word for title, authors in rows for word in (title.split()[-1], authors.split()[-1]) if len(word) > 3}
    return sorted(words)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _process(command: list[str], ready: str | None, port: int) -> Iterator[tuple[str, int]]:
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        if ready is not None:
            assert child.stdout is not None and child.stdout.readline().strip() == ready
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:  # http.server says nothing when it listens: ask until it answers
            with contextlib.suppress(httpx.HTTPError):
                httpx.head(base + "/", timeout=1)
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{command[:3]} did not start")
            time.sleep(0.1)
        yield base, child.pid
    finally:
        child.terminate()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def _bookdesk(library: Path):  # noqa: ANN202 - the context manager of _process
    port = _free_port()
    return _process([sys.executable, str(Path(__file__).with_name("_serve_child.py")), str(library), str(port),
                     BIG_FILE], "ready", port)


def _latency(base: str, words: list[str], requests: int, rounds: int) -> dict[str, object]:
    figures: dict[str, list[tuple[float, float]]] = {"root": [], "search": []}
    with httpx.Client(timeout=30) as client:
        for address in (f"{base}/opds", f"{base}/opds/search?q={words[0]}"):  # first requests warm the caches
            client.get(address).raise_for_status()
        for number in range(rounds):
            order = ["root", "search"] if number % 2 == 0 else ["search", "root"]
            for which in order:
                times = []
                for index in range(requests):
                    address = f"{base}/opds" if which == "root" else \
                        f"{base}/opds/search?q={words[(number * requests + index) % len(words)]}"
                    started = time.perf_counter()
                    answer = client.get(address)
                    times.append(time.perf_counter() - started)
                    answer.raise_for_status()
                figures[which].append((percentile(times, 0.5), percentile(times, 0.95)))
                log(f"round {number + 1} {which}: p50 {figures[which][-1][0] * 1000:.1f} ms, "
                    f"p95 {figures[which][-1][1] * 1000:.1f} ms")
    found: dict[str, object] = {"requests": requests, "rounds": rounds, "search_words": len(words)}
    for which, values in figures.items():
        found[f"{which}_p50_ms"] = rounded(median([p50 for p50, _ in values]) * 1000, 1)
        found[f"{which}_p95_ms"] = rounded(median([p95 for _, p95 in values]) * 1000, 1)
        found[f"{which}_p95_rounds_ms"] = [rounded(p95 * 1000, 1) for _, p95 in values]
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds process ``pid`` has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _curl_mb_s(url: str, size: int, pid: int) -> tuple[float, float]:
    """(MB/s, CPU seconds of the server ``pid``) fetching ``url`` whole with curl."""
    before = _cpu_seconds(pid)
    result = subprocess.run(["curl", "-s", "-f", "-o", "/dev/null", "-w", "%{time_total} %{size_download}", url],
                            capture_output=True, text=True, check=True)
    spent = _cpu_seconds(pid) - before
    seconds, received = result.stdout.split()
    if int(received) != size:
        raise SystemExit(f"{url} sent {received} bytes of {size}")
    return size / 1024 / 1024 / float(seconds), spent


def _streaming(server: tuple[str, int], library: Path, big: Path,
               runs: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    size = big.stat().st_size
    port = _free_port()
    peer_command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(library)]
    ours: list[tuple[float, float]] = []
    peer: list[tuple[float, float]] = []
    with _process(peer_command, None, port) as (peer_base, peer_pid):
        peer_server = (f"{peer_base}/{BIG_FILE}", peer_pid)
        _curl_mb_s(server[0], size, server[1])  # warms the page cache, and each server once
        _curl_mb_s(peer_server[0], size, peer_server[1])
        for number in range(runs):
            pair = [(ours, server), (peer, peer_server)]
            for found, (url, pid) in pair if number % 2 == 0 else reversed(pair):
                found.append(_curl_mb_s(url, size, pid))
            log(f"run {number + 1}: BookDesk {ours[-1][0]:.0f} MB/s ({ours[-1][1]:.2f} CPU s), "
                f"http.server {peer[-1][0]:.0f} MB/s ({peer[-1][1]:.2f} CPU s)")
    return ours, peer


if __name__ == "__main__":
    main()
