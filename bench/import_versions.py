"""Import time of this tree against an earlier revision of BookDesk, on the same EPUBs in one run.

A change to how names are read must not make imports slower. Both sides are the same command,
``python -m bookdesk import CORPUS --library FRESH --json``, run by the same Python from a checkout
of each revision (the earlier one laid out with ``git worktree`` in a temporary folder), each into a
new library, timed from process start to exit. The order alternates run by run and the medians are
compared; the machine's load average is printed beside them.

Usage: import_versions.py [--base REV] [--books N] [--runs R] [--corpus DIR]
Prints {"bench":"import_versions","base":REV,"books":N,"head_s":..,"base_s":..,"ratio":..,...}
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import emit, log, make_corpus, median, rounded  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _import_seconds(tree: Path, corpus: Path, library: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bookdesk", "import", str(corpus), "--library", str(library),
                           "--json"], cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"import from {tree} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="the revision to compare with")
    parser.add_argument("--books", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a folder of EPUBs (made when not given)")
    args = parser.parse_args()
    base = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bookdesk-import-versions-") as scratch:
        work = Path(scratch)
        corpus = args.corpus
        if corpus is None:
            corpus = work / "corpus"
            log(f"making {args.books} EPUBs")
            make_corpus(corpus, args.books)
        old_tree = work / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(old_tree), base], cwd=REPO, check=True,
                       capture_output=True)
        try:
            times: dict[str, list[float]] = {"head": [], "base": []}
            for run in range(args.runs):
                order = [("head", REPO), ("base", old_tree)]
                for name, tree in order if run % 2 == 0 else reversed(order):
                    library = work / f"library-{name}-{run}"
                    times[name].append(_import_seconds(tree, corpus, library))
                    shutil.rmtree(library, ignore_errors=True)
                    log(f"run {run + 1}: {name} {times[name][-1]:.2f} s")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=REPO, capture_output=True)
    head, old = median(times["head"]), median(times["base"])
    emit({"bench": "import_versions", "base": base, "books": args.books, "runs": args.runs,
          "head_s": rounded(head), "base_s": rounded(old), "ratio": rounded(head / old),
          "head_runs_s": [rounded(t) for t in times["head"]], "base_runs_s": [rounded(t) for t in times["base"]]})


if __name__ == "__main__":
    main()
