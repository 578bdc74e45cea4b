"""Helpers shared by the bench scripts: where the synthetic library lives, output, statistics.

Each bench script prints exactly one JSON line on stdout; everything else goes to stderr.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bookdesk.data.catalog import CATALOG_NAME

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BOOKS = 100_000
DEFAULT_SEED = 1


# The machine's load when this bench began: every figure is read beside the load it was measured under
# (on a shared machine a ratio means little without it).
_LOAD_AT_START = os.getloadavg()


def load_average() -> dict[str, list[float]]:
    """The 1, 5 and 15 minute load averages when the bench began and now."""
    return {"start": [round(x, 2) for x in _LOAD_AT_START], "end": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count() or 0}


def with_bytecode(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a measured child Python that keeps its compiled bytecode, as an installed app has
    its ``.pyc`` files: without them every start compiles every module again. The cache lives in a
    folder of the benches' own, so the checkout gains no ``__pycache__``."""
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "bookdesk-bench" / "pycache")
    return env


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def emit(figures: dict[str, object]) -> None:
    """The one JSON line a bench script prints on stdout, with the machine's load average beside its figures."""
    print(json.dumps({**figures, "load_average": load_average()}, ensure_ascii=False), flush=True)


def rounded(value: float, digits: int = 3) -> float:
    return round(value, digits)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def default_library_dir(books: int, seed: int = DEFAULT_SEED) -> Path:
    """A cache folder outside the repository, so a 100,000-book catalog is built once per machine."""
    return Path(tempfile.gettempdir()) / "bookdesk-bench" / f"library-{books}-s{seed}"


def catalog_book_count(folder: Path) -> int | None:
    """How many works the catalog in ``folder`` holds, or None when there is no catalog.

    Read with plain sqlite3 so that looking does not take the library lock or migrate anything.
    """
    path = folder / CATALOG_NAME
    if not path.exists() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM works").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def ensure_library(folder: Path, books: int, seed: int = DEFAULT_SEED) -> float | None:
    """Make sure ``folder`` holds a synthetic catalog of ``books`` works.

    Returns the seconds spent building it, or None when an existing catalog was reused.
    """
    found = catalog_book_count(folder)
    if found == books:
        log(f"reusing {folder} ({books} books)")
        return None
    if found is not None:
        raise SystemExit(f"{folder} already holds a catalog of {found} books, not {books}; "
                         "choose another --library folder.")
    log(f"building {books} books in {folder}")
    started = time.perf_counter()
    # In a process of its own: Linux carries a parent's peak resident size into every child it starts
    # (across fork and exec), so a bench that built 100,000 books in itself would report that as the
    # peak memory of each process it measures afterwards.
    subprocess.run([sys.executable, str(Path(__file__).with_name("make_library.py")), str(folder),
                    "--books", str(books), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def make_corpus(out: Path, books: int, *options: str) -> None:
    """``books`` EPUBs and their manifest.json in ``out``, made by tests/corpus.py (the tests' own
    generator; ``options``: its ``--seed N``, ``--layout nested``, ``--degrade``), in a process of
    its own for the reason ``ensure_library`` gives."""
    subprocess.run([sys.executable, "-m", "tests.corpus", str(out), str(books), *options], cwd=REPO, check=True,
                   capture_output=True)
