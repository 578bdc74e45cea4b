"""Whether anything was committed to a catalog since last asked, for caches of derived figures.

SQLite's ``PRAGMA data_version`` changes on a connection whenever another connection
commits. This keeps one read-only connection of its own that never writes, so every commit
(by this process's sessions or by another BookDesk) moves its number.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class ChangeWatch:
    def __init__(self, catalog_path: Path) -> None:
        self._path = catalog_path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def version(self) -> int | None:
        """A number that changes with every commit to the catalog; None if it cannot be read."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(f"{self._path.as_uri()}?mode=ro", uri=True,
                                                 check_same_thread=False)
                return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
