"""Sweeping up the temporary files a killed BookDesk left, when a library is opened: the one set of
rules that knows every temporary name BookDesk makes and where each is made.

A write-back, a backup, an import, a copy of the catalog or an undo writes under a temporary name
and renames into place when whole; a process killed midway leaves that temporary file behind. Only
files with BookDesk's own temporary names are removed (each writer says what its names look like),
only in the place that writer puts them, and only when older than this process: the library is
opened with its exclusive lock held, so no other BookDesk can be writing them, and nothing of this
process can have yet. A download's ``.part`` is not temporary in this sense (it resumes), and is
never touched.

The sweep looks in the few fixed folders where temporary files are made and in the folders the
writers noted (core/temp_ledger.py), never through the whole library: on a network drive a walk
through every book's folder at each start would be slow.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.temp_ledger import keep_only, noted_folders
from bookdesk.core.temp_names import (
    BACKUP_FOLDER,
    BACKUP_TEMP,
    IMPORT_TEMP,
    RESTORING_NAME,
    STAGING,
    WRITEBACK_TEMP,
)
from bookdesk.data.catalog_copy import PARTIAL_COPY, SCHEDULED_BACKUPS
from bookdesk.data.leftovers import remove_leftovers

log = logging.getLogger(__name__)

# Close enough to this process's start: this module is loaded before any library is opened.
PROCESS_STARTED = time.time()

# The places temporary files are made, relative to the library.
ROOT, IMPORT_STAGING, CATALOG_BACKUPS, FILE_BACKUPS, BOOK_FOLDERS, OUTSIDE = (
    "root", "staging", "catalog backups", "file backups", "book folders", "outside")


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    places: frozenset[str]


RULES = (
    Rule(PARTIAL_COPY, frozenset({ROOT, CATALOG_BACKUPS})),  # the copy before a migration; weekly copies
    Rule(IMPORT_TEMP, frozenset({IMPORT_STAGING})),  # an import's copy on its way in
    Rule(BACKUP_TEMP, frozenset({FILE_BACKUPS})),  # a book file's backup being copied
    Rule(WRITEBACK_TEMP, frozenset({BOOK_FOLDERS})),  # a write-back or a restore from a backup
    Rule(RESTORING_NAME, frozenset({OUTSIDE})),  # undo putting a moved book back where it came from
)


def sweep_temp_files(library: Path, older_than: float = PROCESS_STARTED) -> int:
    """Remove BookDesk's leftover temporary files of ``library``; returns how many went."""
    library = Path(library).absolute()
    noted = noted_folders(library)
    fixed = [library, library / STAGING, library / SCHEDULED_BACKUPS]
    removed, look_again = 0, []
    for folder in dict.fromkeys(fixed + noted):
        patterns = [rule.pattern for rule in RULES if _place(library, folder) in rule.places]
        if not patterns:
            continue
        try:
            gone, young = remove_leftovers(folder, patterns, older_than)
        except FileNotFoundError:
            continue
        except OSError as exc:  # a network drive away for now: untidy, never harmful; look again next time
            log.warning("could not look for leftover temporary files in %s: %s", folder, exc)
            gone, young = 0, True
        removed += gone
        if young and folder in noted:
            look_again.append(folder)
    if noted or look_again:
        keep_only(library, look_again)
    if removed:
        log.info("removed %d temporary files left by an interrupted write", removed)
    return removed


def _place(library: Path, folder: Path) -> str | None:
    """Which place of ``library`` ``folder`` is; None for a folder inside it reached through a link
    that leads out (nothing outside is touched through the library)."""
    if not folder.is_relative_to(library):
        return OUTSIDE
    try:
        if not folder.resolve().is_relative_to(library.resolve()):
            return None
    except OSError:
        return None
    parts = folder.relative_to(library).parts
    if not parts:
        return ROOT
    if parts == (STAGING,):
        return IMPORT_STAGING
    if parts == SCHEDULED_BACKUPS.parts:
        return CATALOG_BACKUPS
    if parts[0] == BACKUP_FOLDER:
        return FILE_BACKUPS
    return BOOK_FOLDERS
