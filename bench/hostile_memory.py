"""Peak memory and time of ``bookdesk search-wanted`` when an indexer answers a gigabyte.

The same command, ``bookdesk search-wanted --dry-run --json`` on a library wanting two books, against
two indexers: a well-behaved Torznab server, and a second one that answers (a) normally too (the
peer: what the command costs on a good day), (b) 1 GiB of XML without a length, (c) a gzip that
expands to 1 GiB, (d) two layers of gzip that expand to 1 GiB. Each run is a fresh process started
by a small launcher, so its peak resident size (wait4) is its own and not inherited from this
script. The cases alternate run by run; medians are printed with the machine's load average.

With ``--base REV`` the same cases also run on an earlier revision (unpacked with ``git archive``),
to show what the cap changed.

Usage: hostile_memory.py [--runs R] [--base REV]
Prints {"bench":"hostile_memory","cases":{...:{"peak_mb":..,"seconds":..}},"load":[..]}
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _common import emit, log, median, rounded  # noqa: E402

from tests.faults.test_hostile_bodies import LAUNCHER  # noqa: E402 - the command's own peak, not this script's

GIB = 1024**3


def run_once(code: Path, library: Path, config: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """(peak MB, seconds, exit code) of one search-wanted in a fresh process running ``code``."""
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        environment = {**os.environ, **env, "PYTHONPATH": str(code), "BOOKDESK_CONFIG_DIR": str(config),
                       "BOOKDESK_LOG_DIR": str(Path(scratch) / "logs"),
                       "BOOKDESK_CACHE_DIR": str(Path(scratch) / "cache")}
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", LAUNCHER, str(peak_file), "search-wanted", "--library",
                               str(library), "--dry-run", "--json"], cwd=code, env=environment,
                              capture_output=True, text=True, timeout=900)
        seconds = time.perf_counter() - started
        return int(peak_file.read_text()) / 1024, seconds, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", help="an earlier revision to run the same cases on")
    args = parser.parse_args()

    from bookdesk.core.settings import Settings, save_settings
    from tests.cli.test_search_wanted_command import make_wanted_library
    from tests.faults.conftest import gzip_bomb, huge_body
    from tests.servers.http_harness import start_server
    from tests.servers.torznab_server import API_KEY, FakeRelease, TorznabServer

    good = TorznabServer().start()
    good.releases = [FakeRelease("Octavia E. Butler - Kindred (1979) [Retail EPUB]", file="k.torrent")]
    peer = TorznabServer().start()
    peer.releases = list(good.releases)
    hostile = {"normal answer (peer)": None,
               "1 GiB body": huge_body(GIB, content_type="application/rss+xml"),
               "1 GiB gzip bomb": gzip_bomb(GIB, content_type="application/rss+xml"),
               "1 GiB double gzip": gzip_bomb(GIB, content_type="application/rss+xml", layers=2)}
    servers = {name: (peer.api if handler is None else start_server(handler).url + "/api") for name, handler in hostile.items()}
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", "BOOKDESK_INDEXER_QUICK": API_KEY,
           "BOOKDESK_INDEXER_OTHER": API_KEY}

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        codes = {"head": REPO}
        if args.base:
            base = work_dir / "base"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.base], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
            codes["base"] = base
        figures: dict[str, dict[str, list[float]]] = {}
        cases = [(version, name) for version in codes for name in hostile]
        for run in range(args.runs):
            order = cases if run % 2 == 0 else list(reversed(cases))
            for version, name in order:
                config = work_dir / f"config-{version}-{run}-{len(figures)}"
                os.environ["BOOKDESK_CONFIG_DIR"] = str(config)
                save_settings(Settings(indexers=[{"name": "Quick", "url": good.api},
                                                 {"name": "Other", "url": servers[name]}]))
                library = work_dir / f"lib-{version}-{run}-{name.replace(' ', '_')}"
                make_wanted_library(library)
                peak, seconds, code = run_once(codes[version], library, config, env)
                log(f"{version} {name}: {peak:.0f} MB, {seconds:.2f} s, exit {code}")
                entry = figures.setdefault(f"{version}: {name}", {"peak_mb": [], "seconds": []})
                entry["peak_mb"].append(peak)
                entry["seconds"].append(seconds)
    good.stop()
    peer.stop()
    emit({"bench": "hostile_memory", "runs": args.runs, "base": args.base,
          "cases": {name: {"peak_mb": rounded(median(v["peak_mb"]), 1), "seconds": rounded(median(v["seconds"]), 2)}
                    for name, v in figures.items()}})


if __name__ == "__main__":
    main()
