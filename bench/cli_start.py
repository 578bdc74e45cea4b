"""A trivial command, start to exit, against a bare Python in the same run.

Measures, as separate processes with the same Python, taking turns in each round (one warm-up
round first, not counted):
(a) the peers: ``python -c pass`` and ``python -c "import sqlite3"``;
(b) ``bookdesk list --search x --json`` on an empty (already created) library;
(c) ``bookdesk fetch --no-import --json`` of a 4 KB EPUB served on 127.0.0.1 (into a fresh library
    each time, made before the clock starts).
Each is timed from spawn to exit (bench/startup.py's ``run_child``); figures are medians, and
each command's excess over ``python -c pass``. Bytecode is written to and read from a cache
folder of the bench's own (``PYTHONPYCACHEPREFIX``), as an installed app has its ``.pyc`` files.
Target: each command at most 0.3 s.

Usage: cli_start.py [--runs R]
Prints {"bench":"cli_start","runs":R,"python_pass_s":..,"python_sqlite3_s":..,"list_s":..,"fetch_s":..,
        "list_over_pass_s":..,"fetch_over_pass_s":..,"target_s":0.3,"load_average":{..}}
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _common import emit, log, median, rounded, with_bytecode  # noqa: E402
from download import make_book  # noqa: E402
from startup import child_env, run_child  # noqa: E402

from bookdesk.data.catalog import open_catalog  # noqa: E402
from tests.servers.http_harness import LocalHttpServer  # noqa: E402

TARGET_S = 0.3


def serve_bytes(body: bytes) -> LocalHttpServer:
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/epub+zip")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    server = LocalHttpServer(answer)
    server.start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bookdesk-cli-start-") as tmp:
        home = Path(tmp)
        empty = home / "empty-library"
        open_catalog(empty).close()
        book = home / "small.epub"
        make_book(book, 4096)
        server = serve_bytes(book.read_bytes())
        env = with_bytecode(child_env(home))
        python = sys.executable
        commands = {
            "python_pass": [python, "-c", "pass"],
            "python_sqlite3": [python, "-c", "import sqlite3"],
            "list": [python, "-m", "bookdesk", "list", "--library", str(empty), "--search", "x", "--json"],
            "fetch": [python, "-m", "bookdesk", "fetch", f"http://{server.host}/small.epub", "--no-import",
                      "--json"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        try:
            for round_no in range(args.runs + 1):
                names = list(commands) if round_no % 2 == 0 else list(reversed(commands))
                for name in names:
                    command = commands[name]
                    if name == "fetch":
                        library = home / f"fetch-{round_no}"
                        open_catalog(library).close()
                        command = [*command, "--library", str(library)]
                    seconds = run_child(command, env).seconds
                    if round_no:
                        times[name].append(seconds)
                log(f"round {round_no}: " + ", ".join(f"{n} {times[n][-1]:.3f} s" for n in names if round_no))
                shutil.rmtree(home / f"fetch-{round_no}", ignore_errors=True)
        finally:
            server.stop()
    figures: dict[str, object] = {"bench": "cli_start", "runs": args.runs}
    for name, values in times.items():
        figures[f"{name}_s"] = rounded(median(values))
    for name in ("list", "fetch"):
        figures[f"{name}_over_pass_s"] = rounded(median(times[name]) - median(times["python_pass"]))
        figures[f"{name}_over_sqlite3"] = rounded(median(times[name]) / median(times["python_sqlite3"]), 1)
    figures.update({"target_s": TARGET_S, "peer": "python -c pass; python -c 'import sqlite3'; same run, alternated"})
    emit(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
