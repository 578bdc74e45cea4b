"""Provider answers kept on disk, so repeated lookups cost nothing and lookups work offline.

One small SQLite file in a folder the app chooses (the user cache folder). Each entry holds an
answer with its validators (ETag, Last-Modified) and the time it was stored; a fresh entry is used
as is, a stale one is revalidated (a 304 makes it fresh again) or, when the provider is down,
used anyway. Nothing that authenticates is ever keyed or stored. A damaged file is moved aside
and a new one started: losing a cache is never worth an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bookdesk.core.net.redact import strip_secrets
from bookdesk.redaction import holds_known

log = logging.getLogger(__name__)

FILE_NAME = "responses.sqlite3"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content BLOB NOT NULL,
    content_type TEXT,
    etag TEXT,
    last_modified TEXT,
    stored_at REAL NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_stored_at ON responses (stored_at);
"""


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    stored_at: float
    fresh: bool  # younger than the max_age it was asked for

    @property
    def validators(self) -> dict[str, str]:
        """The conditional-request headers that ask the server whether this answer still holds."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def cache_key(method: str, url: str, body: bytes | None = None) -> str:
    """One entry per method, URL (credentials removed, parameters sorted) and request body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), strip_secrets(url).encode(), hashlib.sha256(body or b"").digest()):
        digest.update(len(part).to_bytes(4, "big"))
        digest.update(part)
    return digest.hexdigest()


class ResponseCache:
    """Thread-safe, size-capped (oldest evicted first) store of HTTP answers."""

    def __init__(self, folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 clock: Callable[[], float] = time.time) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self.max_bytes = max_bytes
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        with self._lock:
            self._db = self._open()

    # ----- public ------------------------------------------------------------------------

    def get(self, method: str, url: str, *, body: bytes | None = None, max_age: float) -> CachedResponse | None:
        """The stored answer for this request, marked fresh or stale against ``max_age``; None if none."""
        key = cache_key(method, url, body)
        row = self._run(lambda db: db.execute(
            "SELECT status, content, content_type, etag, last_modified, stored_at FROM responses WHERE key = ?",
            (key,)).fetchone())
        if row is None:
            return None
        status, content, content_type, etag, last_modified, stored_at = row
        fresh = 0 <= self._clock() - stored_at <= max_age
        return CachedResponse(status, bytes(content), content_type, etag, last_modified, stored_at, fresh)

    def put(self, method: str, url: str, *, body: bytes | None = None, status: int, content: bytes,
            content_type: str | None = None, etag: str | None = None, last_modified: str | None = None) -> None:
        """Store an answer (replacing any older one for the same request)."""
        if len(content) > self.max_bytes // 8:
            return  # one answer must not push out everything else
        if holds_known(content):
            return  # a server echoing a token back: that answer is not kept on disk
        key = cache_key(method, url, body)
        row = (key, method.upper(), strip_secrets(url), status, content, content_type, etag, last_modified,
               self._clock(), len(content))

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                self._evict(db)

        self._run(write)

    def refresh(self, method: str, url: str, *, body: bytes | None = None, etag: str | None = None,
                last_modified: str | None = None) -> None:
        """The server said 304: the stored answer holds, and counts as new from now."""
        key = cache_key(method, url, body)

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.execute("UPDATE responses SET stored_at = ?, etag = COALESCE(?, etag), "
                           "last_modified = COALESCE(?, last_modified) WHERE key = ?",
                           (self._clock(), etag, last_modified, key))

        self._run(write)

    def clear(self) -> None:
        def wipe(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM responses")

        self._run(wipe)

    def __len__(self) -> int:
        return self._run(lambda db: db.execute("SELECT count(*) FROM responses").fetchone()[0]) or 0

    @property
    def size_bytes(self) -> int:
        return self._run(lambda db: db.execute("SELECT coalesce(sum(size), 0) FROM responses").fetchone()[0]) or 0

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # ----- inside ------------------------------------------------------------------------

    def _run(self, action):  # noqa: ANN001, ANN202 - a small callable over the connection
        """Run ``action`` under the lock; a damaged file is replaced, a busy one skipped."""
        with self._lock:
            for attempt in range(2):
                if self._db is None:
                    return None
                try:
                    return action(self._db)
                except sqlite3.OperationalError as exc:  # locked by another process, disk full: skip
                    if not any(sign in str(exc) for sign in ("malformed", "not a database", "no such table")):
                        log.warning("response cache skipped: %s", exc)
                        return None
                    if attempt:
                        return None
                    self._recover(exc)
                except sqlite3.DatabaseError as exc:
                    if attempt:
                        return None
                    self._recover(exc)
            return None

    def _evict(self, db: sqlite3.Connection) -> None:
        total = db.execute("SELECT coalesce(sum(size), 0) FROM responses").fetchone()[0]
        if total <= self.max_bytes:
            return
        target = int(self.max_bytes * 0.9)
        freed = 0
        doomed = []
        for key, size in db.execute("SELECT key, size FROM responses ORDER BY stored_at"):
            if total - freed <= target:
                break
            doomed.append((key,))
            freed += size
        db.executemany("DELETE FROM responses WHERE key = ?", doomed)

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return self._connect()
        except sqlite3.DatabaseError as exc:
            self._move_aside(exc)
        except OSError as exc:
            log.warning("response cache unavailable (%s); answers are kept in memory only", exc)
            return self._connect(memory=True)
        try:
            return self._connect()
        except (sqlite3.DatabaseError, OSError) as exc:
            log.warning("response cache unavailable (%s); answers are kept in memory only", exc)
            return self._connect(memory=True)

    def _connect(self, memory: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:" if memory else str(self.path), timeout=5.0, check_same_thread=False)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if not memory:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            if version not in (0, _SCHEMA_VERSION):
                db.execute("DROP TABLE IF EXISTS responses")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM responses").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _recover(self, exc: Exception) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._move_aside(exc)
        try:
            self._db = self._connect()
        except (sqlite3.DatabaseError, OSError) as again:
            log.warning("response cache unavailable (%s); answers are kept in memory only", again)
            self._db = self._connect(memory=True)

    def _move_aside(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        log.warning("response cache %s is damaged (%s); moved aside to %s and started afresh", self.path, exc,
                    aside.name)
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                try:
                    source.replace(Path(str(aside) + suffix))
                except OSError:
                    source.unlink(missing_ok=True)
