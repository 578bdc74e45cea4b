"""A trivial command, start to exit, against a bare Python and curl in the same run.

Measures, as separate processes with the same Python, taking turns in each round (one warm-up
round first, not counted; every other round in the reverse order):
(a) the peers: ``python -c pass``, ``python -c "import sqlite3"``, and ``curl -o FILE`` of the same
    4 KB file ``fetch`` gets, from the same server (where curl is installed);
(b) ``bookdesk list --search x --json`` on an empty (already created) library;
(c) ``bookdesk fetch --no-import --json`` of a 4 KB EPUB served on 127.0.0.1 (into a fresh, current
    library each time, made before the clock starts).
Each is timed from spawn to exit (bench/startup.py's ``run_child``), curl from its own start as
fetch is; figures are medians, and each command's excess over ``python -c pass`` (fetch's over curl
too). Bytecode is written to and read from a cache folder of the bench's own (``PYTHONPYCACHEPREFIX``),
as an installed app has its ``.pyc`` files. Target: each command at most 0.3 s.
With ``--base REV`` the same fetch by BookDesk as it was at REV (its tree laid out with ``git archive`` in
the bench's temporary folder, run by the same Python, into a library made by that tree) takes its turn too:
``fetch_base_s`` and ``fetch_over_base``.

Usage: cli_start.py [--runs R] [--base REV]
Prints {"bench":"cli_start","runs":R,"python_pass_s":..,"python_sqlite3_s":..,"curl_s":..,"list_s":..,
        "fetch_s":..,"list_over_pass_s":..,"fetch_over_pass_s":..,"fetch_over_curl_s":..,"fetch_bytes":4096,
        "target_s":0.3,"load_average":{..}}
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _common import emit, log, median, rounded, with_bytecode  # noqa: E402
from startup import child_env, run_child  # noqa: E402

from bookdesk.data.catalog import open_catalog  # noqa: E402
from tests.servers.http_harness import LocalHttpServer  # noqa: E402

TARGET_S = 0.3
BOOK_BYTES = 4096


def small_book(path: Path, size: int) -> None:
    """A real EPUB container of exactly ``size`` bytes: the mimetype member first, then stored noise."""
    def write(padding: int) -> None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            archive.writestr(zipfile.ZipInfo("padding.bin"), os.urandom(padding), compress_type=zipfile.ZIP_STORED)

    write(0)
    write(size - path.stat().st_size)
    assert path.stat().st_size == size


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


def base_tree(revision: str, folder: Path, env: dict[str, str]) -> tuple[dict[str, str], Path]:
    """BookDesk at ``revision`` laid out in ``folder``: the environment that runs it (``python -P`` then
    finds it before this checkout) and a fresh library that tree made, to copy for each of its fetches."""
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    base_env = {**env, "PYTHONPATH": str(folder)}
    library = folder.parent / "base-library"
    subprocess.run([sys.executable, "-P", "-c", "import sys; from pathlib import Path; "
                    "from bookdesk.data.catalog import open_catalog; open_catalog(Path(sys.argv[1])).close()",
                    str(library)], env=base_env, check=True)
    return base_env, library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--base", metavar="REV", help="also time the fetch of BookDesk as it was at REV")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bookdesk-cli-start-") as tmp:
        home = Path(tmp)
        empty = home / "empty-library"
        open_catalog(empty).close()
        book = home / "small.epub"
        small_book(book, BOOK_BYTES)
        server = serve_bytes(book.read_bytes())
        env = with_bytecode(child_env(home))
        python = sys.executable
        url = f"http://{server.host}/small.epub"
        commands = {
            "python_pass": [python, "-c", "pass"],
            "python_sqlite3": [python, "-c", "import sqlite3"],
            "list": [python, "-m", "bookdesk", "list", "--library", str(empty), "--search", "x", "--json"],
            "fetch": [python, "-m", "bookdesk", "fetch", url, "--no-import", "--json"],
        }
        curl = shutil.which("curl")
        if curl:
            commands["curl"] = [curl, "-sSf", "-o", str(home / "curl.epub"), url]
        fresh = home / "fresh-library"
        open_catalog(fresh).close()  # copied for each fetch: a current catalog, as a person's is
        envs = {name: env for name in commands}
        libraries = {"fetch": fresh}
        if args.base:
            envs["fetch_base"], libraries["fetch_base"] = base_tree(args.base, home / "base", env)
            commands["fetch_base"] = [python, "-P", *commands["fetch"][1:]]
        times: dict[str, list[float]] = {name: [] for name in commands}
        try:
            for round_no in range(args.runs + 1):
                names = list(commands) if round_no % 2 == 0 else list(reversed(commands))
                for name in names:
                    command = commands[name]
                    if name in libraries:
                        library = home / f"{name}-{round_no}"
                        shutil.copytree(libraries[name], library)
                        command = [*command, "--library", str(library)]
                    seconds = run_child(command, envs[name]).seconds
                    if round_no:
                        times[name].append(seconds)
                log(f"round {round_no}: " + ", ".join(f"{n} {times[n][-1]:.3f} s" for n in names if round_no))
                for name in libraries:
                    shutil.rmtree(home / f"{name}-{round_no}", ignore_errors=True)
        finally:
            server.stop()
    figures: dict[str, object] = {"bench": "cli_start", "runs": args.runs}
    for name, values in times.items():
        figures[f"{name}_s"] = rounded(median(values))
    for name in ("list", "fetch"):
        figures[f"{name}_over_pass_s"] = rounded(median(times[name]) - median(times["python_pass"]))
        figures[f"{name}_over_sqlite3"] = rounded(median(times[name]) / median(times["python_sqlite3"]), 1)
    if times.get("curl"):
        figures["fetch_over_curl_s"] = rounded(median(times["fetch"]) - median(times["curl"]))
        figures["fetch_over_curl"] = rounded(median(times["fetch"]) / median(times["curl"]), 1)
    if times.get("fetch_base"):
        figures["fetch_over_base"] = rounded(median(times["fetch"]) / median(times["fetch_base"]), 2)
        figures["base"] = args.base
    figures.update({"fetch_bytes": BOOK_BYTES, "target_s": TARGET_S,
                    "peer": "python -c pass; python -c 'import sqlite3'; curl of the same file; same run, alternated"})
    emit(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
