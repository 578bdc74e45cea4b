"""The names BookDesk gives files on their way to a place, and the folders it makes them in.

Each writer names its temporary files by these patterns, and the sweep at open (temp_sweep.py)
removes what a killed writer left by the same patterns. They live here, in a module that imports
nothing heavy, so that opening a library does not load the write-back's EPUB and audio code just to
know what its leftovers look like.
"""

from __future__ import annotations

import re

STAGING = ".staging"  # in the library: an import's copies on their way in
IMPORT_TEMP = re.compile(r"^[0-9a-f]{32}\.part$")  # directly in STAGING
BACKUP_FOLDER = ".backup"  # in the library: the originals of files written back
BACKUP_TEMP = re.compile(r"^\.[0-9a-f]{32}\.part$")  # a backup being copied, under BACKUP_FOLDER
WRITEBACK_TEMP = re.compile(r"^\..*\.(?:writeback|restore)-[0-9a-f]{12}(?:\.[^.]*)?$")  # beside the book
RESTORING_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.restoring$")  # undo putting a book back, beside its old place
