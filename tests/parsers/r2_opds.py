"""Readium's r2-opds-js (the OPDS parser of the Thorium reader) run on a feed: ``read("opds1"|"opds2", text)``
is what it read, as the dict ``r2_opds_read.js`` prints. Installed once by ``r2_opds.sh`` (also run by
.ci/run), under a lock so two test workers do not both install it."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def missing() -> str | None:
    """Why the parser cannot run here (no node or npm), or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: nodejs npm)"
    return None


@cache
def modules() -> Path:
    """The parser's node_modules folder, installed first if need be."""
    lock_path = Path.home() / ".cache/bookdesk-tests/r2-opds.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = subprocess.run(["bash", str(HERE / "r2_opds.sh"), "install"], capture_output=True, text=True,
                              timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"r2-opds-js could not be installed: {done.stderr.strip()}")
    return Path(done.stdout.strip()) / "node_modules"


def read(kind: str, text: str) -> dict:
    done = subprocess.run(["node", str(HERE / "r2_opds_read.js"), kind], input=text, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NODE_PATH": str(modules())})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
