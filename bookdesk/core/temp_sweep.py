"""Sweeping up the temporary files a killed BookDesk left in a library, when the library is opened.

A write-back, a backup or an import copy is written under a temporary name and renamed into place
when whole; a process killed midway leaves that temporary file behind. Only files with BookDesk's
own temporary names are removed (each writer says what its names look like), only where that
writer puts them, and only when older than this process: the library is opened with its exclusive
lock held, so no other BookDesk can be writing them, and nothing of this process can have yet.
A download's ``.part`` is not temporary in this sense (it resumes), and is never touched.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import time
from pathlib import Path

from bookdesk.core.importer.placement import STAGING
from bookdesk.core.importer.placement import TEMP_NAME as IMPORT_TEMP
from bookdesk.core.writeback.backup import BACKUP_FOLDER
from bookdesk.core.writeback.backup import TEMP_NAME as BACKUP_TEMP
from bookdesk.core.writeback.files import TEMP_NAME as WRITEBACK_TEMP

log = logging.getLogger(__name__)

# Close enough to this process's start: this module is loaded before any library is opened.
PROCESS_STARTED = time.time()


def sweep_temp_files(library: Path, older_than: float = PROCESS_STARTED) -> int:
    """Remove BookDesk's leftover temporary files in ``library``; returns how many went."""
    removed = 0
    for folder, _, names in os.walk(library):  # links to folders are not followed: nothing outside is touched
        here = Path(folder)
        patterns = _patterns_for(here.relative_to(library).parts)
        for name in names:
            if not any(p.match(name) for p in patterns):
                continue
            path = here / name
            try:
                info = path.lstat()
                if stat.S_ISREG(info.st_mode) and info.st_mtime < older_than:
                    path.unlink()
                    removed += 1
            except OSError as exc:  # untidy, never harmful: the next open tries again
                log.warning("could not remove the leftover temporary file %s: %s", path, exc)
    if removed:
        log.info("removed %d temporary files left by an interrupted write", removed)
    return removed


def _patterns_for(parts: tuple[str, ...]) -> list[re.Pattern[str]]:
    if parts == (STAGING,):
        return [IMPORT_TEMP]
    if parts[:1] == (BACKUP_FOLDER,):
        return [BACKUP_TEMP]
    return [WRITEBACK_TEMP]
