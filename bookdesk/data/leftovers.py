"""Removing the temporary files a killed write left in one folder: the primitive under the sweep at
open (core/temp_sweep.py, which knows every temporary name and where it is made) and under the copy
made before a migration (data/catalog.py), which runs before that sweep."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

log = logging.getLogger(__name__)


def remove_leftovers(folder: Path, patterns: list[re.Pattern[str]], older_than: float) -> tuple[int, bool]:
    """Remove the regular files of ``folder`` (not below it) whose names match one of ``patterns`` and
    that are older than ``older_than``: how many went, and whether a matching one was left (too young,
    or it would not go). Raises OSError when ``folder`` cannot be listed."""
    removed, left = 0, False
    with os.scandir(folder) as entries:
        for entry in entries:
            if not any(p.match(entry.name) for p in patterns):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    continue
                if info.st_mtime >= older_than:
                    left = True
                    continue
                os.unlink(entry.path)
                removed += 1
            except OSError as exc:  # untidy, never harmful: the next open tries again
                log.warning("could not remove the leftover temporary file %s: %s", entry.path, exc)
                left = True
    return removed, left
